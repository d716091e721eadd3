"""Closed option sets (propagationPolicy, fieldValidation, resourceVersionMatch, patch types):
a value this client does not know is sent as is, for a newer server; the apiserver (and the fake,
which answers as it does) refuse one they do not know either with a typed `ApiError`, never
silently. Type checkers see the sets as `Literal`s (tests/typing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from kubetyped.errors import ApiError, BadRequestError, InvalidError, UnsupportedMediaTypeError
from kubetyped_kubernetes import Clientset, FakeClientset
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["apiserver", "fake"])
def cs(request: pytest.FixtureRequest, kubeconfig_path: Path, namespace: str) -> Iterator[Any]:
    if request.param == "fake":
        yield FakeClientset()
        return
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


def _seed(cs: Any, namespace: str) -> Any:
    config_maps = cs.core_v1.config_maps(namespace)
    config_maps.create(ConfigMap(metadata=ObjectMeta(name="cm"), data={"k": "v"}))
    return config_maps


def test_unknown_propagation_policy(cs: Any, namespace: str) -> None:
    config_maps = _seed(cs, namespace)
    with pytest.raises((InvalidError, BadRequestError)) as caught:
        config_maps.delete("cm", propagation_policy=cast(Any, "Sideways"))
    assert "Sideways" in str(caught.value)
    assert config_maps.get("cm").metadata.name == "cm"  # nothing was deleted


def test_unknown_field_validation(cs: Any, namespace: str) -> None:
    config_maps = cs.core_v1.config_maps(namespace)
    with pytest.raises((InvalidError, BadRequestError)) as caught:
        config_maps.create(
            ConfigMap(metadata=ObjectMeta(name="cm2")), field_validation=cast(Any, "Loose")
        )
    assert "Loose" in str(caught.value)
    assert [c.metadata.name for c in config_maps.list().items] == []


def test_unknown_resource_version_match(cs: Any, namespace: str) -> None:
    config_maps = _seed(cs, namespace)
    with pytest.raises((InvalidError, BadRequestError)) as caught:
        config_maps.list(resource_version="0", resource_version_match=cast(Any, "Newest"))
    assert "Newest" in str(caught.value)


def test_unknown_patch_type(cs: Any, namespace: str) -> None:
    config_maps = _seed(cs, namespace)
    with pytest.raises(UnsupportedMediaTypeError):
        config_maps.patch("cm", {"data": {"k": "w"}}, cast(Any, "application/x-new-patch+json"))
    assert config_maps.get("cm").data == {"k": "v"}


def test_known_values_pass(cs: Any, namespace: str) -> None:
    config_maps = _seed(cs, namespace)
    config_maps.patch("cm", {"data": {"k": "w"}}, "application/merge-patch+json")
    assert config_maps.list(resource_version="0", resource_version_match="NotOlderThan").items
    config_maps.delete("cm", propagation_policy="Background")
    with pytest.raises(ApiError):
        config_maps.get("cm")
