"""What both event recorders share: the Event body type, its path and reference helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kubetyped.events.aggregator import ObjectReference

Event = dict[str, Any]


def events_path(namespace: str) -> str:
    """The events.k8s.io/v1 collection path of `namespace`."""
    return f"/apis/events.k8s.io/v1/namespaces/{namespace}/events"


def utcnow() -> datetime:
    """The current wall-clock time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def object_reference(obj: Any) -> ObjectReference:
    """`obj` as an `ObjectReference` (an object with metadata, or a reference already)."""
    return obj if isinstance(obj, ObjectReference) else ObjectReference.from_object(obj)
