"""Event recorder aggregation (events.k8s.io/v1 series), with a fake sink."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kubetyped.api import Event
from kubetyped.events import AsyncEventRecorder, EventError, EventRecorder, ObjectReference


class Sink:
    """Records the wire form of what the recorder writes; answers like the server."""

    def __init__(self) -> None:
        self.created: list[tuple[str, dict[str, Any]]] = []
        self.patched: list[tuple[str, str, dict[str, Any]]] = []
        self.fail = False

    def create(self, namespace: str, event: Event) -> Event:
        assert isinstance(event, Event)  # the events.k8s.io/v1 model, not a hand-made dict
        if self.fail:
            raise ConnectionError("down")
        self.created.append((namespace, event.to_dict()))
        return event

    def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event:
        self.patched.append((namespace, name, patch))
        return Event.from_raw({"metadata": {"name": name, "namespace": namespace}, **patch})


class Clocks:
    def __init__(self) -> None:
        self.mono = 0.0
        self.wall = datetime(2026, 1, 1, tzinfo=UTC)

    def advance(self, s: float) -> None:
        self.mono += s
        self.wall += timedelta(seconds=s)


POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "ns", "uid": "u1"},
}


def recorder(sink: Sink, c: Clocks) -> EventRecorder:
    return EventRecorder(sink, "ctrl", "ctrl-1", clock=lambda: c.mono, wall_clock=lambda: c.wall)


def test_first_event_is_created_with_v1_fields() -> None:
    sink, c = Sink(), Clocks()
    recorder(sink, c).record(POD, "Normal", "Started", "Start", "started web")
    ((ns, ev),) = sink.created
    assert ns == "ns"
    assert ev["apiVersion"] == "events.k8s.io/v1"
    assert ev["regarding"] == {
        "apiVersion": "v1",
        "kind": "Pod",
        "name": "web",
        "namespace": "ns",
        "uid": "u1",
    }
    assert ev["metadata"]["name"].startswith("web.")
    assert (ev["reason"], ev["action"], ev["note"], ev["type"]) == (
        "Started",
        "Start",
        "started web",
        "Normal",
    )
    assert ev["eventTime"] == "2026-01-01T00:00:00.000000Z"
    assert ev["reportingController"] == "ctrl" and ev["reportingInstance"] == "ctrl-1"


def test_repeats_within_window_patch_series() -> None:
    sink, c = Sink(), Clocks()
    rec = recorder(sink, c)
    rec.record(POD, "Warning", "BackOff", "Restart", "crash")
    c.advance(10)
    rec.record(POD, "Warning", "BackOff", "Restart", "crash")
    c.advance(10)
    rec.record(POD, "Warning", "BackOff", "Restart", "crash")
    assert len(sink.created) == 1
    name = sink.created[0][1]["metadata"]["name"]
    assert [p[1] for p in sink.patched] == [name, name]
    assert sink.patched[-1][2] == {
        "series": {"count": 3, "lastObservedTime": "2026-01-01T00:00:20.000000Z"}
    }


def test_different_note_or_expired_window_creates_new_event() -> None:
    sink, c = Sink(), Clocks()
    rec = recorder(sink, c)
    rec.record(POD, "Normal", "Sync", "Sync", "a")
    rec.record(POD, "Normal", "Sync", "Sync", "b")
    assert len(sink.created) == 2
    c.advance(6 * 60 + 1)
    rec.record(POD, "Normal", "Sync", "Sync", "a")
    assert len(sink.created) == 3 and sink.patched == []


def test_failed_create_is_retried_as_create() -> None:
    sink, c = Sink(), Clocks()
    rec = recorder(sink, c)
    sink.fail = True
    assert rec.record(POD, "Normal", "X", "Y", "z") is None
    sink.fail = False
    rec.record(POD, "Normal", "X", "Y", "z")
    assert len(sink.created) == 1 and sink.patched == []


def test_bad_type_is_rejected() -> None:
    with pytest.raises(EventError, match="event type"):
        recorder(Sink(), Clocks()).record(POD, "Info", "R", "A")


async def test_async_recorder_aggregates() -> None:
    sink, c = Sink(), Clocks()

    class AsyncSink:
        async def create(self, ns: str, ev: Event) -> Event:
            return sink.create(ns, ev)

        async def patch(self, ns: str, name: str, p: dict[str, Any]) -> Event:
            return sink.patch(ns, name, p)

    rec = AsyncEventRecorder(AsyncSink(), "c", "i", clock=lambda: c.mono, wall_clock=lambda: c.wall)
    ref = ObjectReference("v1", "Node", "n1")
    await rec.record(ref, "Normal", "R", "A", "x")
    await rec.record(ref, "Normal", "R", "A", "x")
    assert len(sink.created) == 1 and sink.created[0][0] == "default"
    assert sink.patched[0][2]["series"]["count"] == 2
