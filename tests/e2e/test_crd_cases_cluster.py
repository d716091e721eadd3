"""CRDs with awkward names on the real apiserver (issue 14): one naming path for the cluster
and for YAML, and clients that work.

- ``extensions.zoo.example.com`` (istio's ``extensions.istio.io`` shape): from the cluster it
  used to get clients but no models (the served DeleteOptions names the legacy ``extensions``
  group, so the schema side and discovery named the group differently);
- two wire names with one snake_case form, a digit-leading property, ``rawView``, a version
  named ``v1alpha`` and a required field with a default (the apiserver applies it).
Generated from the cluster and from the same YAML files, the packages are identical.
"""

from __future__ import annotations

import contextlib
import importlib
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crd_support import CRD_PATH, crd_established

from kubetyped import yamlio
from kubetyped.config import load_kubeconfig
from kubetyped.errors import AlreadyExistsError, NotFoundError
from kubetyped.rest import RESTClient
from kubetyped_codegen.cli import main

pytestmark = pytest.mark.e2e

CASES = Path(__file__).resolve().parents[1] / "data" / "crds" / "cases"
GROUP = "extensions.zoo.example.com"
ODD_GROUP = "odd.zoo.example.com"

ODD_CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": f"routes.{ODD_GROUP}"},
    "spec": {
        "group": ODD_GROUP,
        "scope": "Namespaced",
        "names": {"kind": "Route", "plural": "routes"},
        "versions": [
            {
                "name": "v1alpha",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "required": ["managementState"],
                                "properties": {
                                    "mirrorPercent": {"type": "integer"},
                                    "mirror_percent": {"type": "integer"},
                                    "2xx": {"type": "integer"},
                                    "rawView": {"type": "string"},
                                    "managementState": {"type": "string", "default": "managed"},
                                },
                            }
                        },
                    }
                },
            }
        ],
    },
}


def _published(rest: RESTClient, path: str, component: str) -> bool:
    if path not in rest.get("/openapi/v3").get("paths", {}):
        return False
    document = rest.get(f"/openapi/v3/{path}")
    return component in document.get("components", {}).get("schemas", {})


@pytest.fixture(scope="module")
def installed(kubeconfig_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Both CRDs Established and published; the YAML file they were created from."""
    documents = [
        yamlio.load_all((CASES / "extensions-group-cluster.yaml").read_bytes())[0],
        ODD_CRD,
    ]
    source = tmp_path_factory.mktemp("crds") / "crds.yaml"
    import yaml

    source.write_text(yaml.safe_dump_all(documents))
    rest = RESTClient.from_config(load_kubeconfig(kubeconfig_path, context="admin"))
    names = [d["metadata"]["name"] for d in documents]
    for document in documents:
        with contextlib.suppress(AlreadyExistsError):
            rest.create(CRD_PATH, document)
    deadline = time.monotonic() + 60
    while not (
        all(crd_established(rest, n) for n in names)
        and _published(rest, f"apis/{GROUP}/v1", "com.example.zoo.extensions.v1.Plugin")
        and _published(rest, f"apis/{ODD_GROUP}/v1alpha", "com.example.zoo.odd.v1alpha.Route")
    ):
        assert time.monotonic() < deadline, "CRDs not Established/published within 60s"
        time.sleep(0.3)
    yield source
    for name in names:  # leave the session cluster as found
        with contextlib.suppress(NotFoundError):
            rest.delete(f"{CRD_PATH}/{name}")
    rest.close()


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def test_cluster_and_yaml_give_one_package_that_works(
    installed: Path, kubeconfig_path: Path, namespace: str, tmp_path: Path
) -> None:
    package = f"cases_{secrets.token_hex(4)}"
    groups = ["--include-group", GROUP, "--include-group", ODD_GROUP]
    live = ["--kubeconfig", str(kubeconfig_path), "--context", "admin"]
    from_cluster, from_yaml = tmp_path / "cluster" / package, tmp_path / "yaml" / package
    assert main(["generate", *live, *groups, "--package", package, "--out", str(from_cluster)]) == 0
    assert main(["generate", "--crd", str(installed), "--package", package,
                 "--out", str(from_yaml)]) == 0  # fmt: skip
    assert _tree(from_cluster) == _tree(from_yaml)
    assert (from_cluster / "models" / "extensions_zoo_example_com_v1" / "_plugin.py").is_file()

    sys.path.insert(0, str(from_cluster.parent))
    try:
        generated = importlib.import_module(package)
        plugins_models = importlib.import_module(f"{package}.models.extensions_zoo_example_com_v1")
        odd = importlib.import_module(f"{package}.models.odd_zoo_example_com_v1alpha")
        from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

        with generated.Clientset.from_kubeconfig(kubeconfig_path, context="admin") as cs:
            plugins = cs.extensions_zoo_example_com_v1.plugins(namespace)
            plugins.create(
                plugins_models.Plugin(
                    metadata=ObjectMeta(name="p"), spec=plugins_models.PluginSpec(url="u")
                )
            )
            assert plugins.get("p").spec.url == "u"

            routes = cs.odd_zoo_example_com_v1alpha.routes(namespace)
            spec = odd.RouteSpec(mirror_percent_=10, mirror_percent=20, n2xx=3, raw_view_="v")
            created = routes.create(odd.Route(metadata=ObjectMeta(name="r"), spec=spec))
            assert created.spec.management_state == "managed"  # defaulted by the apiserver
            fetched = routes.get("r")
            assert fetched.raw_view()["spec"]["mirrorPercent"] == 10
            assert (fetched.spec.mirror_percent_, fetched.spec.mirror_percent) == (10, 20)
            assert (fetched.spec.n2xx, fetched.spec.raw_view_) == (3, "v")
            assert [r.metadata.name for r in routes.list().items] == ["r"]
    finally:
        sys.path.remove(str(from_cluster.parent))
