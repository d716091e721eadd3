"""What both event recorders share: the events.k8s.io/v1 resource, clocks and references."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kubetyped.events.aggregator import ObjectReference
from kubetyped.typed.resource import ResourceInfo

__all__: list[str] = []

#: events.k8s.io/v1 ``events``, as the generated ``EventsV1`` client names it; the REST sinks
#: build their requests with the request core (``typed_resource`` of it).
EVENTS = ResourceInfo(
    group="events.k8s.io",
    version="v1",
    plural="events",
    singular="event",
    kind="Event",
    list_kind="EventList",
    namespaced=True,
    verbs=frozenset(
        {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
    ),
    model="kubetyped.api:Event",
    list_model="kubetyped.api:EventList",
)


def utcnow() -> datetime:
    """The current wall-clock time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def object_reference(obj: Any) -> ObjectReference:
    """`obj` as an `ObjectReference` (an object with metadata, or a reference already)."""
    return obj if isinstance(obj, ObjectReference) else ObjectReference.from_object(obj)
