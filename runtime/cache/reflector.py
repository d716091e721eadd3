"""Thread and asyncio drivers of ``ReflectorCore``: they only perform the calls it asks for."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import random
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from kubetyped.cache.protocols import AsyncListWatch, ListWatch
from kubetyped.cache.reflector_core import (
    PAGE_SIZE,
    ListCall,
    ReflectorCore,
    ReflectorSink,
    Sleep,
    Transform,
    WatchCall,
)

T = TypeVar("T")


def _new_core(
    sink: ReflectorSink,
    page_size: int,
    use_watch_list: bool,
    transform: Transform | None,
    on_error: Callable[[BaseException], None] | None,
    clock: Callable[[], float],
    rand: Callable[[], float],
    watch_idle_timeout: float | None,
) -> ReflectorCore:
    return ReflectorCore(
        sink=sink,
        page_size=page_size,
        use_watch_list=use_watch_list,
        transform=transform,
        clock=clock,
        rand=rand,
        on_error=on_error,
        watch_idle_timeout=watch_idle_timeout,
    )


class Reflector(Generic[T]):
    """Keeps ``sink`` in step with the server, in the calling thread, until ``stop()``."""

    def __init__(
        self,
        list_watch: ListWatch[T],
        sink: ReflectorSink,
        *,
        page_size: int = PAGE_SIZE,
        use_watch_list: bool = False,
        transform: Transform | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        sleep: Callable[[float], None] | None = None,
        watch_idle_timeout: float | None = None,
    ) -> None:
        self.list_watch = list_watch
        self.core = _new_core(
            sink, page_size, use_watch_list, transform, on_error, clock, rand, watch_idle_timeout
        )
        self._stopped = threading.Event()
        self._sleep = sleep
        self._stream: Any = None

    @property
    def last_sync_resource_version(self) -> str:
        return self.core.last_sync_resource_version

    def stop(self) -> None:
        """Ask ``run`` to return; closes the open watch so a blocked read wakes up."""
        self._stopped.set()
        stream = self._stream
        if stream is not None and hasattr(stream, "close"):
            with contextlib.suppress(Exception):
                stream.close()

    def run(self) -> None:
        """Loop until ``stop()``; an unexpected error is reported and followed by a relist."""
        while not self._stopped.is_set():
            try:
                self.step()
            except Exception as exc:
                self.core.step_failed(exc)

    def step(self) -> None:
        """Perform one action of the state machine (public for tests)."""
        action = self.core.next_action()
        if isinstance(action, Sleep):
            if self._sleep is not None:
                self._sleep(action.seconds)
            else:
                self._stopped.wait(action.seconds)
        elif isinstance(action, ListCall):
            try:
                result = self.list_watch.list(action.options)
            except Exception as exc:
                self.core.list_failed(exc)
            else:
                self.core.list_succeeded(result)
        else:
            self._watch(action)

    def _watch(self, call: WatchCall) -> None:
        self.core.watch_started(call)
        try:
            stream = self.list_watch.watch(call.options)
        except Exception as exc:
            self.core.watch_ended(exc)
            return
        self._stream = stream
        error: BaseException | None = None
        try:
            for event in stream:
                if self._stopped.is_set():
                    return
                self.core.watch_event(event)
        except Exception as exc:
            if self._stopped.is_set():
                return
            error = exc
        finally:
            self._stream = None
            if hasattr(stream, "close"):
                with contextlib.suppress(Exception):
                    stream.close()
        if self._stopped.is_set():
            return  # stop() closed the stream: a clean shutdown, not a short watch to report
        self.core.watch_ended(error)


class AsyncReflector(Generic[T]):
    """The asyncio driver: ``await run()`` until the task is cancelled."""

    def __init__(
        self,
        list_watch: AsyncListWatch[T],
        sink: ReflectorSink,
        *,
        page_size: int = PAGE_SIZE,
        use_watch_list: bool = False,
        transform: Transform | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        watch_idle_timeout: float | None = None,
    ) -> None:
        self.list_watch = list_watch
        self.core = _new_core(
            sink, page_size, use_watch_list, transform, on_error, clock, rand, watch_idle_timeout
        )
        self._sleep = sleep

    @property
    def last_sync_resource_version(self) -> str:
        return self.core.last_sync_resource_version

    async def run(self) -> None:
        """Loop until cancelled; an unexpected error is reported and followed by a relist."""
        while True:
            try:
                await self.step()
            except Exception as exc:
                self.core.step_failed(exc)

    async def step(self) -> None:
        action = self.core.next_action()
        if isinstance(action, Sleep):
            await self._sleep(action.seconds)
        elif isinstance(action, ListCall):
            try:
                result = await self.list_watch.list(action.options)
            except Exception as exc:
                self.core.list_failed(exc)
            else:
                self.core.list_succeeded(result)
        else:
            await self._watch(action)

    async def _watch(self, call: WatchCall) -> None:
        self.core.watch_started(call)
        error: BaseException | None = None
        stream = None
        try:
            stream = self.list_watch.watch(call.options)
            async for event in stream:
                self.core.watch_event(event)
        except Exception as exc:
            error = exc
        finally:
            closer = getattr(stream, "aclose", None) or getattr(stream, "close", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    result = closer()
                    if inspect.isawaitable(result):
                        await result
        self.core.watch_ended(error)
