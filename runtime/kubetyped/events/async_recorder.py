"""The asyncio event recorder, writing through an ``AsyncEventSink`` (client-go ``tools/events``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from kubetyped import request as rq
from kubetyped.concurrency import AsyncLock
from kubetyped.errors import NotFoundError
from kubetyped.events.aggregator import CreateEvent, EventAggregator, PatchEvent
from kubetyped.events.common import EVENTS, object_reference, utcnow
from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.operations import typed_resource

if TYPE_CHECKING:
    from kubetyped.api import Event

__all__ = ["AsyncEventRecorder", "AsyncEventSink", "AsyncRestEventSink"]

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
    """An `AsyncEventSink` writing events.k8s.io/v1 Events through a REST client, with the
    request core every client family shares (`kubetyped.resource`, `EVENTS` bound by
    `typed_resource`) and the `kubetyped.api.Event` model (client-go
    `typedeventsv1.EventsV1Interface`)."""

    def __init__(self, client: AsyncRESTClient) -> None:
        self.client = client

    async def create(self, namespace: str, event: Event) -> Event:
        """POST the Event to events.k8s.io/v1 in `namespace`; returns the stored Event. Raises
        the typed `ApiError` of a refused request and `TransportError`."""
        ops = typed_resource(EVENTS, namespace)
        created: Event = ops.codec.decode(
            await self.client.send(ops.create(event, rq.WriteOptions()))
        )
        return created

    async def patch(self, namespace: str, name: str, patch: dict[str, Any]) -> Event:
        """Merge-patch the Event `name` in `namespace`; returns it. Raises `NotFoundError`
        (404) when it is gone, and other typed `ApiError`s."""
        ops = typed_resource(EVENTS, namespace)
        request = ops.patch(name, patch, rq.PatchType.MERGE, rq.WriteOptions())
        patched: Event = ops.codec.decode(await self.client.send(request))
        return patched


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
        (client-go `EventRecorder.Eventf`). `regarding`/`related` are objects with metadata (a
        model or a dict) or `ObjectReference`s. Returns the written Event (the
        `kubetyped.api.Event` model the server answered), or None when writing failed (logged,
        not raised). Raises `EventError` for an invalid `type`, empty `reason` or `action`."""
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
                name = created.metadata.name if created.metadata else None
                self.aggregator.created(step.key, name or "")
                return created
            except Exception as exc:
                if isinstance(step, CreateEvent):
                    self.aggregator.failed(step.key)
                log.warning("could not write event %s/%s: %s", type, reason, exc)
                return None
