"""asyncio work queues over the same ``QueueCore`` as the thread queues.

All methods must be called from the event loop's thread (``add`` etc. are plain calls).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Generic, TypeVar

from kubetyped.workqueue.core import QueueCore
from kubetyped.workqueue.errors import QueueShutDown
from kubetyped.workqueue.ratelimit import RateLimiter, default_controller_rate_limiter

T = TypeVar("T", bound=Hashable)


class AsyncWorkQueue(Generic[T]):
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._core: QueueCore[T] = QueueCore(clock)
        self._clock = clock
        self._changed = asyncio.Event()

    def add(self, item: T) -> None:
        if self._core.add(item):
            self._changed.set()

    def add_after(self, item: T, delay: float) -> None:
        if self._core.add_after(item, delay):
            self._changed.set()

    async def get(self, timeout: float | None = None) -> T:
        """Wait for an item; raises ``QueueShutDown`` or ``TimeoutError``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            item = self._core.pop()
            if item is not None:
                return item
            if self._core.finished():
                raise QueueShutDown("work queue is shut down")
            self._changed.clear()
            waits = []
            ready_at = self._core.next_ready_at()
            if ready_at is not None:
                waits.append(max(0.0, ready_at - self._clock()))
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no work item became ready in time")
                waits.append(left)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(waits) if waits else None)

    def done(self, item: T) -> None:
        self._core.done(item)
        self._changed.set()

    def __len__(self) -> int:
        return len(self._core)

    async def __aiter__(self) -> AsyncIterator[T]:
        while True:
            try:
                yield await self.get()
            except QueueShutDown:
                return

    @property
    def shutting_down(self) -> bool:
        return self._core.shutting_down

    def shut_down(self) -> None:
        self._core.shut_down()
        self._changed.set()

    async def shut_down_with_drain(self, timeout: float | None = None) -> bool:
        self.shut_down()
        self._core.draining = True
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._core.processing:
            self._changed.clear()
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                return False
        return True


class AsyncRateLimitingQueue(AsyncWorkQueue[T]):
    def __init__(
        self,
        rate_limiter: RateLimiter | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(clock=clock)
        self.rate_limiter = rate_limiter or default_controller_rate_limiter(clock)

    def add_rate_limited(self, item: T) -> None:
        self.add_after(item, self.rate_limiter.when(item))

    def forget(self, item: T) -> None:
        self.rate_limiter.forget(item)

    def num_requeues(self, item: T) -> int:
        return self.rate_limiter.num_requeues(item)
