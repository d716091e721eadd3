"""Work queues ``AsyncWorkQueue`` (with delays) and ``AsyncRateLimitingQueue``.

Both run over ``QueueCore`` (client-go ``util/workqueue`` semantics); ``get`` and
``shut_down_with_drain`` wait. Call the plain methods from the event loop's thread.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Generic, TypeVar

from kubetyped.concurrency import AsyncSignal
from kubetyped.workqueue.core import QueueCore
from kubetyped.workqueue.errors import QueueShutDown
from kubetyped.workqueue.ratelimit import RateLimiter, default_controller_rate_limiter

__all__ = ["AsyncRateLimitingQueue", "AsyncWorkQueue"]

T = TypeVar("T", bound=Hashable)


class AsyncWorkQueue(Generic[T]):
    """A deduplicating, delaying work queue for workers (see ``core`` for semantics).

    Workers loop ``item = await q.get(); try: ... finally: q.done(item)``; ``get`` raises
    ``QueueShutDown`` when the queue is shut down and empty. ``async for item in q`` does the same.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._core: QueueCore[T] = QueueCore(clock)
        self._clock = clock
        self._cond = AsyncSignal()

    def add(self, item: T) -> None:
        """Queue ``item`` unless it is already queued; while it is processed it is queued after."""
        with self._cond:
            if self._core.add(item):
                self._cond.notify()

    def add_after(self, item: T, delay: float) -> None:
        """Add ``item`` after ``delay`` seconds; an earlier pending time for it wins."""
        with self._cond:
            if self._core.add_after(item, delay):
                self._cond.notify_all()  # waiters recompute how long to sleep

    async def get(self, timeout: float | None = None) -> T:
        """Wait until an item is ready; raises ``QueueShutDown``, or ``TimeoutError``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                item = self._core.pop()
                if item is not None:
                    return item
                if self._core.finished():
                    raise QueueShutDown("work queue is shut down")
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError("no work item became ready in time")
                await self._cond.wait(self._wait_time(deadline))

    def _wait_time(self, deadline: float | None) -> float | None:
        waits = []
        ready_at = self._core.next_ready_at()
        if ready_at is not None:
            waits.append(max(0.0, ready_at - self._clock()))
        if deadline is not None:
            waits.append(max(0.0, deadline - time.monotonic()))
        return min(waits) if waits else None

    def done(self, item: T) -> None:
        """Finish processing ``item``; if it was re-added meanwhile it is queued again."""
        with self._cond:
            self._core.done(item)
            self._cond.notify_all()

    def __len__(self) -> int:
        with self._cond:
            return len(self._core)

    async def __aiter__(self) -> AsyncIterator[T]:
        while True:
            try:
                yield await self.get()
            except QueueShutDown:
                return

    @property
    def shutting_down(self) -> bool:
        """True once ``shut_down`` was called."""
        return self._core.shutting_down

    def shut_down(self) -> None:
        """Ignore new adds; workers get the remaining items, then ``QueueShutDown``."""
        with self._cond:
            self._core.shut_down()
            self._cond.notify_all()

    async def shut_down_with_drain(self, timeout: float | None = None) -> bool:
        """Shut down and wait until every item being processed is ``done``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._core.shut_down(drain=True)
            self._cond.notify_all()
            while self._core.processing:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                await self._cond.wait(left)
            return True


class AsyncRateLimitingQueue(AsyncWorkQueue[T]):
    """A work queue that re-adds failed items after a per-item, rate-limited delay."""

    def __init__(
        self,
        rate_limiter: RateLimiter | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(clock=clock)
        self.rate_limiter = rate_limiter or default_controller_rate_limiter(clock)

    def add_rate_limited(self, item: T) -> None:
        """Add ``item`` after the delay its rate limiter gives it (client-go ``AddRateLimited``)."""
        self.add_after(item, self.rate_limiter.when(item))

    def forget(self, item: T) -> None:
        """Stop tracking the item's failures (call after it was processed successfully)."""
        self.rate_limiter.forget(item)

    def num_requeues(self, item: T) -> int:
        """How many times ``item`` was rate-limited since it was last forgotten."""
        return self.rate_limiter.num_requeues(item)
