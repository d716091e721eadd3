"""Event handlers and the per-registration notification queue (client-go processorListener).

``ListenerState`` is the shared, IO-free part: a FIFO of notifications and the registration's
sync marker. Thread and asyncio drivers pop from it and call the handler one notification at a
time, so a registration's callbacks run in order and never concurrently.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("kubetyped.cache")


class ResourceEventHandler(Protocol):
    def on_add(self, obj: Any, is_in_initial_list: bool) -> Any: ...

    def on_update(self, old: Any, new: Any) -> Any: ...

    def on_delete(self, obj: Any) -> Any: ...


@dataclass(frozen=True)
class FuncHandler:
    """A handler from optional callables (sync callables, or coroutine functions in asyncio)."""

    add: Callable[[Any, bool], Any] | None = None
    update: Callable[[Any, Any], Any] | None = None
    delete: Callable[[Any], Any] | None = None

    def on_add(self, obj: Any, is_in_initial_list: bool) -> Any:
        return self.add(obj, is_in_initial_list) if self.add else None

    def on_update(self, old: Any, new: Any) -> Any:
        return self.update(old, new) if self.update else None

    def on_delete(self, obj: Any) -> Any:
        return self.delete(obj) if self.delete else None


@dataclass(frozen=True, slots=True)
class Added:
    obj: Any
    is_in_initial_list: bool


@dataclass(frozen=True, slots=True)
class Updated:
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Deleted:
    obj: Any  # the final object, or a DeletedFinalStateUnknown tombstone


@dataclass(frozen=True, slots=True)
class InitialListDelivered:
    """Marker: everything before it belongs to the registration's initial list."""


Notification = Added | Updated | Deleted | InitialListDelivered


@dataclass(eq=False)
class ListenerState:
    handler: ResourceEventHandler
    resync_period: float = 0.0
    next_resync: float = 0.0
    wake: Callable[[], None] = field(default=lambda: None)
    queue: deque[Notification] = field(default_factory=deque)
    synced: threading.Event = field(default_factory=threading.Event)
    removed: bool = False

    def push(self, notification: Notification) -> None:
        self.queue.append(notification)
        self.wake()

    def pop(self) -> Notification | None:
        try:
            return self.queue.popleft()
        except IndexError:
            return None

    def dispatch(self, n: Notification) -> Any:
        """Call the handler for ``n``; returns its result (awaited by the asyncio driver)."""
        if isinstance(n, InitialListDelivered):
            self.synced.set()
            return None
        if isinstance(n, Added):
            return self.handler.on_add(n.obj, n.is_in_initial_list)
        if isinstance(n, Updated):
            return self.handler.on_update(n.old, n.new)
        return self.handler.on_delete(n.obj)


class Registration:
    """Handle returned by ``add_event_handler``; pass it to ``remove_event_handler``."""

    def __init__(self, state: ListenerState) -> None:
        self._state = state

    @property
    def state(self) -> ListenerState:
        return self._state

    @property
    def handler(self) -> ResourceEventHandler:
        return self._state.handler

    def has_synced(self) -> bool:
        """True once the informer synced and this handler processed its initial list."""
        return self._state.synced.is_set()

    def __repr__(self) -> str:
        return f"Registration(handler={self._state.handler!r}, synced={self.has_synced()})"


def handle_crash(n: Notification, exc: BaseException) -> None:
    log.error("event handler failed on %s: %r", type(n).__name__, exc, exc_info=exc)
