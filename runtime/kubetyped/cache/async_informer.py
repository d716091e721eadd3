"""`AsyncSharedIndexInformer`: a shared index informer run by asyncio tasks (client-go
``tools/cache.SharedIndexInformer``).

The reflector keeps the indexer in step with the server; each event handler gets the
notifications in order from its own worker, and a resync timer replays the cache to handlers
that asked for it. Handlers may be plain callables or coroutine functions (awaited in order).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from kubetyped.cache.async_listwatch import AsyncListWatch
from kubetyped.cache.async_reflector import AsyncReflector
from kubetyped.cache.handlers import (
    ListenerState,
    OnAdd,
    OnDelete,
    OnUpdate,
    Registration,
    ResourceEventHandler,
    handle_crash,
)
from kubetyped.cache.informer_base import (
    MIN_RESYNC_PERIOD,
    InformerBase,
    InformerStateError,
    WatchErrorHandler,
)
from kubetyped.cache.reflector_core import PAGE_SIZE, Transform
from kubetyped.cache.store import IndexFunc
from kubetyped.concurrency import AsyncFlag, AsyncSignal, AsyncWorker, async_resolve

if TYPE_CHECKING:
    from kubetyped.concurrency import AsyncHandle

__all__ = ["AsyncSharedIndexInformer"]

T = TypeVar("T")


class AsyncSharedIndexInformer(InformerBase[T]):
    """An informer over ``list_watch``: ``await run()`` until ``stop()``, or ``start()`` it as a
    task of the running loop. Parameters are those of ``InformerBase`` and ``ReflectorCore``."""

    def __init__(
        self,
        list_watch: AsyncListWatch[T],
        *,
        indexers: Mapping[str, IndexFunc] | None = None,
        resync_period: float = 0.0,
        transform: Transform | None = None,
        use_watch_list: bool = False,
        watch_error_handler: WatchErrorHandler | None = None,
        page_size: int = PAGE_SIZE,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(
            indexers=indexers,
            resync_period=resync_period,
            transform=transform,
            use_watch_list=use_watch_list,
            watch_error_handler=watch_error_handler,
            page_size=page_size,
            clock=clock,
            rand=rand,
        )
        self.list_watch = list_watch
        self._stop = AsyncFlag()
        self._reflector: AsyncReflector[T] | None = None
        self._workers: dict[int, AsyncWorker] = {}
        self._wakers: dict[int, AsyncSignal] = {}
        self._runner: AsyncWorker | None = None
        self._resync_signal = AsyncSignal()

    @property
    def last_sync_resource_version(self) -> str:
        """The resourceVersion the cache reflects ("" before the first list)."""
        return self._reflector.last_sync_resource_version if self._reflector else ""

    def add_event_handler(
        self,
        handler: ResourceEventHandler[T] | None = None,
        *,
        on_add: OnAdd[T] | None = None,
        on_update: OnUpdate[T] | None = None,
        on_delete: OnDelete[T] | None = None,
        resync_period: float | None = None,
    ) -> Registration:
        """Deliver the cache's notifications to ``handler`` (or the ``on_*`` callables), typed
        by the informer's object type (client-go ``ResourceEventHandlerFuncs``): ``on_add(obj,
        is_in_initial_list)``, ``on_update(old, new)``, ``on_delete(obj)`` where ``obj`` may be a
        ``DeletedFinalStateUnknown`` tombstone.

        A handler added after start first gets the cached objects as adds. ``resync_period``
        (seconds, at least 1; None: the informer's default; 0: never) replays the cache as
        updates. Returns the registration to pass to ``remove_event_handler`` (client-go
        ``AddEventHandlerWithResyncPeriod``).
        """
        listener = self._new_listener(handler, on_add, on_update, on_delete, resync_period)
        signal = AsyncSignal()

        def wake() -> None:
            with signal:
                signal.notify()

        listener.wake = wake
        self._wakers[id(listener)] = signal
        if self.core.started and not self._stop.is_set():
            self._start_listener(listener)
        self.core.add_listener(listener)
        with self._resync_signal:
            self._resync_signal.notify()
        return Registration(listener)

    def remove_event_handler(self, registration: Registration) -> None:
        """Stop delivering to a handler added by ``add_event_handler``."""
        self.core.remove_listener(registration.state)
        signal = self._wakers.pop(id(registration.state), None)
        if signal is not None:
            with signal:
                signal.notify_all()
        worker = self._workers.pop(id(registration.state), None)
        if worker is not None:
            worker.cancel()

    def _start_listener(self, listener: ListenerState) -> None:
        self._workers[id(listener)] = AsyncWorker(
            lambda: self._listen(listener), "informer-listener"
        )

    async def _listen(self, listener: ListenerState) -> None:
        signal = self._wakers[id(listener)]
        while True:
            with signal:
                while not listener.queue and not listener.removed and not self._stop.is_set():
                    await signal.wait(None)
            if listener.removed or self._stop.is_set():
                return
            n = listener.pop()
            if n is None:
                continue
            try:
                await async_resolve(listener.dispatch(n))
            except Exception as exc:
                handle_crash(n, exc)

    async def _resync_loop(self) -> None:
        while not self._stop.is_set():
            wait = self.core.resync_due()
            with self._resync_signal:
                if self._stop.is_set():
                    return
                await self._resync_signal.wait(
                    MIN_RESYNC_PERIOD if wait is None else max(wait, 0.01)
                )

    async def run(self) -> None:
        """Run until ``stop()``: handler workers, the resync timer and the reflector.

        Raises ``InformerStateError`` when the informer already ran.
        """
        if self.core.started:
            raise InformerStateError("informer already started")
        self._reflector = AsyncReflector(
            self.list_watch,
            self.core,
            page_size=self._page_size,
            use_watch_list=self._use_watch_list,
            transform=self._transform,
            on_error=self._on_error,
            clock=self._clock,
            rand=self._rand,
            watch_idle_timeout=self._watch_idle_timeout,
        )
        for listener in self.core.listeners():
            self._start_listener(listener)
        self.core.started = True
        resync = AsyncWorker(self._resync_loop, "informer-resync")
        try:
            if not self._stop.is_set():
                await self._reflector.run()
        finally:
            self._stop.set()
            self._wake_all()
            await resync.finish(None)
            for worker in list(self._workers.values()):
                await worker.finish(5)

    def start(self) -> AsyncHandle:
        """Run in the background (a task of the running loop); returns it."""
        self._runner = AsyncWorker(self.run, "informer")
        return self._runner.handle

    async def stop(self, timeout: float | None = 10.0) -> None:
        """Stop the reflector and the handler workers; wait up to ``timeout`` seconds for
        ``run`` to return."""
        self._stop.set()
        if self._reflector is not None:
            self._reflector.stop()
        self._wake_all()
        if self._runner is not None:
            await self._runner.finish(timeout)

    def _wake_all(self) -> None:
        with self._resync_signal:
            self._resync_signal.notify_all()
        for signal in list(self._wakers.values()):
            with signal:
                signal.notify_all()

    async def wait_for_sync(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds (None: forever) for the first list to be in the cache;
        whether it is (client-go ``WaitForCacheSync``)."""
        return await self.core.async_wait_synced(timeout)
