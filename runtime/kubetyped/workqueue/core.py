"""The workqueue state machine shared by the thread and asyncio queues (client-go semantics).

* an item is handed to at most one worker at a time (``processing``);
* adding an item that is being processed marks it ``dirty``: it is re-queued on ``done``;
* adding an item already waiting collapses into the one queued entry;
* ``add_after`` holds items until a time; a repeat keeps the earliest time;
* after ``shut_down`` new adds are ignored, queued items are still handed out, and
  ``get`` reports shutdown once the queue is empty.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["QueueCore"]

T = TypeVar("T", bound=Hashable)


class QueueCore(Generic[T]):
    """The sans-IO state of a workqueue: what client-go's `workqueue.Type` and `delayingType` keep
    (queue, dirty set, processing set, delayed items), without locks or waiting. `clock` gives
    seconds (monotonic); `WorkQueue` and `AsyncWorkQueue` add the locking and the waiting.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.queue: deque[T] = deque()
        self.dirty: set[T] = set()
        self.processing: set[T] = set()
        self.shutting_down = False
        self.draining = False
        self._waiting: list[tuple[float, int, T]] = []  # heap of (ready_at, seq, item)
        self._ready_at: dict[T, float] = {}
        self._seq = itertools.count()

    # ---- the plain queue ---------------------------------------------------------------
    def add(self, item: T) -> bool:
        """Returns True if a waiting worker should be woken."""
        if self.shutting_down or item in self.dirty:
            return False
        self.dirty.add(item)
        if item in self.processing:
            return False
        self.queue.append(item)
        return True

    def pop(self) -> T | None:
        """Take the next item for a worker (``None`` if nothing is ready)."""
        self.promote_ready()
        if not self.queue:
            return None
        item = self.queue.popleft()
        self.processing.add(item)
        self.dirty.discard(item)
        return item

    def done(self, item: T) -> bool:
        """Mark processing finished; returns True if the item was re-queued (dirty)."""
        self.processing.discard(item)
        if item in self.dirty:
            self.queue.append(item)
            return True
        return False

    def finished(self) -> bool:
        """Shut down and nothing left to hand out."""
        self.promote_ready()
        return self.shutting_down and not self.queue

    def drained(self) -> bool:
        """True when no item is queued or being processed: what `shut_down(drain=True)` waits for
        (client-go `ShutDownWithDrain`).
        """
        return not self.processing and not self.queue

    def __len__(self) -> int:
        self.promote_ready()
        return len(self.queue)

    def shut_down(self, drain: bool = False) -> None:
        """Stop accepting items: later adds are ignored and delayed items are dropped; queued items are
        still handed out. `drain=True` records that the caller waits for in-flight items to be
        `done` (client-go `ShutDownWithDrain`).
        """
        self.shutting_down = True
        self.draining = self.draining or drain
        self._waiting.clear()
        self._ready_at.clear()

    # ---- delays ------------------------------------------------------------------------
    def add_after(self, item: T, delay: float) -> bool:
        """Add after ``delay`` seconds; returns True if the earliest wake-up time moved."""
        if self.shutting_down:
            return False
        if delay <= 0:
            return self.add(item)
        ready_at = self.clock() + delay
        current = self._ready_at.get(item)
        if current is not None and current <= ready_at:
            return False
        earliest = self.next_ready_at()
        self._ready_at[item] = ready_at
        heapq.heappush(self._waiting, (ready_at, next(self._seq), item))
        return earliest is None or ready_at < earliest

    def promote_ready(self) -> bool:
        """Move due delayed items into the queue; returns True if any moved."""
        now = self.clock()
        moved = False
        while self._waiting and self._waiting[0][0] <= now:
            ready_at, _, item = heapq.heappop(self._waiting)
            if self._ready_at.get(item) != ready_at:
                continue  # superseded by an earlier add_after
            del self._ready_at[item]
            moved = self.add(item) or moved
        return moved

    def next_ready_at(self) -> float | None:
        """The clock time (seconds) when the earliest delayed item becomes due, None when nothing is
        delayed.
        """
        while self._waiting and self._ready_at.get(self._waiting[0][2]) != self._waiting[0][0]:
            heapq.heappop(self._waiting)
        return self._waiting[0][0] if self._waiting else None
