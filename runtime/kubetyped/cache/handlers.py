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
from typing import Any, Generic, Protocol, TypeAlias, TypeVar

from kubetyped.cache.tombstone import DeletedFinalStateUnknown

__all__ = ["FuncHandler", "OnAdd", "OnDelete", "OnUpdate", "Registration", "ResourceEventHandler"]

log = logging.getLogger("kubetyped.cache")

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)

#: ``on_add(obj, is_in_initial_list)``: an object entered the cache; ``is_in_initial_list`` is
#: True for the adds of the list a handler starts with (client-go ``OnAdd``).
OnAdd: TypeAlias = Callable[[T, bool], object]
#: ``on_update(old, new)``: an object changed, or a resync replayed it (``old is new``)
#: (client-go ``OnUpdate``).
OnUpdate: TypeAlias = Callable[[T, T], object]
#: ``on_delete(obj)``: an object left the cache; ``obj`` is its final state, or a
#: ``DeletedFinalStateUnknown`` tombstone when the watch missed the deletion (client-go
#: ``OnDelete``; ``unwrap_tombstone`` gives the object either way).
OnDelete: TypeAlias = Callable[[T | DeletedFinalStateUnknown[T]], object]


class ResourceEventHandler(Protocol[T_contra]):
    """What an informer notifies, for objects of type ``T_contra`` (client-go
    ``ResourceEventHandler``). Methods may be coroutine functions on an asyncio informer (awaited
    in order); return values are otherwise ignored. See ``OnAdd``/``OnUpdate``/``OnDelete``."""

    def on_add(self, obj: T_contra, is_in_initial_list: bool) -> object:
        """An object entered the cache (see ``OnAdd``)."""
        ...

    def on_update(self, old: T_contra, new: T_contra) -> object:
        """An object changed or was resynced (see ``OnUpdate``)."""
        ...

    def on_delete(self, obj: T_contra | DeletedFinalStateUnknown[T_contra]) -> object:
        """An object left the cache (see ``OnDelete``)."""
        ...


@dataclass(frozen=True)
class FuncHandler(Generic[T]):
    """A handler from optional callables (sync callables, or coroutine functions in asyncio);
    a missing one ignores its notification (client-go ``ResourceEventHandlerFuncs``)."""

    add: OnAdd[T] | None = None
    update: OnUpdate[T] | None = None
    delete: OnDelete[T] | None = None

    def on_add(self, obj: T, is_in_initial_list: bool) -> object:
        """Calls ``add``, if given."""
        return self.add(obj, is_in_initial_list) if self.add else None

    def on_update(self, old: T, new: T) -> object:
        """Calls ``update``, if given."""
        return self.update(old, new) if self.update else None

    def on_delete(self, obj: T | DeletedFinalStateUnknown[T]) -> object:
        """Calls ``delete``, if given."""
        return self.delete(obj) if self.delete else None


@dataclass(frozen=True, slots=True)
class Added:
    """Notification: ``on_add``."""

    obj: Any
    is_in_initial_list: bool


@dataclass(frozen=True, slots=True)
class Updated:
    """Notification: ``on_update``."""

    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Deleted:
    """Notification: ``on_delete``."""

    obj: Any  # the final object, or a DeletedFinalStateUnknown tombstone


@dataclass(frozen=True, slots=True)
class InitialListDelivered:
    """Marker: everything before it belongs to the registration's initial list."""


Notification = Added | Updated | Deleted | InitialListDelivered


@dataclass(eq=False)
class ListenerState:
    """One registration's queue of notifications and its sync marker (client-go
    ``processorListener``), shared by the thread and asyncio drivers."""

    handler: ResourceEventHandler[Any]
    resync_period: float = 0.0
    next_resync: float = 0.0
    wake: Callable[[], None] = field(default=lambda: None)
    queue: deque[Notification] = field(default_factory=deque)
    synced: threading.Event = field(default_factory=threading.Event)
    removed: bool = False

    def push(self, notification: Notification) -> None:
        """Queues ``notification`` and wakes the driver."""
        self.queue.append(notification)
        self.wake()

    def pop(self) -> Notification | None:
        """The oldest queued notification, or None."""
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
        """The registration's queue (for the informer drivers)."""
        return self._state

    @property
    def handler(self) -> ResourceEventHandler[Any]:
        """The handler as registered (a ``FuncHandler`` for ``on_*`` callables)."""
        return self._state.handler

    def has_synced(self) -> bool:
        """True once the informer synced and this handler processed its initial list."""
        return self._state.synced.is_set()

    def __repr__(self) -> str:
        return f"Registration(handler={self._state.handler!r}, synced={self.has_synced()})"


def handle_crash(n: Notification, exc: BaseException) -> None:
    """Logs a handler's exception (client-go ``HandleCrash``); the listener goes on."""
    log.error("event handler failed on %s: %r", type(n).__name__, exc, exc_info=exc)
