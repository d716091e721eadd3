"""Simplified server-side apply in the tracker: merge, removal of dropped fields, conflicts."""

from __future__ import annotations

from typing import Any

import pytest

from kubetyped.errors import BadRequestError, ConflictError, NotFoundError
from kubetyped.fake import ObjectTracker, ResourceRegistry
from kubetyped.request import PatchType
from kubetyped_kubernetes.clients.apps_v1 import DEPLOYMENTS
from kubetyped_kubernetes.clients.core_v1 import CONFIGMAPS


@pytest.fixture
def tracker() -> ObjectTracker:
    return ObjectTracker(ResourceRegistry([CONFIGMAPS, DEPLOYMENTS]))


def _applied(**fields: Any) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, **fields}


def _containers(*pairs: tuple[str, str]) -> dict[str, Any]:
    return {"template": {"spec": {"containers": [{"name": n, "image": i} for n, i in pairs]}}}


def test_apply_creates_then_merges(tracker: ObjectTracker) -> None:
    created = tracker.apply(
        DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 1}), field_manager="a"
    )
    assert created["metadata"]["generation"] == 1 and created["spec"] == {"replicas": 1}
    tracker.patch(DEPLOYMENTS, "ns", "web", PatchType.MERGE, {"spec": {"paused": True}})
    merged = tracker.apply(
        DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 2}), field_manager="a"
    )
    # fields set by others stay; the applied field changes
    assert merged["spec"] == {"replicas": 2, "paused": True}
    assert merged["metadata"]["generation"] == 3


def test_apply_merges_associative_lists_by_key(tracker: ObjectTracker) -> None:
    tracker.apply(
        DEPLOYMENTS, "ns", "web", _applied(spec=_containers(("a", "x:1"))), field_manager="one"
    )
    result = tracker.apply(
        DEPLOYMENTS, "ns", "web", _applied(spec=_containers(("b", "y:1"))), field_manager="two"
    )
    containers = result["spec"]["template"]["spec"]["containers"]
    assert containers == [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]


def test_apply_removes_fields_the_manager_stopped_applying(tracker: ObjectTracker) -> None:
    first = _applied(
        metadata={"name": "web", "labels": {"keep": "1", "drop": "1"}},
        spec={"replicas": 1, **_containers(("a", "x"), ("b", "y"))},
    )
    tracker.apply(DEPLOYMENTS, "ns", "web", first, field_manager="m")
    second = _applied(
        metadata={"name": "web", "labels": {"keep": "1"}}, spec=_containers(("a", "x"))
    )
    result = tracker.apply(DEPLOYMENTS, "ns", "web", second, field_manager="m")
    assert result["metadata"]["labels"] == {"keep": "1"}
    assert "replicas" not in result["spec"]
    assert [c["name"] for c in result["spec"]["template"]["spec"]["containers"]] == ["a"]


def test_fields_shared_with_another_manager_are_not_removed(tracker: ObjectTracker) -> None:
    tracker.apply(DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 1}), field_manager="m")
    tracker.apply(DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 1}), field_manager="n")
    result = tracker.apply(
        DEPLOYMENTS, "ns", "web", _applied(spec={"paused": True}), field_manager="m"
    )
    assert result["spec"] == {"replicas": 1, "paused": True}


def test_conflicting_apply_fails_unless_forced(tracker: ObjectTracker) -> None:
    tracker.apply(DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 1}), field_manager="m")
    with pytest.raises(ConflictError) as conflict:
        tracker.apply(DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 2}), field_manager="n")
    assert (
        conflict.value.message == 'Apply failed with 1 conflict: conflict with "m": .spec.replicas'
    )
    assert conflict.value.causes[0]["field"] == ".spec.replicas"
    forced = tracker.apply(
        DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 2}), field_manager="n", force=True
    )
    assert forced["spec"]["replicas"] == 2
    # "m" lost the field: applying without it no longer removes it
    after = tracker.apply(
        DEPLOYMENTS, "ns", "web", _applied(spec={"paused": True}), field_manager="m"
    )
    assert after["spec"]["replicas"] == 2


def test_apply_status_subresource_changes_only_status(tracker: ObjectTracker) -> None:
    tracker.apply(DEPLOYMENTS, "ns", "web", _applied(spec={"replicas": 1}), field_manager="m")
    result = tracker.apply(
        DEPLOYMENTS,
        "ns",
        "web",
        _applied(spec={"replicas": 7}, status={"replicas": 1}),
        field_manager="ctl",
        subresource="status",
    )
    assert result["status"] == {"replicas": 1} and result["spec"]["replicas"] == 1
    with pytest.raises(NotFoundError):
        missing = _applied(metadata={"name": "other"}, status={"replicas": 1})
        tracker.apply(DEPLOYMENTS, "ns", "other", missing, field_manager="m", subresource="status")


def test_apply_needs_manager_and_type(tracker: ObjectTracker) -> None:
    with pytest.raises(BadRequestError, match="field manager"):
        tracker.apply(DEPLOYMENTS, "ns", "web", _applied(), field_manager="")
    with pytest.raises(BadRequestError, match="apiVersion and kind"):
        tracker.apply(DEPLOYMENTS, "ns", "web", {"metadata": {"name": "web"}}, field_manager="m")
