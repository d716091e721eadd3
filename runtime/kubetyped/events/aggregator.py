"""IO-free event aggregation for events.k8s.io/v1 (client-go ``tools/events`` semantics).

The first occurrence of an event creates it; repeats with the same regarding object, reason,
action, note, type and reporter within ``window`` seconds of the last occurrence become a patch
of ``series.count`` (total occurrences) and ``series.lastObservedTime`` on the created event.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kubetyped import api
from kubetyped.errors import KubetypedError
from kubetyped.model import MicroTime

if TYPE_CHECKING:
    from kubetyped.api import Event, EventSeries

__all__ = ["CreateEvent", "EventAggregator", "EventError", "ObjectReference", "PatchEvent"]

#: The longest ``note`` the API accepts, in UTF-8 bytes (longer notes are truncated).
NOTE_MAX_BYTES = 1024
#: The event types the API accepts.
EVENT_TYPES = ("Normal", "Warning")
#: Seconds after the last occurrence within which a repeat joins the series (client-go's
#: ``events.EventSeriesCacheTTL``-like isolation window of 6 minutes).
DEFAULT_WINDOW = 6 * 60.0


class EventError(KubetypedError, ValueError):
    """An event cannot be recorded as given (names the field)."""


@dataclass(frozen=True, slots=True)
class ObjectReference:
    """What an event is about: apiVersion, kind, name, and when known namespace, uid and
    resourceVersion (client-go ``reference.GetReference``)."""

    api_version: str
    kind: str
    name: str
    namespace: str = ""
    uid: str = ""
    resource_version: str = ""

    @classmethod
    def from_object(cls, obj: Any) -> ObjectReference:
        """Reference a dict or typed model (needs apiVersion, kind and metadata).

        Objects from list responses (informer caches) carry no apiVersion/kind; typed models
        then fall back to their class's ``kube_group``/``kube_version``/``kube_kind``."""

        def get(o: Any, snake: str, camel: str) -> str:
            if isinstance(o, Mapping):
                return str(o.get(camel) or o.get(snake) or "")
            return str(getattr(o, snake, None) or getattr(o, camel, None) or "")

        meta = obj.get("metadata", {}) if isinstance(obj, Mapping) else obj.metadata
        return cls(
            get(obj, "api_version", "apiVersion") or _model_api_version(obj),
            get(obj, "kind", "kind") or str(getattr(type(obj), "kube_kind", "") or ""),
            get(meta, "name", "name"),
            get(meta, "namespace", "namespace"),
            get(meta, "uid", "uid"),
            get(meta, "resource_version", "resourceVersion"),
        )

    def to_model(self) -> api.ObjectReference:
        """The core/v1 ``ObjectReference`` model (empty fields left out)."""
        fields = {
            "api_version": self.api_version,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "uid": self.uid,
            "resource_version": self.resource_version,
        }
        reference: api.ObjectReference = api.ObjectReference(
            **{key: value for key, value in fields.items() if value}
        )
        return reference


def _model_api_version(obj: Any) -> str:
    version = getattr(type(obj), "kube_version", None)
    if not version:
        return ""
    group = getattr(type(obj), "kube_group", "") or ""
    return f"{group}/{version}" if group else str(version)


@dataclass(frozen=True, slots=True)
class CreateEvent:
    """Create ``event`` in ``namespace`` (the first occurrence, or a series re-created)."""

    key: tuple[str, ...]
    namespace: str
    event: Event


@dataclass(frozen=True, slots=True)
class PatchEvent:
    """Merge-patch the Event ``namespace``/``name`` with its new ``series`` (a repeat)."""

    key: tuple[str, ...]
    namespace: str
    name: str
    series: EventSeries

    @property
    def patch(self) -> dict[str, Any]:
        """The merge patch body: ``{"series": {"count": n, "lastObservedTime": t}}``."""
        return {"series": self.series.to_dict()}


@dataclass
class _Series:
    namespace: str
    name: str | None  # None until the create returned
    count: int
    last_seen: float
    event: Event  # the body as first created, for re-creating it


