"""Merge, JSON and strategic merge patches, and server-side apply, compared on both backends."""

from __future__ import annotations

import pytest

from kubetyped.errors import ApplyConflictError, ConflictError, InvalidError
from kubetyped.request import PatchType
from kubetyped_kubernetes.models.apps_v1 import DeploymentApplyConfiguration
from kubetyped_kubernetes.models.autoscaling_v1 import ScaleApplyConfiguration
from tests.behaviour.support import Backend, deployment


def _containers(dep: object) -> list[tuple[str, str | None]]:
    return [(c.name, c.image) for c in dep.spec.template.spec.containers]  # type: ignore[attr-defined]


def test_merge_patch(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create(
        {"metadata": {"name": "m", "labels": {"a": "1", "b": "2"}}, "data": {"x": "1", "y": "2"}}
    )
    patched = cms.patch(
        "m", {"metadata": {"labels": {"b": None, "c": "3"}}, "data": {"x": None}}, PatchType.MERGE
    )
    assert patched.metadata.labels == {"a": "1", "c": "3"}
    assert patched.data == {"y": "2"}


def test_json_patch(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "j"}, "data": {"x": "1"}})
    patched = cms.patch(
        "j",
        [
            {"op": "test", "path": "/data/x", "value": "1"},
            {"op": "add", "path": "/data/y", "value": "2"},
            {"op": "remove", "path": "/data/x"},
            {"op": "add", "path": "/metadata/annotations", "value": {"example.com/ab": "v"}},
            {"op": "replace", "path": "/metadata/annotations/example.com~1ab", "value": "w"},
        ],
        PatchType.JSON,
    )
    assert patched.data == {"y": "2"}
    assert patched.metadata.annotations == {"example.com/ab": "w"}
    with pytest.raises(InvalidError) as failed:
        cms.patch("j", [{"op": "test", "path": "/data/y", "value": "nope"}], PatchType.JSON)
    assert failed.value.code == 422


def test_json_patch_with_invalid_label_is_rejected(backend: Backend) -> None:
    backend.fake_differs("the fake does no validation: an invalid label key is accepted")
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "v"}})
    with pytest.raises(InvalidError):
        cms.patch(
            "v",
            [{"op": "add", "path": "/metadata/labels", "value": {"bad key": "v"}}],
            PatchType.JSON,
        )


def test_strategic_merge_patch_merges_containers_by_name(backend: Backend) -> None:
    deps = backend.cs.apps_v1.deployments(backend.namespace)
    base = deployment("s")
    base["spec"]["template"]["spec"]["containers"].append({"name": "side", "image": "busybox:1"})
    deps.create(base)
    patch = {
        "spec": {"template": {"spec": {"containers": [{"name": "main", "image": "nginx:1.28"}]}}}
    }
    patched = deps.patch("s", patch, PatchType.STRATEGIC)
    assert _containers(patched) == [("main", "nginx:1.28"), ("side", "busybox:1")]
    assert patched.metadata.generation == 2
    delete = {
        "spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}
    }
    assert _containers(deps.patch("s", delete, PatchType.STRATEGIC)) == [("main", "nginx:1.28")]
    # a merge patch replaces the list whole
    merge = {"spec": {"template": {"spec": {"containers": [{"name": "only", "image": "x:1"}]}}}}
    assert _containers(deps.patch("s", merge, PatchType.MERGE)) == [("only", "x:1")]


def test_apply_creates_updates_and_removes_dropped_fields(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    first = {
        "metadata": {"name": "a", "labels": {"keep": "1", "drop": "1"}},
        "data": {"k": "1", "gone": "1"},
    }
    created = cms.apply(first, field_manager="tester")
    assert created.metadata.labels == {"keep": "1", "drop": "1"} and created.data == {
        "k": "1",
        "gone": "1",
    }
    # someone else's field survives the next apply
    cms.patch("a", {"data": {"other": "x"}}, PatchType.MERGE, field_manager="editor")
    second = {"metadata": {"name": "a", "labels": {"keep": "1"}}, "data": {"k": "2"}}
    applied = cms.apply(second, field_manager="tester")
    assert applied.metadata.labels == {"keep": "1"}
    assert applied.data == {"k": "2", "other": "x"}


def test_apply_conflict_between_managers(backend: Backend) -> None:
    deps = backend.cs.apps_v1.deployments(backend.namespace)
    deps.apply(deployment("c", replicas=1), field_manager="one")
    mine = deployment("c", replicas=3)
    with pytest.raises(ConflictError) as conflict:
        deps.apply(mine, field_manager="two")
    # the error names the managers and fields, and the way out
    assert isinstance(conflict.value, ApplyConflictError)
    assert conflict.value.conflicts == [("one", ".spec.replicas")]
    assert conflict.value.message == (
        'apply conflicts with other field managers: "one" owns .spec.replicas. Re-apply with '
        "force=True to take these fields over, or leave them out of the applied object"
    )
    assert conflict.value.status["message"] == (
        'Apply failed with 1 conflict: conflict with "one": .spec.replicas'
    )
    assert [c["field"] for c in conflict.value.causes] == [".spec.replicas"]
    forced = deps.apply(mine, field_manager="two", force=True)
    assert forced.spec.replicas == 3


def test_apply_typed_apply_configurations(backend: Backend) -> None:
    """`<Kind>ApplyConfiguration` (a TypedDict: wire names, every key optional) through apply
    and apply_status; an enum value round-trips."""
    deps = backend.cs.apps_v1.deployments(backend.namespace)
    partial: DeploymentApplyConfiguration = {
        "metadata": {"name": "typed", "labels": {"tier": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "typed"}},
            "template": {
                "metadata": {"labels": {"app": "typed"}},
                "spec": {
                    "containers": [
                        {"name": "main", "image": "nginx:1.27", "imagePullPolicy": "Never"}
                    ]
                },
            },
        },
    }
    applied = deps.apply(partial, field_manager="typed-tool")
    assert applied.metadata.labels == {"tier": "web"} and applied.spec.replicas == 2
    assert applied.spec.template.spec.containers[0].image_pull_policy == "Never"
    status: DeploymentApplyConfiguration = {
        "metadata": {"name": "typed"},
        "status": {"observedGeneration": 1, "replicas": 2},
    }
    with_status = deps.apply_status(status, field_manager="typed-status")
    assert with_status.status.observed_generation == 1


def test_apply_scale_takes_the_scale_apply_configuration(backend: Backend) -> None:
    backend.fake_differs("the fake does not simulate the scale subresource")
    deps = backend.cs.apps_v1.deployments(backend.namespace)
    deps.apply(deployment("scaled", replicas=1), field_manager="typed-tool")
    scale: ScaleApplyConfiguration = {"spec": {"replicas": 4}}
    scaled = deps.apply_scale("scaled", scale, field_manager="typed-tool", force=True)
    assert scaled.spec.replicas == 4
    assert deps.get("scaled").spec.replicas == 4
