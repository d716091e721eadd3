"""Smoke test of the wheel on the dependency floors (``make test-lowest`` runs it in a venv
where every runtime dependency is pinned to its floor; elsewhere the version check skips)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from tests.lowest.floors import declared_floors, version_tuple


@pytest.mark.skipif(not os.environ.get("KUBETYPED_LOWEST"), reason="only in make test-lowest")
def test_installed_versions_are_the_declared_floors() -> None:
    for name, floor in declared_floors().items():
        assert version_tuple(metadata.version(name)) == version_tuple(floor), name


def test_models_construct_encode_and_decode() -> None:
    from kubetyped_kubernetes.models.core_v1 import Container, ContainerPort, Pod, PodSpec
    from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

    port = ContainerPort(container_port=80)  # pydantic 2.10: "containerPort Field required"
    pod = Pod(
        metadata=ObjectMeta(name="x", creation_timestamp=datetime.now(UTC)),
        spec=PodSpec(containers=[Container(name="c", image="nginx", ports=[port])]),
    )
    back = Pod.from_json(pod.to_json())
    assert back.spec is not None and back.spec.containers[0].ports == [port]
    assert Pod.model_validate({"metadata": {"name": "y"}}).metadata.name == "y"  # type: ignore[union-attr]


def test_fake_clientset_and_informer() -> None:
    from kubetyped_kubernetes import FakeClientset, SharedInformerFactory

    cm: dict[str, Any] = {"metadata": {"name": "a", "namespace": "d"}, "data": {"k": "v"}}
    fake = FakeClientset(objects=[{"apiVersion": "v1", "kind": "ConfigMap", **cm}])
    assert fake.core_v1.config_maps("d").get("a").data == {"k": "v"}
    factory = SharedInformerFactory(fake, namespace="d")
    lister = factory.core_v1.config_maps().lister()
    factory.start()
    try:
        assert factory.wait_for_cache_sync(30)
        assert [o.metadata.name for o in lister.list()] == ["a"]
    finally:
        factory.shutdown(timeout=5)


def test_generate_a_crd_package(tmp_path: Path) -> None:
    from kubetyped_codegen.cli import main

    crd = Path(__file__).resolve().parents[1] / "data/crds/cert-manager"
    crd = crd / "cert-manager.io_certificates.yaml"
    assert main(["generate", "--crd", str(crd), "--out", str(tmp_path / "certs")]) == 0
    assert any((tmp_path / "certs").rglob("*.py"))