@dataclass
class EventAggregator:
    """Turns occurrences into creates and series patches (client-go ``tools/events``
    ``recorder.generateEvent`` + ``eventBroadcasterImpl.recordToSink``).

    ``clock`` is monotonic seconds (the ``window``), ``wall_clock`` the aware UTC time written
    into ``eventTime``/``series.lastObservedTime``. Not thread-safe: recorders serialise calls.
    """

    reporting_controller: str
    reporting_instance: str
    clock: Callable[[], float]
    wall_clock: Callable[[], datetime]
    window: float = DEFAULT_WINDOW
    _series: dict[tuple[str, ...], _Series] = field(default_factory=dict)
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def observe(
        self,
        regarding: ObjectReference,
        related: ObjectReference | None,
        type: str,
        reason: str,
        action: str,
        note: str,
    ) -> CreateEvent | PatchEvent:
        """What to write for one occurrence: a create, or a patch of the series it repeats.

        ``type`` is "Normal" or "Warning"; ``reason``/``action`` must not be empty (else
        ``EventError``); ``note`` is cut to ``NOTE_MAX_BYTES`` bytes of UTF-8. Events of a
        cluster-scoped object go to namespace "default", as client-go's."""
        if type not in EVENT_TYPES:
            raise EventError(f"event type must be one of {EVENT_TYPES}, got {type!r}")
        if not reason or not action:
            raise EventError("event reason and action must not be empty")
        note = note.encode()[:NOTE_MAX_BYTES].decode(errors="ignore")
        namespace = regarding.namespace or "default"
        key = (
            regarding.api_version,
            regarding.kind,
            regarding.namespace,
            regarding.name,
            regarding.uid,
            type,
            reason,
            action,
            note,
        )
        now, wall = self.clock(), self.wall_clock()
        self._expire(now)
        series = self._series.get(key)
        if series is not None and series.name is not None:
            series.count += 1
            series.last_seen = now
            observed = api.EventSeries(
                count=series.count, last_observed_time=MicroTime.combine(wall.date(), wall.timetz())
            )
            return PatchEvent(key, series.namespace, series.name, observed)
        event: Event = api.Event(
            api_version="events.k8s.io/v1",
            kind="Event",
            metadata=api.ObjectMeta(name=self._name(regarding.name, wall), namespace=namespace),
            event_time=MicroTime.combine(wall.date(), wall.timetz()),
            reporting_controller=self.reporting_controller,
            reporting_instance=self.reporting_instance,
            action=action,
            reason=reason,
            note=note,
            type=type,
            regarding=regarding.to_model(),
        )
        if related is not None:
            event.related = related.to_model()
        self._series[key] = _Series(namespace, None, 1, now, event)
        return CreateEvent(key, namespace, event.model_copy(deep=True))

    def _name(self, regarding_name: str, wall: datetime) -> str:
        return f"{regarding_name}.{int(wall.timestamp() * 1e9):x}{next(self._seq):x}"

    def recreate(self, step: PatchEvent) -> CreateEvent | None:
        """The event to patch is gone (deleted, or expired by its TTL): create it again under a
        new name with the series so far, as client-go does when a series patch gets 404."""
        series = self._series.get(step.key)
        if series is None or series.name != step.name:
            return None
        series.name = None
        first = series.event
        regarding_name = (first.regarding.name if first.regarding else None) or ""
        metadata = api.ObjectMeta(
            name=self._name(regarding_name, self.wall_clock()), namespace=series.namespace
        )
        event: Event = first.model_copy(
            update={"metadata": metadata, "series": step.series}, deep=True
        )
        return CreateEvent(step.key, series.namespace, event)

    def created(self, key: tuple[str, ...], name: str) -> None:
        """The create of ``key``'s series returned the Event ``name``: patch it from now on."""
        series = self._series.get(key)
        if series is not None:
            series.name = name

    def failed(self, key: tuple[str, ...]) -> None:
        """The create failed: forget it so the next occurrence creates again."""
        series = self._series.get(key)
        if series is not None and series.name is None:
            del self._series[key]

    def _expire(self, now: float) -> None:
        stale = [k for k, s in self._series.items() if now - s.last_seen > self.window]
        for k in stale:
            del self._series[k]
