"""Incremental (sans-IO) decoding of watch streams: newline-delimited JSON `WatchEvent`s.

`WatchDecoder.feed(chunk)` accepts bytes as they arrive, split anywhere, and returns the complete
events; it remembers the last resourceVersion seen (BOOKMARKs included) so a watch can resume.
An ERROR event carries a `Status`; `WatchEvent.error()` turns it into the typed `ApiError`
(410 → `ExpiredError`: the resourceVersion is too old, relist).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson

from kubetyped.errors import ApiError, WatchDecodeError, api_error_from_response

_SNIPPET = 200


class EventType(enum.StrEnum):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"
    BOOKMARK = "BOOKMARK"
    ERROR = "ERROR"


@dataclass(frozen=True)
class WatchEvent:
    type: EventType
    object: dict[str, Any] = field(repr=False)

    @property
    def resource_version(self) -> str | None:
        metadata = self.object.get("metadata")
        if isinstance(metadata, dict):
            rv = metadata.get("resourceVersion")
            if isinstance(rv, str) and rv:
                return rv
        return None

    def error(self) -> ApiError | None:
        """The typed error of an ERROR event (its object is a `Status`), else None."""
        if self.type is not EventType.ERROR:
            return None
        raw_code = self.object.get("code")
        code = raw_code if isinstance(raw_code, int) else 500
        return api_error_from_response(code, orjson.dumps(self.object))


def decode_event(line: bytes) -> WatchEvent:
    """One watch event from one JSON line."""
    try:
        decoded = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise WatchDecodeError(f"watch stream line is not JSON ({exc}): {_snippet(line)}") from None
    if not isinstance(decoded, dict):
        raise WatchDecodeError(f"watch event is not a JSON object: {_snippet(line)}")
    raw_type, obj = decoded.get("type"), decoded.get("object")
    try:
        event_type = EventType(raw_type if isinstance(raw_type, str) else "")
    except ValueError:
        raise WatchDecodeError(f"unknown watch event type {raw_type!r}") from None
    if not isinstance(obj, dict):
        raise WatchDecodeError(f"{event_type.value} watch event without an object")
    return WatchEvent(event_type, obj)


@dataclass(frozen=True)
class UnparsedWatchEvent(WatchEvent):
    """A watch event whose ADDED/MODIFIED/DELETED object is still its JSON (a ``msgspec.Raw``;
    ``KubeModel.from_unparsed`` wraps it), for informer caches that may never read it. BOOKMARK
    and ERROR objects are parsed (``dict``), as in `WatchEvent`."""

    object: Any = field(repr=False)
    rv: str | None = field(default=None, repr=False)

    @property
    def resource_version(self) -> str | None:
        return self.rv if not isinstance(self.object, dict) else super().resource_version


@cache
def _unparsed_decoders() -> tuple[Any, Any]:
    import msgspec

    event = msgspec.defstruct(
        "_Event", [("type", str | None, None), ("object", msgspec.Raw, msgspec.Raw())]
    )
    meta = msgspec.defstruct("_Meta", [("resourceVersion", str | None, None)])
    head = msgspec.defstruct("_Head", [("metadata", meta | None, None)])
    return msgspec.json.Decoder(event), msgspec.json.Decoder(head)


def decode_event_unparsed(line: bytes) -> UnparsedWatchEvent:
    """One watch event from one JSON line, its object left unparsed (see `UnparsedWatchEvent`)."""
    import msgspec

    events, heads = _unparsed_decoders()
    try:
        decoded = events.decode(line)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise WatchDecodeError(
            f"watch stream line is not a watch event ({exc}): {_snippet(line)}"
        ) from None
    raw_type, obj = decoded.type, decoded.object
    try:
        event_type = EventType(raw_type if isinstance(raw_type, str) else "")
    except ValueError:
        raise WatchDecodeError(f"unknown watch event type {raw_type!r}") from None
    if bytes(memoryview(obj)[:1]) != b"{":
        raise WatchDecodeError(f"{event_type.value} watch event without an object")
    if event_type in (EventType.ERROR, EventType.BOOKMARK):
        return UnparsedWatchEvent(event_type, orjson.loads(memoryview(obj)))
    try:
        meta = heads.decode(obj).metadata
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise WatchDecodeError(f"{event_type.value} watch event object: {exc}") from None
    rv = meta.resourceVersion if meta is not None else None
    return UnparsedWatchEvent(event_type, obj, rv or None)


def _snippet(data: bytes) -> str:
    text = data[:_SNIPPET].decode("utf-8", errors="replace")
    return text + ("…" if len(data) > _SNIPPET else "")


class WatchDecoder:
    """Feed it bytes, get events back; `resource_version` is the last one seen.

    `unparsed=True`: object events are `UnparsedWatchEvent`s (objects kept as JSON)."""

    def __init__(self, resource_version: str | None = None, *, unparsed: bool = False) -> None:
        self._buffer = bytearray()
        self.resource_version = resource_version
        self._decode: Callable[[bytes], WatchEvent] = (
            decode_event_unparsed if unparsed else decode_event
        )

    def feed(self, chunk: bytes) -> list[WatchEvent]:
        self._buffer += chunk
        end = self._buffer.rfind(b"\n")
        if end < 0:
            return []
        complete = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return self._decode_lines(complete.split(b"\n"))

    def finish(self) -> list[WatchEvent]:
        """The stream ended: decode what is left (a last event without a newline)."""
        rest = bytes(self._buffer)
        self._buffer.clear()
        return self._decode_lines([rest])

    def _decode_lines(self, lines: list[bytes]) -> list[WatchEvent]:
        events: list[WatchEvent] = []
        for line in lines:
            if not line.strip():
                continue
            event = self._decode(line)
            if event.type is not EventType.ERROR:
                rv = event.resource_version
                if rv is not None:
                    self.resource_version = rv
            events.append(event)
        return events

    @property
    def pending(self) -> int:
        """Bytes received but not yet part of a complete event."""
        return len(self._buffer)
