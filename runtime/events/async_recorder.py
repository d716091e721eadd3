"""The asyncio event recorder, writing through an ``AsyncEventSink`` (client-go ``tools/events``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from kubetyped.concurrency import AsyncLock
from kubetyped.errors import NotFoundError
from kubetyped.events.aggregator import CreateEvent, EventAggregator, PatchEvent
from kubetyped.events.common import Event, events_path, object_reference, utcnow
from kubetyped.request import PatchType
from kubetyped.rest import AsyncRESTClient

log = logging.getLogger("kubetyped.events")


class AsyncEventSink(Protocol):
    """Where a recorder writes events (client-go `EventSink`)."""

    async def create(self, namespace: str, event: Event) -> Event:
        """Create `event` in `namespace`; returns the created Event."""
        ...

    async def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event:
        """Merge-patch the Event `name` (a series update); returns it."""
        ...


class AsyncRestEventSink:
    """An `AsyncEventSink` writing events.k8s.io/v1 Events through a REST client."""

    def __init__(self, client: AsyncRESTClient) -> None:
        self.client = client

    async def create(self, namespace: str, event: Event) -> Event:
        """POST the Event to events.k8s.io/v1."""
        return await self.client.create(events_path(namespace), event)

    async def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event:
        """Merge-patch the Event `name` in events.k8s.io/v1."""
        return await self.client.patch(f"{events_path(namespace)}/{name}", patch, PatchType.MERGE)


class AsyncEventRecorder:
    """``record(regarding, type, reason, action, note)``; write errors are logged, not raised
    (events are best effort, as in client-go). A series patch that finds its event gone (404)
    creates the event again, series included."""

    def __init__(
        self,
        sink: AsyncEventSink,
        reporting_controller: str,
        reporting_instance: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sink = sink
        self.aggregator = EventAggregator(
            reporting_controller, reporting_instance, clock, wall_clock
        )
        self._lock = AsyncLock()

    async def record(
        self,
        regarding: Any,
        type: str,
        reason: str,
        action: str,
        note: str = "",
        related: Any = None,
    ) -> Event | None:
        """Record an event about `regarding`: `type` is Normal or Warning, `reason` and `action`
        are CamelCase, `note` is human-readable. Repeats within the window become a series
        (client-go `EventRecorder.Eventf`). Returns the written Event, or None when writing
        failed (logged, not raised)."""
        # Serialised: a repeat recorded while the first create is still in flight must patch
        # that event, not create a second one.
        async with self._lock:
            step = self.aggregator.observe(
                object_reference(regarding),
                object_reference(related) if related else None,
                type,
                reason,
                action,
                note,
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
