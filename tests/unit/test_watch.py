"""Sans-IO watch decoding: chunk boundaries, resourceVersion tracking, ERROR events."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from kubetyped.errors import ExpiredError, InternalError, WatchDecodeError
from kubetyped.watch import EventType, WatchDecoder, WatchEvent


def line(event_type: str, obj: dict[str, Any]) -> bytes:
    return orjson.dumps({"type": event_type, "object": obj}) + b"\n"


def pod(name: str, rv: str) -> dict[str, Any]:
    return {"kind": "Pod", "metadata": {"name": name, "resourceVersion": rv}}


def bookmark(rv: str) -> dict[str, Any]:
    return {"kind": "Pod", "metadata": {"resourceVersion": rv}}


GONE = {
    "kind": "Status",
    "apiVersion": "v1",
    "status": "Failure",
    "message": "too old resource version: 1 (5)",
    "reason": "Expired",
    "code": 410,
}

STREAM = (
    line("ADDED", pod("a", "10"))
    + line("MODIFIED", pod("a", "11"))
    + line("BOOKMARK", bookmark("15"))
    + line("DELETED", pod("a", "16"))
)


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 50, len(STREAM)])
def test_events_split_across_chunks(chunk_size: int) -> None:
    decoder = WatchDecoder()
    events: list[WatchEvent] = []
    for start in range(0, len(STREAM), chunk_size):
        events += decoder.feed(STREAM[start : start + chunk_size])
    assert [e.type for e in events] == [
        EventType.ADDED,
        EventType.MODIFIED,
        EventType.BOOKMARK,
        EventType.DELETED,
    ]
    assert events[0].object["metadata"]["name"] == "a"
    assert decoder.resource_version == "16"
    assert decoder.pending == 0
    assert decoder.finish() == []


def test_partial_event_is_held_back_until_complete() -> None:
    decoder = WatchDecoder()
    data = line("ADDED", pod("a", "3"))
    assert decoder.feed(data[:-5]) == []
    assert decoder.pending == len(data) - 5
    assert decoder.resource_version is None
    (event,) = decoder.feed(data[-5:])
    assert event.resource_version == "3"
    assert decoder.resource_version == "3"


def test_bookmark_moves_the_resource_version() -> None:
    decoder = WatchDecoder(resource_version="1")
    decoder.feed(line("ADDED", pod("a", "5")))
    assert decoder.resource_version == "5"
    (event,) = decoder.feed(line("BOOKMARK", bookmark("42")))
    assert event.type is EventType.BOOKMARK
    assert decoder.resource_version == "42"


def test_error_event_becomes_expired_error() -> None:
    decoder = WatchDecoder()
    events = decoder.feed(line("ADDED", pod("a", "7")) + line("ERROR", GONE))
    assert [e.type for e in events] == [EventType.ADDED, EventType.ERROR]
    error = events[1].error()
    assert isinstance(error, ExpiredError)
    assert error.code == 410 and "too old resource version" in str(error)
    # an ERROR does not move the resume point
    assert decoder.resource_version == "7"
    assert events[0].error() is None


def test_other_error_statuses_map_too() -> None:
    status = {"kind": "Status", "code": 500, "reason": "InternalError", "message": "etcd"}
    (event,) = WatchDecoder().feed(line("ERROR", status))
    assert isinstance(event.error(), InternalError)


def test_last_event_without_newline_is_decoded_at_finish() -> None:
    decoder = WatchDecoder()
    assert decoder.feed(line("ADDED", pod("a", "1"))[:-1]) == []
    (event,) = decoder.finish()
    assert event.type is EventType.ADDED
    assert decoder.finish() == []


def test_blank_lines_are_ignored() -> None:
    events = WatchDecoder().feed(b"\n\r\n" + line("ADDED", pod("a", "1")) + b"\n")
    assert len(events) == 1


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"not json\n", "not JSON"),
        (b"[1,2]\n", "not a JSON object"),
        (b'{"type":"EXPLODED","object":{}}\n', "unknown watch event type"),
        (b'{"type":"ADDED"}\n', "without an object"),
    ],
)
def test_garbage_is_a_typed_error(data: bytes, match: str) -> None:
    with pytest.raises(WatchDecodeError, match=match):
        WatchDecoder().feed(data)


def test_truncated_stream_end_is_a_typed_error() -> None:
    decoder = WatchDecoder()
    decoder.feed(b'{"type":"ADDED","obj')
    with pytest.raises(WatchDecodeError):
        decoder.finish()


def test_watch_event_and_recorded_event_do_not_share_a_name() -> None:
    """`kubetyped.typed` names the watch event `WatchEvent`; `Event` is the events.k8s.io object
    (`kubetyped.events` records it). The old alias still resolves, with a DeprecationWarning."""
    import kubetyped.typed
    from kubetyped import api
    from kubetyped.watch import WatchEvent as TheWatchEvent

    assert kubetyped.typed.WatchEvent is TheWatchEvent
    assert "Event" not in kubetyped.typed.__all__ and "WatchEvent" in kubetyped.typed.__all__
    with pytest.warns(DeprecationWarning, match=r"kubetyped\.watch\.WatchEvent"):
        assert kubetyped.typed.Event is TheWatchEvent
    assert api.Event is not TheWatchEvent and api.Event.kube_group == "events.k8s.io"
