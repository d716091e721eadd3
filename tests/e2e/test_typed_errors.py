"""Typed API errors raised by the generated clients: 404, 409 (conflict, already exists), 422."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kubetyped.errors import (
    AlreadyExistsError,
    ApiError,
    ConflictError,
    InvalidError,
    NotFoundError,
    NotServedError,
)
from kubetyped.request import PatchType, Preconditions
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


def test_unserved_group_version(cs: Clientset, namespace: str) -> None:
    """The package has every 1.36 API; the test cluster serves only GA ones (no
    --runtime-config): an alpha client says the cluster does not serve it."""
    with pytest.raises(NotServedError) as caught:
        cs.resource_v1alpha3.device_taint_rules().list()
    error = caught.value
    assert isinstance(error, NotFoundError) and error.code == 404
    assert error.group_version == "resource.k8s.io/v1alpha3"
    assert error.resource == "devicetaintrules"
    assert "does not serve devicetaintrules in resource.k8s.io/v1alpha3" in str(error)
    with pytest.raises(NotServedError, match=r"workloads in scheduling\.k8s\.io/v1alpha2"):
        cs.scheduling_v1alpha2.workloads(namespace).get("w")
    # a missing object of a served resource stays a plain NotFoundError
    with pytest.raises(NotFoundError) as missing:
        cs.core_v1.config_maps(namespace).get("missing")
    assert not isinstance(missing.value, NotServedError)


def test_not_found(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    with pytest.raises(NotFoundError) as caught:
        maps.get("missing")
    assert caught.value.code == 404
    assert caught.value.name == "missing"
    assert caught.value.kind == "configmaps"
    with pytest.raises(NotFoundError):
        maps.delete("missing")
    with pytest.raises(NotFoundError):
        maps.patch("missing", {"data": {"a": "b"}}, PatchType.MERGE)
    with pytest.raises(NotFoundError):
        cs.scheduling_v1.priority_classes().get("no-such-class")


def test_already_exists(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    maps.create(ConfigMap(metadata=ObjectMeta(name="twice")))
    with pytest.raises(AlreadyExistsError) as caught:
        maps.create(ConfigMap(metadata=ObjectMeta(name="twice")))
    assert caught.value.code == 409
    assert caught.value.name == "twice"
    assert not isinstance(caught.value, ConflictError)


def test_conflict_on_stale_resource_version(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    maps.create(ConfigMap(metadata=ObjectMeta(name="raced"), data={"n": "0"}))
    mine = maps.get("raced")
    theirs = maps.get("raced")
    theirs.data["n"] = "1"
    maps.update(theirs)
    mine.data["n"] = "2"
    with pytest.raises(ConflictError) as caught:
        maps.update(mine)
    assert caught.value.code == 409
    assert "modified" in caught.value.message
    assert maps.get("raced").data == {"n": "1"}


def test_conflict_on_delete_precondition(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    created = maps.create(ConfigMap(metadata=ObjectMeta(name="guarded")))
    with pytest.raises(ConflictError):
        maps.delete(
            "guarded", preconditions=Preconditions(uid="00000000-0000-0000-0000-000000000000")
        )
    maps.delete("guarded", preconditions=Preconditions(uid=created.metadata.uid))
    with pytest.raises(NotFoundError):
        maps.get("guarded")


def test_invalid_carries_field_causes(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    with pytest.raises(InvalidError) as caught:
        maps.create(ConfigMap(metadata=ObjectMeta(name="Not_A_Valid_Name"), data={"bad key!": "x"}))
    error = caught.value
    assert error.code == 422
    fields = {field for field, _, _ in error.field_causes}
    assert "metadata.name" in fields
    assert any(field.startswith("data") for field in fields)
    assert all(reason for _, reason, _ in error.field_causes)


def test_invalid_deployment_spec(cs: Clientset, namespace: str) -> None:
    # valid for the model (all required fields present), invalid for the server
    body = {
        "metadata": {"name": "bad"},
        "spec": {
            "replicas": -1,
            "selector": {"matchLabels": {"app": "a"}},
            "template": {
                "metadata": {"labels": {"app": "other"}},
                "spec": {"containers": [{"name": "app", "image": "nginx"}]},
            },
        },
    }
    from kubetyped_kubernetes.models.apps_v1 import Deployment

    with pytest.raises(InvalidError) as caught:
        cs.apps_v1.deployments(namespace).create(Deployment.model_validate(body))
    fields = {field for field, _, _ in caught.value.field_causes}
    assert "spec.replicas" in fields
    assert "spec.template.metadata.labels" in fields
    assert isinstance(caught.value, ApiError)
