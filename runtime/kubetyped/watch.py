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
from typing import Any, Generic, TypeVar

import orjson

from kubetyped.errors import ApiError, WatchDecodeError, api_error_from_status

__all__ = ["EventType", "WatchEvent"]

_SNIPPET = 200
T = TypeVar("T")


class EventType(enum.StrEnum):
    """The type of a watch event (API convention: watch events)."""

    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"
    BOOKMARK = "BOOKMARK"
    ERROR = "ERROR"


@dataclass(frozen=True)
class WatchEvent(Generic[T]):
    """One watch event, the one event type of every client family: the REST and dynamic clients
    (``object`` a dict), typed clients (a model), the metadata client (``PartialObjectMetadata``)
    and the cache (client-go ``watch.Event``). For informer caches the object of an
    ADDED/MODIFIED/DELETED event may still be its JSON (a ``msgspec.Raw``, see
    ``decode_event_unparsed``; ``KubeModel.from_unparsed`` wraps it).

    ``resource_version`` is the object's ``metadata.resourceVersion`` (for a BOOKMARK the only
    thing it carries). An ERROR event's object is a ``Status``; ``error()`` is its typed
    ``ApiError``, which the streams raise rather than yield.
    """

    type: EventType
    object: T = field(repr=False)
    resource_version: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.resource_version is None and isinstance(self.object, dict):
            object.__setattr__(self, "resource_version", _resource_version(self.object))

    def error(self) -> ApiError | None:
        """The typed error of an ERROR event (its object is a `Status`), else None."""
        if self.type != EventType.ERROR:
            return None
        return api_error_from_status(self.object)


def _resource_version(obj: dict[str, Any]) -> str | None:
    metadata = obj.get("metadata")
    if isinstance(metadata, dict):
        rv = metadata.get("resourceVersion")
        if isinstance(rv, str) and rv:
            return rv
    return None


def decode_event(line: bytes) -> WatchEvent[dict[str, Any]]:
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


@cache
def _event_decoders() -> tuple[Any, Any]:
    import msgspec

    event = msgspec.defstruct(
        "_Event", [("type", str | None, None), ("object", msgspec.Raw, msgspec.Raw())]
    )
    meta = msgspec.defstruct("_RV", [("resourceVersion", str | None, None)])
    head = msgspec.defstruct("_RVHead", [("metadata", meta | None, None)])
    return msgspec.json.Decoder(event), msgspec.json.Decoder(head)


@cache
def _metadata_decoder() -> Any:
    """Decodes ``metadata`` of one object's JSON (name, namespace, resourceVersion, uid, labels,
    annotations, by their wire names) and skips the rest: the one metadata decoder of unparsed
    objects, for watch events and caches (``kubetyped.cache.meta``)."""
    import msgspec

    optional_str = str | None
    meta = msgspec.defstruct(
        "_Meta",
        [
            *(
                (name, optional_str, None)
                for name in ("name", "namespace", "resourceVersion", "uid")
            ),
            ("labels", dict[str, str] | None, None),
            ("annotations", dict[str, str] | None, None),
        ],
    )
    head = msgspec.defstruct("_Head", [("metadata", meta | None, None)])
    return msgspec.json.Decoder(head)


# The metadata last decoded from an unparsed object and its JSON buffer (held, so identity is
# safe): the watch decoder, the cache's key and index functions, the reflector and a handler
# reading the new object all read the same event's metadata; it is decoded once.
_last_metadata: tuple[Any, Any] = (None, None)


def _recall_metadata(buffer: Any) -> Any:
    """The metadata decoded last if it was decoded from ``buffer`` (the same object), else None."""
    last_buffer, last_meta = _last_metadata
    return last_meta if last_buffer is buffer else None


def _remember_metadata(buffer: Any, meta: Any) -> None:
    global _last_metadata
    _last_metadata = (buffer, meta)


_EVENT_TYPES = {t.value: t for t in EventType}


def decode_event_unparsed(line: bytes) -> WatchEvent[Any]:
    """One watch event from one JSON line; an ADDED/MODIFIED/DELETED object is left unparsed (a
    ``msgspec.Raw``), BOOKMARK and ERROR objects are parsed (``dict``). The object's metadata is
    decoded once, here (its resourceVersion), and remembered for the cache that stores it."""
    import msgspec

    events, rv_heads = _event_decoders()
    try:
        decoded = events.decode(line)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise WatchDecodeError(
            f"watch stream line is not a watch event ({exc}): {_snippet(line)}"
        ) from None
    raw_type, obj = decoded.type, decoded.object
    event_type = _EVENT_TYPES.get(raw_type) if isinstance(raw_type, str) else None
    if event_type is None:
        raise WatchDecodeError(f"unknown watch event type {raw_type!r}")
    if bytes(memoryview(obj)[:1]) != b"{":
        raise WatchDecodeError(f"{event_type.value} watch event without an object")
    if event_type is EventType.ERROR or event_type is EventType.BOOKMARK:
        return WatchEvent(event_type, orjson.loads(memoryview(obj)))
    try:
        meta = _metadata_decoder().decode(obj).metadata
    except (msgspec.DecodeError, msgspec.ValidationError):
        meta = None  # metadata of an unexpected shape: the cache reports it; only the RV here
        try:
            rv_meta = rv_heads.decode(obj).metadata
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise WatchDecodeError(f"{event_type.value} watch event object: {exc}") from None
        rv = rv_meta.resourceVersion if rv_meta is not None else None
    else:
        rv = meta.resourceVersion if meta is not None else None
        if meta is not None:
            _remember_metadata(obj, meta)
    return WatchEvent(event_type, obj, rv or None)


def _snippet(data: bytes) -> str:
    text = data[:_SNIPPET].decode("utf-8", errors="replace")
    return text + ("…" if len(data) > _SNIPPET else "")


class WatchDecoder:
    """Feed it bytes, get events back; `resource_version` is the last one seen.

    `unparsed=True`: ADDED/MODIFIED/DELETED objects are kept as JSON (see
    `decode_event_unparsed`)."""

    def __init__(self, resource_version: str | None = None, *, unparsed: bool = False) -> None:
        self._buffer = bytearray()
        self.resource_version = resource_version
        self._decode: Callable[[bytes], WatchEvent[Any]] = (
            decode_event_unparsed if unparsed else decode_event
        )

    def feed(self, chunk: bytes) -> list[WatchEvent[Any]]:
        """Add one chunk of the response body and return the events of the lines it completed (one JSON
        object per line, client-go `watch.StreamWatcher`); a partial line waits for the next chunk.
        Updates `resource_version`; raises `WatchDecodeError` for a line that is not a watch event.
        """
        if not self._buffer and type(chunk) is bytes and chunk.endswith(b"\n"):
            # whole lines (a watch event per chunk is usual): split without buffering
            return self._decode_lines(chunk.split(b"\n"))
        self._buffer += chunk
        end = self._buffer.rfind(b"\n")
        if end < 0:
            return []
        complete = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return self._decode_lines(complete.split(b"\n"))

    def finish(self) -> list[WatchEvent[Any]]:
        """The stream ended: decode what is left (a last event without a newline)."""
        rest = bytes(self._buffer)
        self._buffer.clear()
        return self._decode_lines([rest])

    def _decode_lines(self, lines: list[bytes]) -> list[WatchEvent[Any]]:
        events: list[WatchEvent[Any]] = []
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
