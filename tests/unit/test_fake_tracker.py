"""ObjectTracker: server-set fields, conflicts, status, generation, delete, watch history."""

from __future__ import annotations

import queue
from typing import Any

import orjson
import pytest

from kubetyped.errors import (
    AlreadyExistsError,
    ConflictError,
    InternalError,
    InvalidError,
    NotFoundError,
)
from kubetyped.fake import FakeSetupError, ObjectTracker, ResourceRegistry, Selection
from kubetyped.request import PatchType
from kubetyped_kubernetes.clients.apps_v1 import DEPLOYMENTS
from kubetyped_kubernetes.clients.core_v1 import CONFIGMAPS, NAMESPACES

ALL = Selection()


@pytest.fixture
def tracker() -> ObjectTracker:
    return ObjectTracker(
        ResourceRegistry([CONFIGMAPS, DEPLOYMENTS, NAMESPACES]), clock=lambda: 1700000000.7
    )


def _cm(name: str, **extra: Any) -> dict[str, Any]:
    return {"metadata": {"name": name, **extra.pop("metadata", {})}, **extra}


def _deployment(name: str, replicas: int = 1) -> dict[str, Any]:
    return {
        "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"a": "b"}}, "template": {}},
        "status": {"replicas": 99},
    }


def test_create_sets_server_fields(tracker: ObjectTracker) -> None:
    first = tracker.create(CONFIGMAPS, "ns", _cm("a"))
    second = tracker.create(CONFIGMAPS, "ns", _cm("b"))
    meta = first["metadata"]
    assert (first["apiVersion"], first["kind"]) == ("v1", "ConfigMap")
    assert meta["namespace"] == "ns"
    assert meta["creationTimestamp"] == "2023-11-14T22:13:20Z"
    assert len(meta["uid"]) == 36 and meta["uid"] != second["metadata"]["uid"]
    assert int(second["metadata"]["resourceVersion"]) > int(meta["resourceVersion"])
    assert "generation" not in meta  # ConfigMaps have no spec
    assert tracker.get(CONFIGMAPS, "ns", "a") == first


def test_create_errors(tracker: ObjectTracker) -> None:
    tracker.create(CONFIGMAPS, "ns", _cm("a"))
    with pytest.raises(AlreadyExistsError) as exists:
        tracker.create(CONFIGMAPS, "ns", _cm("a"))
    assert exists.value.name == "a" and exists.value.kind == "configmaps"
    with pytest.raises(InvalidError) as invalid:
        tracker.create(CONFIGMAPS, "ns", {"metadata": {}})
    assert invalid.value.causes[0]["field"] == "metadata.name"
    with pytest.raises(InternalError, match="resourceVersion should not be set"):
        tracker.create(CONFIGMAPS, "ns", _cm("b", metadata={"resourceVersion": "5"}))
    from kubetyped.errors import BadRequestError

    with pytest.raises(BadRequestError, match="namespace"):
        tracker.create(CONFIGMAPS, "ns", _cm("c", metadata={"namespace": "other"}))
    with pytest.raises(BadRequestError, match="kind"):
        tracker.create(CONFIGMAPS, "ns", {"kind": "Secret", "metadata": {"name": "d"}})


def test_generate_name(tracker: ObjectTracker) -> None:
    created = tracker.create(CONFIGMAPS, "ns", {"metadata": {"generateName": "web-"}})
    name = created["metadata"]["name"]
    assert name.startswith("web-") and len(name) == len("web-") + 5


def test_update_conflicts_on_stale_resource_version(tracker: ObjectTracker) -> None:
    created = tracker.create(CONFIGMAPS, "ns", _cm("a", data={"k": "1"}))
    updated = tracker.update(CONFIGMAPS, "ns", "a", {**created, "data": {"k": "2"}})
    assert updated["data"] == {"k": "2"}
    assert updated["metadata"]["uid"] == created["metadata"]["uid"]
    with pytest.raises(ConflictError, match="the object has been modified"):
        tracker.update(CONFIGMAPS, "ns", "a", {**created, "data": {"k": "3"}})
    # without a resourceVersion the update is unconditional
    unconditional = _cm("a", data={"k": "4"})
    assert tracker.update(CONFIGMAPS, "ns", "a", unconditional)["data"] == {"k": "4"}
    with pytest.raises(NotFoundError):
        tracker.update(CONFIGMAPS, "ns", "missing", _cm("missing"))


