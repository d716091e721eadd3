"""cert-manager CRDs on the real apiserver: generate typed clients from the cluster, use them,
and check that generating from the YAML files gives the same package.

Documented differences between cluster- and YAML-generated output: none. The apiserver
publishes each CRD schema unchanged, adding apiVersion/kind/metadata and the List type; the
YAML path builds the same documents (``codegen/crd/publish.py``). This test asserts byte
equality of every generated file.
"""

from __future__ import annotations

import contextlib
import importlib
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from crd_support import CRD_PATH, crd_established

from kubetyped.config import load_kubeconfig
from kubetyped.errors import AlreadyExistsError, NotFoundError
from kubetyped.rest import RESTClient
from kubetyped_codegen.cli import main

pytestmark = pytest.mark.e2e

CRDS = Path(__file__).resolve().parents[1] / "data" / "crds" / "cert-manager"
FILES = [CRDS / "cert-manager.io_certificates.yaml", CRDS / "cert-manager.io_issuers.yaml"]


def _published(rest: RESTClient, kinds: set[str]) -> bool:
    index = rest.get("/openapi/v3")
    if "apis/cert-manager.io/v1" not in index.get("paths", {}):
        return False
    import orjson

    document = orjson.loads(
        rest.get_bytes("/openapi/v3/apis/cert-manager.io/v1", accept="application/json")
    )
    names = set(document.get("components", {}).get("schemas", {}))
    return {f"io.cert-manager.v1.{k}" for k in kinds} <= names


@pytest.fixture(scope="module")
def installed(kubeconfig_path: Path) -> Iterator[RESTClient]:
    """The Certificate and Issuer CRDs, Established and published in /openapi/v3."""
    rest = RESTClient.from_config(load_kubeconfig(kubeconfig_path, context="admin"))
    names = []
    for file in FILES:
        document: dict[str, Any] = yaml.safe_load(file.read_text())
        names.append(document["metadata"]["name"])
        with contextlib.suppress(AlreadyExistsError):
            rest.create(CRD_PATH, document)
    deadline = time.monotonic() + 60
    while not (
        all(crd_established(rest, n) for n in names) and _published(rest, {"Certificate", "Issuer"})
    ):
        assert time.monotonic() < deadline, "CRDs not Established/published within 60s"
        time.sleep(0.3)
    yield rest
    # leave the session cluster as found: snapshots of it must not see these CRDs
    for name in names:
        with contextlib.suppress(NotFoundError):
            rest.delete(f"{CRD_PATH}/{name}")
    rest.close()


def _generate(out: Path, package: str, *args: str) -> Any:
    assert main(["generate", *args, "--include-group", "cert-manager.io", "--package", package,
                 "--out", str(out / package)]) == 0  # fmt: skip
    sys.path.insert(0, str(out))
    return importlib.import_module(package)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts
    }  # fmt: skip


def test_generated_cert_manager_clients(
    installed: RESTClient, kubeconfig_path: Path, namespace: str, tmp_path: Path
) -> None:
    package = f"certmanager_{secrets.token_hex(4)}"
    generated = _generate(
        tmp_path / "cluster", package, "--kubeconfig", str(kubeconfig_path), "--context", "admin"
    )
    models = importlib.import_module(f"{package}.models.cert_manager_v1")
    from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

    with generated.Clientset.from_kubeconfig(kubeconfig_path, context="admin") as cs:
        issuers = cs.cert_manager_v1.issuers(namespace)
        issuer = issuers.create(
            models.Issuer(
                metadata=ObjectMeta(name="selfsigned"),
                spec=models.IssuerSpec(self_signed=models.IssuerSpecSelfSigned()),
            )
        )
        assert isinstance(issuer, models.Issuer) and issuer.metadata.uid

        factory = generated.SharedInformerFactory(cs, namespace=namespace)
        seen: list[str] = []
        arrived = threading.Event()

        def on_add(obj: Any, _initial: bool) -> None:
            seen.append(obj.metadata.name)
            if obj.metadata.name == "web":
                arrived.set()

        informer = factory.cert_manager_v1.certificates()
        informer.informer().add_event_handler(on_add=on_add)
        factory.start()
        try:
            assert all(factory.wait_for_cache_sync(timeout=30).values())
            certificates = cs.cert_manager_v1.certificates(namespace)
            spec = models.CertificateSpec(
                secret_name="web-tls", dns_names=["web.example.com"],
                issuer_ref=models.CertificateSpecIssuerRef(name="selfsigned", kind="Issuer"),
                private_key=models.CertificateSpecPrivateKey(algorithm="ECDSA"),
            )  # fmt: skip
            created = certificates.create(
                models.Certificate(metadata=ObjectMeta(name="web"), spec=spec)
            )
            assert created.spec.private_key.algorithm == "ECDSA"
            assert [c.metadata.name for c in certificates.list().items] == ["web"]
            assert arrived.wait(30), f"informer saw {seen}"
            assert informer.lister().namespaced(namespace).get("web").spec.secret_name == "web-tls"

            created.status = models.CertificateStatus(
                revision=1,
                conditions=[
                    models.IssuerStatusConditions(type="Ready", status="True", reason="Test")
                ],
            )
            updated = certificates.update_status(created)
            assert updated.status.revision == 1 and updated.status.conditions[0].type == "Ready"
            assert certificates.get("web").spec.dns_names == ["web.example.com"]

            applied = certificates.apply(
                {"metadata": {"name": "web"}, "spec": {"secretName": "web-tls", "dnsNames": ["api.example.com"],
                                                      "issuerRef": {"name": "selfsigned", "kind": "Issuer"}}},
                field_manager="kubetyped-e2e", force=True,
            )  # fmt: skip
            assert applied.spec.dns_names == ["api.example.com"]
            assert applied.status.revision == 1  # the status subresource kept what we set
        finally:
            factory.shutdown()

    files_args = ["--crd", *map(str, FILES)]
    # the same package name, so the import lines inside the files compare equal
    assert main(["generate", *files_args, "--include-group", "cert-manager.io", "--package", package,
                 "--out", str(tmp_path / "yaml" / package)]) == 0  # fmt: skip
    cluster_tree, yaml_tree = (
        _tree(tmp_path / "cluster" / package),
        _tree(tmp_path / "yaml" / package),
    )
    assert sorted(cluster_tree) == sorted(yaml_tree)
    assert [p for p in cluster_tree if cluster_tree[p] != yaml_tree[p]] == []
