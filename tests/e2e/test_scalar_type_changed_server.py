"""A server scalar that does not fit the generated model raises ModelDecodeError naming the
field when that field is read (the trusted get/list path); the other fields stay readable.

Provenance: newcomer review, session 2 (/tmp/newcomer/gen/trusted.py): the trusted path
returned such values as-is (`Certificate.spec.privateKey.size == '2048'` where the model says
int). Here the package is generated from a CRD whose `spec.size` is an integer; the cluster then
serves the CRD with `spec.size` a string (the `integer -> string` change `kubetyped diff`
reports as breaking typed readers).
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
from kubetyped.model.jsonio import ModelDecodeError
from kubetyped.rest import RESTClient
from kubetyped_codegen.cli import main

pytestmark = pytest.mark.e2e

GROUP, PLURAL = "scalars.kubetyped.test", "widgets"


def _crd(size_type: str) -> dict[str, Any]:
    spec = {
        "type": "object",
        "properties": {"size": {"type": size_type}, "count": {"type": "integer"}},
    }
    schema = {"type": "object", "properties": {"spec": spec}}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{PLURAL}.{GROUP}"},
        "spec": {
            "group": GROUP,
            "scope": "Namespaced",
            "names": {"plural": PLURAL, "singular": "widget", "kind": "Widget"},
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
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """`widgets` generated from the CRD as it was: `spec.size` an integer."""
    root = tmp_path_factory.mktemp("scalar-package")
    crd_file = root / "widgets.yaml"
    crd_file.write_text(yaml.safe_dump(_crd("integer")))
    out = root / "widgets"
    assert (
        main(["generate", "--crd", str(crd_file), "--package", "widgets", "--out", str(out)]) == 0
    )
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("widgets")
    finally:
        sys.path.remove(str(root))


@pytest.fixture(scope="module")
def changed_server(kubeconfig_path: Path) -> Iterator[RESTClient]:
    """The cluster serves the changed CRD: `spec.size` a string."""
    rest = RESTClient.from_config(load_kubeconfig(kubeconfig_path, context="admin"))
    rest.create(CRD_PATH, _crd("string"))
    wait_established(rest, f"{PLURAL}.{GROUP}")
    yield rest
    with contextlib.suppress(NotFoundError):
        rest.delete(f"{CRD_PATH}/{PLURAL}.{GROUP}")
    rest.close()


def test_a_scalar_of_another_type_raises_when_read(
    package: Any, changed_server: RESTClient, kubeconfig_path: Path, namespace: str
) -> None:
    path = f"/apis/{GROUP}/v1/namespaces/{namespace}/{PLURAL}"
    body = {"apiVersion": f"{GROUP}/v1", "kind": "Widget", "metadata": {"name": "w"}}
    deadline = time.monotonic() + 30
    while True:  # the new resource may take a moment to be served
        try:
            changed_server.create(path, {**body, "spec": {"size": "2048", "count": 3}})
            break
        except NotFoundError:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    cs = package.Clientset.from_kubeconfig(kubeconfig_path, context="admin")
    try:
        widgets = next(
            getattr(cs, name).widgets(namespace)
            for name in dir(cs)
            if not name.startswith("_") and hasattr(getattr(cs, name), "widgets")
        )
        for got in (widgets.get("w"), widgets.list().items[0]):
            assert got.metadata.name == "w" and got.spec.count == 3  # the rest stays readable
            with pytest.raises(
                ModelDecodeError,
                match=r"spec\.size: expected an integer, got str \(WidgetSpec\.size\)",
            ):
                _ = got.spec.size
    finally:
        cs.close()
