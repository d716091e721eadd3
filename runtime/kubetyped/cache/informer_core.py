"""The IO-free heart of a shared informer: applies reflector output to the indexer and fans
notifications out to registrations, under one lock so every registration sees the same order."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from kubetyped.cache.handlers import (
    Added,
    Deleted,
    InitialListDelivered,
    ListenerState,
    Notification,
    Updated,
)
from kubetyped.cache.store import Indexer
from kubetyped.cache.tombstone import DeletedFinalStateUnknown
from kubetyped.concurrency import async_sleep

__all__: list[str] = []

T = TypeVar("T")


class InformerCore(Generic[T]):
    """Implements ``ReflectorSink``; shared by the thread and asyncio informers."""

    def __init__(self, indexer: Indexer[T], clock: Callable[[], float]) -> None:
        self.indexer = indexer
        self.clock = clock
        self._lock = threading.RLock()
        self._listeners: list[ListenerState] = []
        self._synced = threading.Event()
        self.started = False

    # ---- registrations -----------------------------------------------------------------
    def add_listener(self, listener: ListenerState) -> None:
        """Register; if already started, replay the cache as initial adds (client-go)."""
        with self._lock:
            self._listeners.append(listener)
            if listener.resync_period > 0:
                listener.next_resync = self.clock() + listener.resync_period
            if self.started:
                for obj in self.indexer.list():
                    listener.push(Added(obj, True))
            if self._synced.is_set():
                listener.push(InitialListDelivered())

    def remove_listener(self, listener: ListenerState) -> bool:
        """Unregister `listener` (client-go `RemoveEventHandler`): it gets no further notifications
        and its driver is woken to stop. Returns False when it was not registered.
        """
        with self._lock:
            if listener not in self._listeners:
                return False
            self._listeners.remove(listener)
            listener.removed = True
            listener.wake()
            return True

    def listeners(self) -> list[ListenerState]:
        """A copy of the current registrations."""
        with self._lock:
            return list(self._listeners)

    def has_synced(self) -> bool:
        """True once the first list has been stored and delivered to the handlers (client-go
        `HasSynced`).
        """
        return self._synced.is_set()

    # The two waits are the thread and task spellings of one seam (``async_wait_synced`` in an
    # asyncio source becomes ``wait_synced`` in its generated twin): a thread blocks on the
    # ``threading.Event`` the reflector sets, which a task cannot await, so a task polls it.
    def wait_synced(self, timeout: float | None) -> bool:
        """Block up to ``timeout`` seconds (None: forever) until synced; whether it is."""
        return self._synced.wait(timeout)

    async def async_wait_synced(self, timeout: float | None, poll: float = 0.01) -> bool:
        """``wait_synced`` for a task: checks every ``poll`` seconds without blocking the loop."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.has_synced():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            await async_sleep(poll)
        return True

    # ---- ReflectorSink -----------------------------------------------------------------
    def replace(
        self,
        items: list[Any],
        resource_version: str,
        on_reject: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Reflector output of a (re)list: swap the store's contents for `items` and notify every
        registration: adds for new keys (flagged initial on the first list), updates for kept keys,
        deletes (as `DeletedFinalStateUnknown` tombstones) for keys gone. After the first list the
        informer counts as synced. As client-go's `sharedIndexInformer.HandleDeltas` handles
        `Replaced` deltas. An object a key or index function rejects is left out and its
        `IndexFuncError` handed to `on_reject` (raised when `on_reject` is None, store unchanged).
        """
        with self._lock:
            old = self.indexer.replace(items, on_reject=on_reject)
            initial = not self._synced.is_set()
            current = self.indexer.snapshot()  # keyed already: no second key computation
            for key, obj in current.items():
                prev = old.get(key)
                self._fan_out(Added(obj, initial) if prev is None else Updated(prev, obj))
            for key, prev in old.items():
                if key not in current:
                    self._fan_out(Deleted(DeletedFinalStateUnknown(key, prev)))
            if initial:
                self._synced.set()
                self._fan_out(InitialListDelivered())

    def upsert(self, obj: Any) -> None:
        """Reflector output of an ADDED/MODIFIED event: store `obj` and notify an add (new key) or
        an update (with the previous object).
        """
        with self._lock:
            prev = self.indexer.update(obj)
            self._fan_out(Added(obj, False) if prev is None else Updated(prev, obj))

    def remove(self, obj: Any) -> None:
        """Delete ``obj`` (or a tombstone: then handlers get the last cached state)."""
        with self._lock:
            old = self.indexer.delete(obj)
            if old is None:
                return
            if isinstance(obj, DeletedFinalStateUnknown):
                obj = DeletedFinalStateUnknown(obj.key, old)
            self._fan_out(Deleted(obj))

    # ---- resync ------------------------------------------------------------------------
    def resync_due(self) -> float | None:
        """Resync listeners whose period elapsed; returns seconds until the next one is due."""
        with self._lock:
            if not self._synced.is_set():
                return None
            now = self.clock()
            due = [ls for ls in self._listeners if ls.resync_period > 0 and now >= ls.next_resync]
            if due:
                objs = self.indexer.list()
                for listener in due:
                    for obj in objs:
                        listener.push(Updated(obj, obj))
                    listener.next_resync = now + listener.resync_period
            nexts = [ls.next_resync - now for ls in self._listeners if ls.resync_period > 0]
            return max(0.0, min(nexts)) if nexts else None

    def _fan_out(self, n: Notification) -> None:
        for listener in self._listeners:
            listener.push(n)
