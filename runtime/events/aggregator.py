"""IO-free event aggregation for events.k8s.io/v1 (client-go ``tools/events`` semantics).

The first occurrence of an event creates it; repeats with the same regarding object, reason,
action, note, type and reporter within ``window`` seconds of the last occurrence become a patch
of ``series.count`` (total occurrences) and ``series.lastObservedTime`` on the created event.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kubetyped.errors import KubetypedError
from kubetyped.model import format_time

NOTE_MAX_BYTES = 1024
EVENT_TYPES = ("Normal", "Warning")
DEFAULT_WINDOW = 6 * 60.0


class EventError(KubetypedError, ValueError):
    """An event cannot be recorded as given (names the field)."""


@dataclass(frozen=True, slots=True)
class ObjectReference:
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

    def to_dict(self) -> dict[str, str]:
        out = {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
            "uid": self.uid,
            "resourceVersion": self.resource_version,
        }
        return {k: v for k, v in out.items() if v}


def _model_api_version(obj: Any) -> str:
    version = getattr(type(obj), "kube_version", None)
    if not version:
        return ""
    group = getattr(type(obj), "kube_group", "") or ""
    return f"{group}/{version}" if group else str(version)


@dataclass(frozen=True, slots=True)
class CreateEvent:
    key: tuple[str, ...]
    namespace: str
    event: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PatchEvent:
    key: tuple[str, ...]
    namespace: str
    name: str
    patch: dict[str, Any]


@dataclass
class _Series:
    namespace: str
    name: str | None  # None until the create returned
    count: int
    last_seen: float
    event: dict[str, Any]  # the body as first created, for re-creating it


@dataclass
class EventAggregator:
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
            patch = {
                "series": {"count": series.count, "lastObservedTime": format_time(wall, micro=True)}
            }
            return PatchEvent(key, series.namespace, series.name, patch)
        event: dict[str, Any] = {
            "apiVersion": "events.k8s.io/v1",
            "kind": "Event",
            "metadata": {"name": self._name(regarding.name, wall), "namespace": namespace},
            "eventTime": format_time(wall, micro=True),
            "reportingController": self.reporting_controller,
            "reportingInstance": self.reporting_instance,
            "action": action,
            "reason": reason,
            "note": note,
            "type": type,
            "regarding": regarding.to_dict(),
        }
        if related is not None:
            event["related"] = related.to_dict()
        self._series[key] = _Series(namespace, None, 1, now, event)
        return CreateEvent(key, namespace, copy.deepcopy(event))

    def _name(self, regarding_name: str, wall: datetime) -> str:
        return f"{regarding_name}.{int(wall.timestamp() * 1e9):x}{next(self._seq):x}"

    def recreate(self, step: PatchEvent) -> CreateEvent | None:
        """The event to patch is gone (deleted, or expired by its TTL): create it again under a
        new name with the series so far, as client-go does when a series patch gets 404."""
        series = self._series.get(step.key)
        if series is None or series.name != step.name:
            return None
        series.name = None
        event = copy.deepcopy(series.event)
        event["metadata"]["name"] = self._name(
            event["regarding"].get("name", ""), self.wall_clock()
        )
        event["series"] = dict(step.patch["series"])
        return CreateEvent(step.key, series.namespace, event)

    def created(self, key: tuple[str, ...], name: str) -> None:
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
