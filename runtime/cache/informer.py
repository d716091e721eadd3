"""Shared index informers: ``SharedIndexInformer`` (threads) and ``AsyncSharedIndexInformer``.

Both wrap the same ``InformerCore`` (indexer + fan-out) and ``ReflectorCore``; they differ only
in how listeners, the reflector and the resync timer are run.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from kubetyped.cache.errors import CacheError
from kubetyped.cache.handlers import (
    FuncHandler,
    ListenerState,
    Registration,
    ResourceEventHandler,
    handle_crash,
)
from kubetyped.cache.informer_core import InformerCore
from kubetyped.cache.lister import Lister
from kubetyped.cache.protocols import AsyncListWatch, ListWatch
from kubetyped.cache.reflector import AsyncReflector, Reflector
from kubetyped.cache.reflector_core import PAGE_SIZE, ReflectorCore, Transform
from kubetyped.cache.store import Indexer, IndexFunc

T = TypeVar("T")
log = logging.getLogger("kubetyped.cache")

WatchErrorHandler = Callable[[BaseException], None]
MIN_RESYNC_PERIOD = 1.0


class InformerStateError(CacheError, RuntimeError):
    """An informer method was used in the wrong lifecycle state (e.g. transform after start)."""


@dataclass(frozen=True, slots=True)
class InformerHealth:
    """What a liveness probe needs to see a stuck cache (times are the informer's clock,
    ``time.monotonic()`` seconds by default; None: never happened).

    ``last_sync``: the last successful list; ``last_watch_progress``: the last list or watch
    event (bookmarks included; with bookmarks the apiserver sends one about every minute);
    ``last_error``/``last_error_time``: the last list/watch/store error reported.
    """

    synced: bool
    last_sync: float | None
    last_watch_progress: float | None
    last_error: BaseException | None
    last_error_time: float | None

    def stale_for(self, now: float) -> float | None:
        """Seconds since the last progress at ``now`` (same clock), None before the first."""
        return None if self.last_watch_progress is None else now - self.last_watch_progress


class _InformerBase(Generic[T]):
    def __init__(
        self,
        *,
        indexers: Mapping[str, IndexFunc] | None,
        resync_period: float,
        transform: Transform | None,
        use_watch_list: bool,
        watch_error_handler: WatchErrorHandler | None,
        page_size: int,
        clock: Callable[[], float],
        rand: Callable[[], float],
    ) -> None:
        self.indexer: Indexer[T] = Indexer(indexers)
        self.core: InformerCore[T] = InformerCore(self.indexer, clock)
        self.default_resync_period = resync_period
        self._transform = transform
        self._use_watch_list = use_watch_list
        self._watch_error_handler = watch_error_handler
        self._page_size = page_size
        self._clock = clock
        self._rand = rand
        self._watch_idle_timeout: float | None = None

    # ---- configuration (before start) --------------------------------------------------
    def set_watch_idle_timeout(self, seconds: float | None) -> None:
        """Abandon a watch that receives no byte for ``seconds`` and relist (0: never; None,
        the default: 150 s, the watch asks for bookmarks, which arrive about every minute).
        Raises ``InformerStateError`` after start."""
        self._before_start("set_watch_idle_timeout")
        self._watch_idle_timeout = seconds

    def set_transform(self, transform: Transform | None) -> None:
        self._before_start("set_transform")
        self._transform = transform

    def set_watch_error_handler(self, handler: WatchErrorHandler | None) -> None:
        self._before_start("set_watch_error_handler")
        self._watch_error_handler = handler

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        self.indexer.add_indexers(indexers)

    def _before_start(self, what: str) -> None:
        if self.core.started:
            raise InformerStateError(f"{what} must be called before the informer starts")

    def _on_error(self, exc: BaseException) -> None:
        """Report a list/watch/store error (client-go ``WatchErrorHandler``); never raises."""
        if self._watch_error_handler is None:
            log.warning("list/watch failed: %s", exc)
            return
        try:
            self._watch_error_handler(exc)
        except Exception as handler_exc:
            log.error(
                "watch error handler raised %r while handling %r",
                handler_exc,
                exc,
                exc_info=handler_exc,
            )

    def health(self) -> InformerHealth:
        """Sync state, last list / watch progress and last error (see ``InformerHealth``)."""
        core = self._reflector_core()
        return InformerHealth(
            synced=self.has_synced(),
            last_sync=core.last_sync_time if core else None,
            last_watch_progress=core.last_watch_progress if core else None,
            last_error=core.last_error if core else None,
            last_error_time=core.last_error_time if core else None,
        )

    def _reflector_core(self) -> ReflectorCore | None:
        reflector = getattr(self, "_reflector", None)
        return reflector.core if reflector is not None else None

    # ---- state -------------------------------------------------------------------------
    def has_synced(self) -> bool:
        return self.core.has_synced()

    def lister(self) -> Lister[T]:
        return Lister(self.indexer)

    def _new_listener(
        self,
        handler: ResourceEventHandler | None,
        on_add: Callable[[Any, bool], Any] | None,
        on_update: Callable[[Any, Any], Any] | None,
        on_delete: Callable[[Any], Any] | None,
        resync_period: float | None,
    ) -> ListenerState:
        if handler is None:
            handler = FuncHandler(on_add, on_update, on_delete)
        elif on_add or on_update or on_delete:
            raise TypeError("pass either a handler object or on_* callables, not both")
        period = self.default_resync_period if resync_period is None else resync_period
        if 0 < period < MIN_RESYNC_PERIOD:
            period = MIN_RESYNC_PERIOD
        return ListenerState(handler=handler, resync_period=period)


class SharedIndexInformer(_InformerBase[T]):
    """Thread-mode informer: ``run()`` blocks (or ``start()`` runs it in a thread)."""

    def __init__(
        self,
        list_watch: ListWatch[T],
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
        self._stop = threading.Event()
        self._reflector: Reflector[T] | None = None
        self._threads: dict[int, threading.Thread] = {}
        self._wakers: dict[int, threading.Condition] = {}
        self._run_thread: threading.Thread | None = None
        self._resync_cond = threading.Condition()

    @property
    def last_sync_resource_version(self) -> str:
        return self._reflector.last_sync_resource_version if self._reflector else ""

    def add_event_handler(
        self,
        handler: ResourceEventHandler | None = None,
        *,
        on_add: Callable[[Any, bool], Any] | None = None,
        on_update: Callable[[Any, Any], Any] | None = None,
        on_delete: Callable[[Any], Any] | None = None,
        resync_period: float | None = None,
    ) -> Registration:
        listener = self._new_listener(handler, on_add, on_update, on_delete, resync_period)
        cond = threading.Condition()

        def wake() -> None:
            with cond:
                cond.notify()

        listener.wake = wake
        self._wakers[id(listener)] = cond
        if self.core.started and not self._stop.is_set():
            self._start_listener(listener)
        self.core.add_listener(listener)
        with self._resync_cond:
            self._resync_cond.notify()
        return Registration(listener)

    def remove_event_handler(self, registration: Registration) -> None:
        self.core.remove_listener(registration.state)
        self._wakers.pop(id(registration.state), None)
        self._threads.pop(id(registration.state), None)

    def _start_listener(self, listener: ListenerState) -> None:
        thread = threading.Thread(
            target=self._listen, args=(listener,), daemon=True, name="informer-listener"
        )
        self._threads[id(listener)] = thread
        thread.start()

    def _listen(self, listener: ListenerState) -> None:
        cond = self._wakers[id(listener)]
        while True:
            with cond:
                while not listener.queue and not listener.removed and not self._stop.is_set():
                    cond.wait()
            if listener.removed or self._stop.is_set():
                return
            n = listener.pop()
            if n is None:
                continue
            try:
                listener.dispatch(n)
            except Exception as exc:
                handle_crash(n, exc)

    def _resync_loop(self) -> None:
        while not self._stop.is_set():
            wait = self.core.resync_due()
            with self._resync_cond:
                if self._stop.is_set():
                    return
                self._resync_cond.wait(MIN_RESYNC_PERIOD if wait is None else max(wait, 0.01))

    def run(self) -> None:
        """Run until ``stop()``: listeners, the resync timer and the reflector."""
        if self.core.started:
            raise InformerStateError("informer already started")
        self._reflector = Reflector(
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
        resync = threading.Thread(target=self._resync_loop, daemon=True, name="informer-resync")
        resync.start()
        try:
            if not self._stop.is_set():
                self._reflector.run()
        finally:
            self._stop.set()
            self._wake_all()
            resync.join()
            for thread in list(self._threads.values()):
                if thread is not threading.current_thread():
                    thread.join(timeout=5)

    def start(self) -> None:
        """Run in a background daemon thread."""
        self._run_thread = threading.Thread(target=self.run, daemon=True, name="informer")
        self._run_thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stop.set()
        if self._reflector is not None:
            self._reflector.stop()
        self._wake_all()
        if self._run_thread is not None and self._run_thread is not threading.current_thread():
            self._run_thread.join(timeout)

    def _wake_all(self) -> None:
        with self._resync_cond:
            self._resync_cond.notify_all()
        for cond in list(self._wakers.values()):
            with cond:
                cond.notify_all()

    def wait_for_sync(self, timeout: float | None = None) -> bool:
        return self.core.wait_synced(timeout)


class AsyncSharedIndexInformer(_InformerBase[T]):
    """asyncio informer: ``await run()`` (cancel or ``await stop()`` to end)."""

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
        self._reflector: AsyncReflector[T] | None = None
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._events: dict[int, asyncio.Event] = {}
        self._run_task: asyncio.Task[None] | None = None

    @property
    def last_sync_resource_version(self) -> str:
        return self._reflector.last_sync_resource_version if self._reflector else ""

    def add_event_handler(
        self,
        handler: ResourceEventHandler | None = None,
        *,
        on_add: Callable[[Any, bool], Any] | None = None,
        on_update: Callable[[Any, Any], Any] | None = None,
        on_delete: Callable[[Any], Any] | None = None,
        resync_period: float | None = None,
    ) -> Registration:
        """Handlers may be plain callables or coroutine functions (awaited in order)."""
        listener = self._new_listener(handler, on_add, on_update, on_delete, resync_period)
        event = asyncio.Event()
        listener.wake = event.set
        self._events[id(listener)] = event
        if self.core.started:
            self._start_listener(listener)
        self.core.add_listener(listener)
        return Registration(listener)

    def remove_event_handler(self, registration: Registration) -> None:
        self.core.remove_listener(registration.state)
        task = self._tasks.pop(id(registration.state), None)
        if task is not None:
            task.cancel()
        self._events.pop(id(registration.state), None)

    def _start_listener(self, listener: ListenerState) -> None:
        self._tasks[id(listener)] = asyncio.get_running_loop().create_task(
            self._listen(listener), name="informer-listener"
        )

    async def _listen(self, listener: ListenerState) -> None:
        event = self._events[id(listener)]
        while not listener.removed:
            n = listener.pop()
            if n is None:
                event.clear()
                if not listener.queue:
                    await event.wait()
                continue
            try:
                result = listener.dispatch(n)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:
                handle_crash(n, exc)

    async def _resync_loop(self) -> None:
        while True:
            wait = self.core.resync_due()
            await asyncio.sleep(MIN_RESYNC_PERIOD if wait is None else max(wait, 0.01))

    async def run(self) -> None:
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
        resync = asyncio.get_running_loop().create_task(self._resync_loop())
        try:
            await self._reflector.run()
        finally:
            tasks = [resync, *self._tasks.values()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def start(self) -> asyncio.Task[None]:
        """Run as a task of the running loop."""
        self._run_task = asyncio.get_running_loop().create_task(self.run(), name="informer")
        return self._run_task

    async def stop(self) -> None:
        if self._run_task is not None:
            self._run_task.cancel()
            await asyncio.gather(self._run_task, return_exceptions=True)

    async def wait_for_sync(self, timeout: float | None = None, poll: float = 0.01) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.has_synced():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            await asyncio.sleep(poll)
        return True
