"""Every generated model class imports, builds, and round-trips the empty object."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import kubetyped_kubernetes.models as models
from kubetyped.model import KubeModel


def _group_versions() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(models.__path__))


@pytest.mark.parametrize("group_version", _group_versions())
def test_every_model_of_the_group_version_builds(group_version: str) -> None:
    module: Any = importlib.import_module(f"{models.__name__}.{group_version}")
    assert module.__all__, group_version
    failures: list[str] = []
    for name in module.__all__:
        try:
            cls = getattr(module, name)
            if f"{name}ApplyConfiguration" not in module.__all__:
                assert cls is dict, name  # an apply configuration: a TypedDict, erased
                continue
            assert issubclass(cls, KubeModel)
            cls.model_rebuild()
            assert cls.from_raw({}).to_dict() == {}
            assert cls.from_raw({"zz-unknown": [1]}).to_dict() == {"zz-unknown": [1]}
            if not any(field.is_required() for field in cls.model_fields.values()):
                assert cls.model_validate({}).to_dict() == {}
        except Exception as exc:  # collect them all: one report per group-version
            first_line = (str(exc).splitlines() or [""])[0]
            failures.append(f"{name}: {type(exc).__name__}: {first_line}")
    assert not failures, "\n".join(failures)


def test_resource_models_carry_their_group_version_kind() -> None:
    from kubetyped_kubernetes.models.apps_v1 import Deployment
    from kubetyped_kubernetes.models.core_v1 import Pod
    from kubetyped_kubernetes.models.rbac_v1 import ClusterRole

    assert (Pod.kube_group, Pod.kube_version, Pod.kube_kind) == ("", "v1", "Pod")
    assert (Deployment.kube_group, Deployment.kube_kind) == ("apps", "Deployment")
    assert ClusterRole.kube_group == "rbac.authorization.k8s.io"
