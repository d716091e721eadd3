"""events.k8s.io/v1 event recording with series aggregation (client-go ``tools/events``)."""

from __future__ import annotations

from kubetyped.events.aggregator import EventAggregator, EventError, ObjectReference
from kubetyped.events.async_recorder import AsyncEventRecorder, AsyncEventSink, AsyncRestEventSink
from kubetyped.events.sync_recorder import EventRecorder, EventSink, RestEventSink

__all__ = [
    "AsyncEventRecorder",
    "AsyncEventSink",
    "AsyncRestEventSink",
    "EventAggregator",
    "EventError",
    "EventRecorder",
    "EventSink",
    "ObjectReference",
    "RestEventSink",
]
