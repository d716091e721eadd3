"""`AsyncReflector`: the asyncio driver of ``ReflectorCore``; it only performs the calls the core
asks for (client-go ``tools/cache.Reflector``)."""

from __future__ import annotations

import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from kubetyped.cache.async_listwatch import AsyncListWatch
from kubetyped.cache.reflector_core import (
    PAGE_SIZE,
    ListCall,
    ReflectorCore,
    ReflectorSink,
    Sleep,
    Transform,
    WatchCall,
)
from kubetyped.concurrency import AsyncFlag, async_close_quietly, async_interrupt

__all__ = ["AsyncReflector"]

T = TypeVar("T")


class AsyncReflector(Generic[T]):
    """Keeps ``sink`` in step with the server until ``stop()``.

    Parameters are those of ``ReflectorCore``; ``sleep`` replaces the backoff waits (tests),
    which otherwise end early on ``stop()``.
    """

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
        sleep: Callable[[float], Awaitable[None]] | None = None,
        watch_idle_timeout: float | None = None,
    ) -> None:
        self.list_watch = list_watch
        self.core = ReflectorCore(
            sink=sink,
            page_size=page_size,
            use_watch_list=use_watch_list,
            transform=transform,
            clock=clock,
            rand=rand,
            on_error=on_error,
            watch_idle_timeout=watch_idle_timeout,
        )
        self._stopped = AsyncFlag()
        self._sleep = sleep
        self._stream: Any = None

    @property
    def last_sync_resource_version(self) -> str:
        """The resourceVersion of the last list or watch event applied ("" before the first)."""
        return self.core.last_sync_resource_version

    def stop(self) -> None:
        """Ask ``run`` to return; a blocked watch read is woken (the stream is closed)."""
        self._stopped.set()
        stream = self._stream
        if stream is not None:
            async_interrupt(stream)

    async def run(self) -> None:
        """Loop until ``stop()``; an unexpected error is reported and followed by a relist."""
        while not self._stopped.is_set():
            try:
                await self.step()
            except Exception as exc:
                self.core.step_failed(exc)

    async def step(self) -> None:
        """Perform one action of the state machine (public for tests)."""
        action = self.core.next_action()
        if isinstance(action, Sleep):
            if self._sleep is not None:
                await self._sleep(action.seconds)
            else:
                await self._stopped.wait(action.seconds)
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
        try:
            stream = self.list_watch.watch(call.options)
        except Exception as exc:
            self.core.watch_ended(exc)
            return
        self._stream = stream
        error: BaseException | None = None
        try:
            async for event in stream:
                if self._stopped.is_set():
                    return
                self.core.watch_event(event)
        except Exception as exc:
            if self._stopped.is_set():
                return
            error = exc
        finally:
            self._stream = None
            await async_close_quietly(stream)
        if self._stopped.is_set():
            return  # stop() closed the stream: a clean shutdown, not a short watch to report
        self.core.watch_ended(error)
