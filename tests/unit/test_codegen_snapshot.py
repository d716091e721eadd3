"""Snapshots: fetching (with a fake server), the stable layout, archives, and the shipped ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubetyped_codegen.errors import CodegenError, SnapshotError
from kubetyped_codegen.ir import VersionInfo
from kubetyped_codegen.layout import read_snapshot, v3_file_name
from kubetyped_codegen.load_v3 import load_v3
from kubetyped_codegen.snapshot import fetch_snapshot_documents, resolve_out, write_snapshot
from kubetyped_codegen.specs import resolve_spec, shipped_snapshot, shipped_versions

OPENAPI = Path(__file__).resolve().parents[2] / "openapi" / "kubetyped_openapi"
COMMITTED = OPENAPI / "1.36.tar.xz"
COMMITTED_FILES = read_snapshot(COMMITTED)


def fake_server() -> dict[str, object]:
    """Responses of a tiny apiserver, taken from the committed snapshot's apps/v1."""
    apps = json.loads(COMMITTED_FILES["openapi-v3/apis__apps__v1.json"])
    apis = json.loads(COMMITTED_FILES["discovery/apis.json"])
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
    version = VersionInfo("1", "36", "v1.36.3")
    assert resolve_out(None, version, tmp_path) == tmp_path / "1.36"
    assert resolve_out(tmp_path / "openapi", version, tmp_path) == tmp_path / "openapi" / "1.36"
    assert resolve_out(tmp_path / "1.36", version, tmp_path) == tmp_path / "1.36"
    assert resolve_out(tmp_path / "1.36.tar.xz", version, tmp_path) == tmp_path / "1.36.tar.xz"
    assert resolve_out(tmp_path / "mine.tar.xz", version, tmp_path) == tmp_path / "mine.tar.xz"
    assert v3_file_name("apis/apps/v1") == "apis__apps__v1.json"
    assert v3_file_name("api/v1") == "api__v1.json"


@pytest.mark.parametrize("name", ["1.30", "1.30.tar.xz"])
def test_resolve_out_refuses_another_version(tmp_path: Path, name: str) -> None:
    """A 1.36 API is never written into a folder or archive named for 1.30."""
    with pytest.raises(SnapshotError, match=r"names Kubernetes 1\.30.*Kubernetes 1\.36"):
        resolve_out(tmp_path / name, VersionInfo("1", "36", "v1.36.3"), tmp_path)


def test_archive_round_trip_is_reproducible(tmp_path: Path) -> None:
    """An archive holds the folder's files; one input gives one archive byte for byte."""
    responses = fake_server()
    version, discovery, documents = fetch_snapshot_documents(
        lambda path, accept: json.dumps(responses[path]).encode()
    )
    write_snapshot(tmp_path / "folder", version, discovery, documents)
    assert write_snapshot(tmp_path / "a.tar.xz", version, discovery, documents) == [
        tmp_path / "a.tar.xz"
    ]
    write_snapshot(tmp_path / "b.tar.xz", version, discovery, documents)
    assert (tmp_path / "a.tar.xz").read_bytes() == (tmp_path / "b.tar.xz").read_bytes()
    assert read_snapshot(tmp_path / "a.tar.xz") == read_snapshot(tmp_path / "folder")
    assert load_v3(tmp_path / "a.tar.xz") == load_v3(tmp_path / "folder")


def test_shipped_versions_by_name() -> None:
    """Every supported minor ships, and a version name finds it wherever a path is taken."""
    assert shipped_versions() == [f"1.{minor}" for minor in range(30, 37)]
    for name in ("1.31", "v1.31", "1.31.4"):
        assert shipped_snapshot(name) == OPENAPI / "1.31.tar.xz"
        assert resolve_spec(name) == OPENAPI / "1.31.tar.xz"
    assert load_v3(resolve_spec("1.31")).version_info.major_minor == "1.31"
    with pytest.raises(CodegenError, match=r"no shipped snapshot for Kubernetes '1\.12'.*1\.30"):
        resolve_spec("1.12")


def test_parent_folder_names_the_snapshots_inside() -> None:
    """``--spec openapi/`` suggests the version snapshots it holds."""
    with pytest.raises(CodegenError, match=r"not a snapshot folder.*1\.30.*1\.36\.tar\.xz"):
        resolve_spec(OPENAPI)


def test_committed_snapshot_is_normalised() -> None:
    for name, data in sorted(COMMITTED_FILES.items()):
        text = data.decode()
        assert (
            text
            == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        ), name