def test_noop_update_keeps_resource_version(tracker: ObjectTracker) -> None:
    created = tracker.create(CONFIGMAPS, "ns", _cm("a", data={"k": "1"}))
    again = tracker.update(CONFIGMAPS, "ns", "a", created)
    assert again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]


def test_status_subresource_and_generation(tracker: ObjectTracker) -> None:
    created = tracker.create(DEPLOYMENTS, "ns", _deployment("web"))
    assert created["metadata"]["generation"] == 1
    assert "status" not in created  # status is written through /status only
    status = tracker.update(
        DEPLOYMENTS, "ns", "web", {**created, "status": {"replicas": 3}}, subresource="status"
    )
    assert status["status"] == {"replicas": 3}
    assert status["metadata"]["generation"] == 1
    # a main-resource update changing spec bumps generation and keeps the stored status
    changed = {**status, "spec": {**status["spec"], "replicas": 5}, "status": {"replicas": 0}}
    updated = tracker.update(DEPLOYMENTS, "ns", "web", changed)
    assert updated["metadata"]["generation"] == 2
    assert updated["status"] == {"replicas": 3}
    # a status write ignores spec changes
    ignored = {**updated, "spec": {**updated["spec"], "replicas": 9}, "status": {"replicas": 4}}
    after = tracker.update(DEPLOYMENTS, "ns", "web", ignored, subresource="status")
    assert after["spec"]["replicas"] == 5 and after["metadata"]["generation"] == 2


def test_metadata_only_change_keeps_generation(tracker: ObjectTracker) -> None:
    created = tracker.create(DEPLOYMENTS, "ns", _deployment("web"))
    labelled = tracker.patch(
        DEPLOYMENTS, "ns", "web", PatchType.MERGE, {"metadata": {"labels": {"x": "y"}}}
    )
    assert labelled["metadata"]["generation"] == created["metadata"]["generation"]


def test_delete_with_preconditions_and_finalizers(tracker: ObjectTracker) -> None:
    created = tracker.create(CONFIGMAPS, "ns", _cm("a", metadata={"finalizers": ["example.com/x"]}))
    with pytest.raises(ConflictError, match="the UID in the precondition"):
        tracker.delete(CONFIGMAPS, "ns", "a", preconditions={"uid": "nope"})
    marked = tracker.delete(
        CONFIGMAPS, "ns", "a", preconditions={"uid": created["metadata"]["uid"]}
    )
    assert marked["metadata"]["deletionTimestamp"] == "2023-11-14T22:13:20Z"
    assert tracker.get(CONFIGMAPS, "ns", "a")["metadata"]["finalizers"] == ["example.com/x"]
    # removing the last finalizer completes the deletion
    tracker.patch(CONFIGMAPS, "ns", "a", PatchType.MERGE, {"metadata": {"finalizers": None}})
    with pytest.raises(NotFoundError):
        tracker.get(CONFIGMAPS, "ns", "a")


def test_delete_returns_success_status(tracker: ObjectTracker) -> None:
    tracker.create(CONFIGMAPS, "ns", _cm("a"))
    status = tracker.delete(CONFIGMAPS, "ns", "a")
    assert status["status"] == "Success" and status["details"]["name"] == "a"
    with pytest.raises(NotFoundError):
        tracker.delete(CONFIGMAPS, "ns", "a")


def test_list_selectors_and_pages(tracker: ObjectTracker) -> None:
    for i in range(5):
        tracker.create(CONFIGMAPS, "ns", _cm(f"c{i}", metadata={"labels": {"n": str(i % 2)}}))
    tracker.create(CONFIGMAPS, "other", _cm("c9"))
    names = lambda listed: [o["metadata"]["name"] for o in listed["items"]]  # noqa: E731
    assert names(tracker.list(CONFIGMAPS, Selection.parse("ns", "n=1", None))) == ["c1", "c3"]
    assert names(tracker.list(CONFIGMAPS, Selection.parse(None, "n notin (0,1)", None))) == ["c9"]
    assert names(tracker.list(CONFIGMAPS, Selection.parse(None, None, "metadata.name=c2"))) == [
        "c2"
    ]
    assert names(tracker.list(CONFIGMAPS, Selection.parse("ns", None, "metadata.name!=c2"))) == [
        "c0",
        "c1",
        "c3",
        "c4",
    ]
    first = tracker.list(CONFIGMAPS, Selection.parse("ns", None, None), limit=2)
    assert names(first) == ["c0", "c1"] and first["metadata"]["remainingItemCount"] == 3
    rest = tracker.list(
        CONFIGMAPS, Selection.parse("ns", None, None), continue_=first["metadata"]["continue"]
    )
    assert names(rest) == ["c2", "c3", "c4"] and "continue" not in rest["metadata"]
    assert "kind" not in first["items"][0]  # like the apiserver, items carry no apiVersion/kind


