"""An enum value the generated package does not know, sent by a newer server, decodes and
round-trips through the typed client (the trusted path); strict construction rejects it.

The package is generated from a CRD whose `spec.mode` enum is [Fast, Slow]; the cluster then
serves the next version of the same CRD, which adds `Turbo` (what upgrading an operator does
before users regenerate).
"""

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
from kubetyped.model import strict_construction
from kubetyped.rest import RESTClient
from kubetyped_codegen.cli import main

pytestmark = pytest.mark.e2e

GROUP, PLURAL = "enums.kubetyped.test", "gadgets"


def _crd(modes: list[str]) -> dict[str, Any]:
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "properties": {
                    "mode": {"type": "string", "enum": modes},
                    "levels": {"type": "array", "items": {"type": "string", "enum": modes}},
                },
            }
        },
    }
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{PLURAL}.{GROUP}"},
        "spec": {
            "group": GROUP,
            "scope": "Namespaced",
            "names": {"plural": PLURAL, "singular": "gadget", "kind": "Gadget"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": schema},
                }
            ],
        },
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`gadgets` generated from the CRD as it was: mode in [Fast, Slow]."""
    root = tmp_path_factory.mktemp("enum-package")
    crd_file = root / "gadgets.yaml"
    crd_file.write_text(yaml.safe_dump(_crd(["Fast", "Slow"])))
    out = root / "gadgets"
    assert (
        main(["generate", "--crd", str(crd_file), "--package", "gadgets", "--out", str(out)]) == 0
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("gadgets")
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def newer_server(kubeconfig_path: Path) -> Iterator[RESTClient]:
    """The cluster serves the newer CRD: mode in [Fast, Slow, Turbo]."""
    rest = RESTClient.from_config(load_kubeconfig(kubeconfig_path, context="admin"))
    rest.create(CRD_PATH, _crd(["Fast", "Slow", "Turbo"]))
    wait_established(rest, f"{PLURAL}.{GROUP}")
    yield rest
    with contextlib.suppress(NotFoundError):
        rest.delete(f"{CRD_PATH}/{PLURAL}.{GROUP}")
    rest.close()


def test_a_newer_enum_value_decodes_and_round_trips(
    package: Any, newer_server: RESTClient, kubeconfig_path: Path, namespace: str
) -> None:
    models = Path(package.__file__).parent / "models"
    (group_version,) = [p.name for p in models.iterdir() if (p / "_gadget_spec.py").exists()]
    source = (models / group_version / "_gadget_spec.py").read_text()
    assert 'Literal["Fast", "Slow"]' in source  # the package's view of the enum
    path = f"/apis/{GROUP}/v1/namespaces/{namespace}/{PLURAL}"
    body = {"apiVersion": f"{GROUP}/v1", "kind": "Gadget", "metadata": {"name": "g"}}
    deadline = time.monotonic() + 30
    while True:  # the new resource may take a moment to be served
        try:
            newer_server.create(path, {**body, "spec": {"mode": "Turbo", "levels": ["Turbo"]}})
            break
        except NotFoundError:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    cs = package.Clientset.from_kubeconfig(kubeconfig_path, context="admin")
    try:
        gadgets = getattr(cs, group_version).gadgets(namespace)
        got = gadgets.get("g")
        assert got.spec.mode == "Turbo" and got.spec.levels == ["Turbo"]
        got.metadata.labels = {"seen": "yes"}
        updated = gadgets.update(got)  # the unknown value goes back unchanged
        assert updated.spec.mode == "Turbo" and updated.metadata.labels == {"seen": "yes"}
        assert newer_server.get(f"{path}/g")["spec"] == {"mode": "Turbo", "levels": ["Turbo"]}
        gadget_spec = type(got.spec)
        assert gadget_spec.model_validate({"mode": "Turbo"}).mode == "Turbo"  # open by default
        with strict_construction(), pytest.raises(ValueError, match="'Turbo' is not one of"):
            gadget_spec.model_validate({"mode": "Turbo"})
    finally:
        cs.close()
