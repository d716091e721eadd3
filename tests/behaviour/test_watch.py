"""Watch: event order, start from a resourceVersion, selector transitions."""

from __future__ import annotations

import threading
from typing import Any

from tests.behaviour.support import Backend


def _collect(watch: Any, count: int, out: list[tuple[str, str]]) -> None:
    for event in watch:
        out.append((event.type.value, event.object.metadata.name))
        if len(out) == count:
            watch.close()
            return


def test_events_arrive_in_order_from_a_resource_version(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "before"}})
    start = cms.list().metadata.resource_version
    watch = backend.cs.rest.watch(cms._client.resource.path, _options(start))
    events: list[tuple[str, str]] = []
    reader = threading.Thread(target=_collect, args=(_typed(cms, watch), 4, events))
    reader.start()
    cms.create({"metadata": {"name": "w"}})
    cms.update({"metadata": {"name": "w"}, "data": {"k": "1"}})
    cms.patch("w", {"data": {"k": "2"}}, "application/merge-patch+json")
    cms.delete("w")
    reader.join(10)
    assert events == [("ADDED", "w"), ("MODIFIED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]


def test_watch_from_past_resource_version_replays_only_newer(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    first = cms.create({"metadata": {"name": "one"}})
    cms.create({"metadata": {"name": "two"}})
    cms.delete("one")
    events: list[tuple[str, str]] = []
    watch = cms.watch(resource_version=first.metadata.resource_version, timeout_seconds=5)
    _collect(watch, 2, events)
    assert events == [("ADDED", "two"), ("DELETED", "one")]


def test_watch_without_resource_version_starts_with_current_objects(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "x", "labels": {"w": "1"}}})
    cms.create({"metadata": {"name": "y", "labels": {"w": "1"}}})
    events: list[tuple[str, str]] = []
    _collect(cms.watch(label_selector="w=1", timeout_seconds=5), 2, events)
    assert sorted(events) == [("ADDED", "x"), ("ADDED", "y")]


def test_label_selector_watch_sees_objects_enter_and_leave(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    created = cms.create({"metadata": {"name": "m", "labels": {"sel": "yes"}}})
    watch = cms.watch(
        label_selector="sel=yes",
        resource_version=created.metadata.resource_version,
        timeout_seconds=10,
    )
    events: list[tuple[str, str]] = []
    reader = threading.Thread(target=_collect, args=(watch, 3, events))
    reader.start()
    cms.patch("m", {"metadata": {"labels": {"sel": "no"}}}, "application/merge-patch+json")
    cms.patch("m", {"data": {"ignored": "1"}}, "application/merge-patch+json")
    cms.patch("m", {"metadata": {"labels": {"sel": "yes"}}}, "application/merge-patch+json")
    cms.patch("m", {"data": {"seen": "1"}}, "application/merge-patch+json")
    reader.join(10)
    assert events == [("DELETED", "m"), ("ADDED", "m"), ("MODIFIED", "m")]


def _options(resource_version: str | None) -> Any:
    from kubetyped.request import ListOptions

    return ListOptions(resource_version=resource_version, timeout_seconds=10)


def _typed(cms: Any, watch: Any) -> Any:
    """Typed events of a raw watch stream, closable like it."""

    class Typed:
        def __iter__(self) -> Any:
            for event in watch:
                yield cms._client.resource.codec.event(event)

        def close(self) -> None:
            watch.close()

    return Typed()


def test_streaming_list_ends_with_initial_events_bookmark(backend: Backend) -> None:
    from kubetyped.request import ListOptions

    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "s1"}})
    cms.create({"metadata": {"name": "s2"}})
    options = ListOptions(
        send_initial_events=True,
        resource_version_match="NotOlderThan",
        allow_watch_bookmarks=True,
        timeout_seconds=10,
    )
    seen: list[tuple[str, Any]] = []
    with backend.cs.rest.watch(cms._client.resource.path, options) as watch:
        for event in watch:
            annotations = event.object.get("metadata", {}).get("annotations") or {}
            seen.append((event.type.value, event.object["metadata"].get("name")))
            if annotations.get("k8s.io/initial-events-end") == "true":
                break
    assert sorted(seen[:-1]) == [("ADDED", "s1"), ("ADDED", "s2")]
    assert seen[-1][0] == "BOOKMARK"