def test_add_seeds_objects_as_given(tracker: ObjectTracker) -> None:
    seeded = tracker.add({"apiVersion": "apps/v1", "kind": "Deployment", **_deployment("web")})
    assert seeded["status"] == {"replicas": 99}  # tracker.add keeps status, unlike create
    assert seeded["metadata"]["namespace"] == "default"
    with pytest.raises(FakeSetupError, match="Widget"):
        tracker.add({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})


def _events(sink: queue.Queue[bytes | None]) -> list[tuple[str, str]]:
    found = []
    while not sink.empty():
        line = sink.get_nowait()
        if line is None:
            found.append(("END", ""))
            continue
        event = orjson.loads(line)
        found.append(
            (event["type"], event["object"]["metadata"].get("name", event["object"].get("code")))
        )
    return found


def test_watch_initial_state_then_changes(tracker: ObjectTracker) -> None:
    tracker.create(CONFIGMAPS, "ns", _cm("a"))
    sink: queue.Queue[bytes | None] = queue.Queue()
    watcher = tracker.watch(CONFIGMAPS, Selection.parse("ns", None, None), sink.put)
    tracker.create(CONFIGMAPS, "ns", _cm("b"))
    tracker.create(CONFIGMAPS, "other", _cm("c"))
    tracker.patch(CONFIGMAPS, "ns", "b", PatchType.MERGE, {"data": {"x": "1"}})
    tracker.delete(CONFIGMAPS, "ns", "a")
    tracker.stop_watch(watcher)
    tracker.create(CONFIGMAPS, "ns", _cm("late"))
    assert _events(sink) == [
        ("ADDED", "a"),
        ("ADDED", "b"),
        ("MODIFIED", "b"),
        ("DELETED", "a"),
        ("END", ""),
    ]


def test_watch_from_resource_version_replays_history_only_after_it(tracker: ObjectTracker) -> None:
    a = tracker.create(CONFIGMAPS, "ns", _cm("a"))
    tracker.create(CONFIGMAPS, "ns", _cm("b"))
    sink: queue.Queue[bytes | None] = queue.Queue()
    tracker.watch(CONFIGMAPS, ALL, sink.put, resource_version=a["metadata"]["resourceVersion"])
    assert _events(sink) == [("ADDED", "b")]


def test_watch_label_selector_transitions(tracker: ObjectTracker) -> None:
    tracker.create(CONFIGMAPS, "ns", _cm("a", metadata={"labels": {"app": "x"}}))
    sink: queue.Queue[bytes | None] = queue.Queue()
    tracker.watch(
        CONFIGMAPS,
        Selection.parse(None, "app=x", None),
        sink.put,
        resource_version=tracker.resource_version,
    )
    tracker.patch(CONFIGMAPS, "ns", "a", PatchType.MERGE, {"metadata": {"labels": {"app": "y"}}})
    tracker.patch(CONFIGMAPS, "ns", "a", PatchType.MERGE, {"metadata": {"labels": {"app": "x"}}})
    assert _events(sink) == [("DELETED", "a"), ("ADDED", "a")]


def test_watch_from_compacted_resource_version_is_expired() -> None:
    small = ObjectTracker(ResourceRegistry([CONFIGMAPS]), history_size=2)
    for name in "abcd":
        small.create(CONFIGMAPS, "ns", _cm(name))
    sink: queue.Queue[bytes | None] = queue.Queue()
    small.watch(CONFIGMAPS, ALL, sink.put, resource_version="1")
    assert _events(sink) == [("ERROR", 410), ("END", "")]


def test_send_initial_events_ends_with_bookmark(tracker: ObjectTracker) -> None:
    tracker.create(CONFIGMAPS, "ns", _cm("a"))
    sink: queue.Queue[bytes | None] = queue.Queue()
    tracker.watch(CONFIGMAPS, ALL, sink.put, send_initial_events=True)
    lines = [orjson.loads(sink.get_nowait()) for _ in range(2)]
    assert [e["type"] for e in lines] == ["ADDED", "BOOKMARK"]
    assert lines[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
    assert lines[1]["object"]["metadata"]["resourceVersion"] == tracker.resource_version
