"""A typed client reading an object its generated models cannot decode names the field by its
full JSON path from the document root (`ModelDecodeError.path`), for get, list and watch, and
the other fields stay readable.

The package is generated from a CRD whose `spec.entries[].when` is `format: date-time`; the
cluster then serves the next version of the CRD, where `when` is any string (what an operator
upgrade does before users regenerate), and an object holds `when: "soon"`.
"""

# mypy: disable-error-code="union-attr, index"

from __future__ import annotations

import contextlib
import importlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from crd_support import CRD_PATH, wait_established

from kubetyped.config import load_kubeconfig
from kubetyped.errors import NotFoundError
from kubetyped.model.jsonio import ModelDecodeError
from kubetyped.rest import RESTClient
from kubetyped_codegen.cli import main

pytestmark = pytest.mark.e2e

GROUP, PLURAL = "paths.kubetyped.test", "stamps"


def _crd(when: dict[str, Any]) -> dict[str, Any]:
    entry = {"type": "object", "properties": {"name": {"type": "string"}, "when": when}}
    spec = {"type": "object", "properties": {"entries": {"type": "array", "items": entry}}}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{PLURAL}.{GROUP}"},
        "spec": {
            "group": GROUP,
            "scope": "Namespaced",
            "names": {"plural": PLURAL, "singular": "stamp", "kind": "Stamp"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": spec}}},
                }
            ],
        },
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`stamps` generated from the CRD as it was: `when` is a date-time (a `Time`)."""
    root = tmp_path_factory.mktemp("paths-package")
    crd_file = root / "stamps.yaml"
    crd_file.write_text(yaml.safe_dump(_crd({"type": "string", "format": "date-time"})))
    out = root / "stamps"
    assert main(["generate", "--crd", str(crd_file), "--package", "stamps", "--out", str(out)]) == 0
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("stamps")
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def newer_server(kubeconfig_path: Path) -> Iterator[RESTClient]:
    """The cluster serves the newer CRD: `when` is any string."""
    rest = RESTClient.from_config(load_kubeconfig(kubeconfig_path, context="admin"))
    rest.create(CRD_PATH, _crd({"type": "string"}))
    wait_established(rest, f"{PLURAL}.{GROUP}")
    yield rest
    with contextlib.suppress(NotFoundError):
        rest.delete(f"{CRD_PATH}/{PLURAL}.{GROUP}")
    rest.close()


def test_decode_errors_name_the_full_json_path(
    package: Any, newer_server: RESTClient, kubeconfig_path: Path, namespace: str
) -> None:
    path = f"/apis/{GROUP}/v1/namespaces/{namespace}/{PLURAL}"
    good = {"entries": [{"name": "a", "when": "2026-01-01T00:00:00Z"}]}
    bad = {
        "entries": [{"name": "a", "when": "2026-01-01T00:00:00Z"}, {"name": "b", "when": "soon"}]
    }
    deadline = time.monotonic() + 30
    for name, spec in (("a", good), ("b", good), ("c", bad)):
        while True:  # the new resource may take a moment to be served
            try:
                newer_server.create(
                    path,
                    {"apiVersion": f"{GROUP}/v1", "kind": "Stamp", "metadata": {"name": name},
                     "spec": spec},
                )  # fmt: skip
                break
            except NotFoundError:
                assert time.monotonic() < deadline
                time.sleep(0.2)

    def failing_path(stamp: Any) -> str:
        assert stamp.metadata.name == "c" and stamp.spec.entries[0].when.year == 2026
        assert stamp.spec.entries[1].name == "b"  # the entry's other fields stay readable
        with pytest.raises(ModelDecodeError) as caught:
            _ = stamp.spec.entries[1].when
        return caught.value.path

    with package.Clientset.from_kubeconfig(kubeconfig_path, context="admin") as cs:
        (group_version,) = [name for name in dir(cs) if name.startswith("paths_kubetyped")]
        stamps = getattr(cs, group_version).stamps(namespace)
        assert failing_path(stamps.get("c")) == "spec.entries[1].when"
        listed = stamps.list()
        assert [s.metadata.name for s in listed.items] == ["a", "b", "c"]
        assert failing_path(listed.items[2]) == "items[2].spec.entries[1].when"
        assert failing_path(list(stamps.iterate(page_size=2))[2]) == "items[0].spec.entries[1].when"
        events = stamps.watch(resource_version="0", timeout_seconds=2)
        (modified,) = [e.object for e in events if e.object.metadata.name == "c"]
        assert failing_path(modified) == "object.spec.entries[1].when"
