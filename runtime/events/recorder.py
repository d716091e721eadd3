"""Event recorders (thread and asyncio) writing through an ``EventSink``."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from kubetyped.errors import NotFoundError
from kubetyped.events.aggregator import (
    CreateEvent,
    EventAggregator,
    ObjectReference,
    PatchEvent,
)
from kubetyped.request import PatchType
from kubetyped.rest import AsyncRESTClient, RESTClient

log = logging.getLogger("kubetyped.events")
Event = dict[str, Any]


class EventSink(Protocol):
    def create(self, namespace: str, event: Event) -> Event: ...

    def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event: ...


class AsyncEventSink(Protocol):
    async def create(self, namespace: str, event: Event) -> Event: ...

    async def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event: ...


def events_path(namespace: str) -> str:
    return f"/apis/events.k8s.io/v1/namespaces/{namespace}/events"


class RestEventSink:
    def __init__(self, client: RESTClient) -> None:
        self.client = client

    def create(self, namespace: str, event: Event) -> Event:
        return self.client.create(events_path(namespace), event)

    def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event:
        return self.client.patch(f"{events_path(namespace)}/{name}", patch, PatchType.MERGE)


class AsyncRestEventSink:
    def __init__(self, client: AsyncRESTClient) -> None:
        self.client = client

    async def create(self, namespace: str, event: Event) -> Event:
        return await self.client.create(events_path(namespace), event)

    async def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event:
        return await self.client.patch(f"{events_path(namespace)}/{name}", patch, PatchType.MERGE)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _ref(obj: Any) -> ObjectReference:
    return obj if isinstance(obj, ObjectReference) else ObjectReference.from_object(obj)


class EventRecorder:
    """``record(regarding, type, reason, action, note)``; write errors are logged, not raised
    (events are best effort, as in client-go). Calls the sink synchronously. A series patch
    that finds its event gone (404) creates the event again, series included."""

    def __init__(
        self,
        sink: EventSink,
        reporting_controller: str,
        reporting_instance: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.sink = sink
        self.aggregator = EventAggregator(
            reporting_controller, reporting_instance, clock, wall_clock
        )
        self._lock = threading.Lock()

    def record(
        self,
        regarding: Any,
        type: str,
        reason: str,
        action: str,
        note: str = "",
        related: Any = None,
    ) -> Event | None:
        with self._lock:
            step = self.aggregator.observe(
                _ref(regarding), _ref(related) if related else None, type, reason, action, note
            )
            try:
                if isinstance(step, PatchEvent):
                    try:
                        return self.sink.patch(step.namespace, step.name, step.patch)
                    except NotFoundError:
                        recreate = self.aggregator.recreate(step)
                        if recreate is None:
                            raise
                        step = recreate
                created = self.sink.create(step.namespace, step.event)
                self.aggregator.created(step.key, created["metadata"]["name"])
                return created
            except Exception as exc:
                if isinstance(step, CreateEvent):
                    self.aggregator.failed(step.key)
                log.warning("could not write event %s/%s: %s", type, reason, exc)
                return None


class AsyncEventRecorder:
    """The asyncio twin of ``EventRecorder`` (same aggregation, same best-effort writes)."""

    def __init__(
        self,
        sink: AsyncEventSink,
        reporting_controller: str,
        reporting_instance: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.sink = sink
        self.aggregator = EventAggregator(
            reporting_controller, reporting_instance, clock, wall_clock
        )
        self._lock = asyncio.Lock()

    async def record(
        self,
        regarding: Any,
        type: str,
        reason: str,
        action: str,
        note: str = "",
        related: Any = None,
    ) -> Event | None:
        # Serialised like the thread recorder: a repeat recorded while the first create is
        # still in flight must patch that event, not create a second one.
        async with self._lock:
            step = self.aggregator.observe(
                _ref(regarding), _ref(related) if related else None, type, reason, action, note
            )
            try:
                if isinstance(step, PatchEvent):
                    try:
                        return await self.sink.patch(step.namespace, step.name, step.patch)
                    except NotFoundError:
                        recreate = self.aggregator.recreate(step)
                        if recreate is None:
                            raise
                        step = recreate
                created = await self.sink.create(step.namespace, step.event)
                self.aggregator.created(step.key, created["metadata"]["name"])
                return created
            except Exception as exc:
                if isinstance(step, CreateEvent):
                    self.aggregator.failed(step.key)
                log.warning("could not write event %s/%s: %s", type, reason, exc)
                return None
