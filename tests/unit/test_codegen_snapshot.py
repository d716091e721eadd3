"""Snapshots: fetching (with a fake server), the stable layout, and the committed 1.36 snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubetyped.codegen.errors import SnapshotError
from kubetyped.codegen.ir import VersionInfo
from kubetyped.codegen.layout import v3_file_name
from kubetyped.codegen.load_v3 import load_v3
from kubetyped.codegen.snapshot import fetch_snapshot_documents, resolve_out, write_snapshot

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "1.36"


def fake_server() -> dict[str, object]:
    """Responses of a tiny apiserver, taken from the committed snapshot's apps/v1."""
    apps = json.loads((COMMITTED / "openapi-v3" / "apis__apps__v1.json").read_text())
    apis = json.loads((COMMITTED / "discovery" / "apis.json").read_text())
    apis["items"] = [i for i in apis["items"] if i["metadata"]["name"] == "apps"]
    return {
        "/version": {"major": "1", "minor": "36+", "gitVersion": "v1.36.3"},
        "/api": {
            "apiVersion": "apidiscovery.k8s.io/v2",
            "kind": "APIGroupDiscoveryList",
            "items": [],
        },
        "/apis": apis,
        "/openapi/v3": {"paths": {"apis/apps/v1": {"serverRelativeURL": "/x?hash=1"}, "logs": {}}},
        "/openapi/v3/apis/apps/v1": apps,
    }


def test_fetch_write_load(tmp_path: Path) -> None:
    responses = fake_server()
    seen: list[tuple[str, str]] = []

    def fetch(path: str, accept: str) -> bytes:
        seen.append((path, accept))
        return json.dumps(responses[path]).encode()

    version, discovery, documents = fetch_snapshot_documents(fetch)
    assert list(documents) == ["apis/apps/v1"]
    assert any("as=APIGroupDiscoveryList" in accept for path, accept in seen if path == "/apis")
    written = write_snapshot(tmp_path, version, discovery, documents)
    assert tmp_path / "openapi-v3" / "apis__apps__v1.json" in written
    text = (tmp_path / "discovery" / "apis.json").read_text()
    assert text.endswith("}\n") and text.startswith('{\n "apiVersion"')
    spec = load_v3(tmp_path)
    assert spec.version_info == VersionInfo("1", "36", "v1.36.3")
    deployments = spec.group_version("apps", "v1").resource("deployments")  # type: ignore[union-attr]
    assert deployments is not None and deployments.short_names == ("deploy",)
    assert deployments.list_kind == "DeploymentList"
    # a second run with one document fewer removes the stale file and nothing else
    (tmp_path / "openapi-v3" / "apis__old__v1.json").write_text("{}\n")
    write_snapshot(tmp_path, version, discovery, documents)
    assert sorted(p.name for p in (tmp_path / "openapi-v3").iterdir()) == ["apis__apps__v1.json"]


def test_server_without_aggregated_discovery() -> None:
    responses = fake_server()
    responses["/apis"] = {"kind": "APIGroupList", "groups": []}
    with pytest.raises(SnapshotError, match="aggregated discovery"):
        fetch_snapshot_documents(lambda path, accept: json.dumps(responses[path]).encode())


def test_resolve_out(tmp_path: Path) -> None:
    version = VersionInfo("1", "36")
    assert resolve_out(None, version, tmp_path) == tmp_path / "1.36"
    assert resolve_out(tmp_path / "openapi", version, tmp_path) == tmp_path / "openapi" / "1.36"
    assert resolve_out(tmp_path / "1.35", version, tmp_path) == tmp_path / "1.35"
    assert v3_file_name("apis/apps/v1") == "apis__apps__v1.json"
    assert v3_file_name("api/v1") == "api__v1.json"


def test_committed_snapshot_is_normalised() -> None:
    for path in sorted(COMMITTED.rglob("*.json")):
        text = path.read_text()
        assert (
            text
            == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        ), path
