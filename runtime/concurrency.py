"""Driver seams where threads and asyncio genuinely differ, in both spellings.

The runtime's asyncio modules are the source of their blocking twins (``codegen/unasync.py``).
Where a thread and a task need different primitives, the asyncio source calls the ``Async``
spelling here and its generated twin calls the blocking spelling of the same name (``AsyncSignal``
→ ``Signal``, ``async_sleep`` → ``sleep``). Everything else is shared.

asyncio is imported only when an asyncio primitive is used, so blocking programs never load it.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Generic, Self, TypeVar

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")
R = TypeVar("R")


class Lock:
    """A mutual-exclusion lock for threads (``with lock:``); ``threading.Lock`` underneath."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


class AsyncLock:
    """A mutual-exclusion lock for tasks of one event loop (``async with lock:``)."""

    def __init__(self) -> None:
        import asyncio

        self._lock = asyncio.Lock()

    async def __aenter__(self) -> Self:
        await self._lock.acquire()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._lock.release()


class Signal:
    """A condition for worker threads: hold it (``with``) to read state, ``wait`` for a change.

    ``threading.Condition`` underneath: ``wait`` releases the lock while it waits.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()

    def __enter__(self) -> Self:
        self._cond.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._cond.release()

    def notify(self) -> None:
        """Wake one waiter (hold the signal)."""
        self._cond.notify()

    def notify_all(self) -> None:
        """Wake every waiter (hold the signal)."""
        self._cond.notify_all()

    def wait(self, timeout: float | None) -> None:
        """Wait (holding the signal) until notified or ``timeout`` seconds passed (None: forever)."""
        self._cond.wait(timeout)


class AsyncSignal:
    """The asyncio ``Signal``: tasks of one event loop never interleave between awaits, so holding
    it is free and ``wait`` is an ``asyncio.Event`` cleared just before waiting."""

    def __init__(self) -> None:
        import asyncio

        self._changed: asyncio.Event = asyncio.Event()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def notify(self) -> None:
        """Wake the waiters (call from the event loop's thread)."""
        self._changed.set()

    def notify_all(self) -> None:
        """Wake the waiters (call from the event loop's thread)."""
        self._changed.set()

    async def wait(self, timeout: float | None) -> None:
        """Wait until notified or ``timeout`` seconds passed (None: forever)."""
        import asyncio

        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)


class Channel(Generic[T]):
    """A FIFO that any thread may ``put`` to and one consumer ``get``s from (``queue.Queue``)."""

    def __init__(self) -> None:
        self._queue: queue.Queue[T] = queue.Queue()

    def put(self, item: T) -> None:
        """Append ``item`` (from any thread)."""
        self._queue.put(item)

    def get(self, timeout: float | None) -> T:
        """The next item; raises ``TimeoutError`` after ``timeout`` seconds (None: forever)."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError("no item arrived in time") from None


class AsyncChannel(Generic[T]):
    """The asyncio ``Channel``: made in the consumer's event loop; ``put`` from any thread goes
    through ``call_soon_threadsafe``, so items arrive in order."""

    def __init__(self) -> None:
        import asyncio

        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[T] = asyncio.Queue()

    def put(self, item: T) -> None:
        """Append ``item`` (from any thread)."""
        self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    async def get(self, timeout: float | None) -> T:
        """The next item; raises ``TimeoutError`` after ``timeout`` seconds (None: forever)."""
        import asyncio

        return await asyncio.wait_for(self._queue.get(), timeout)


def sleep(seconds: float) -> None:
    """Block the calling thread for ``seconds``."""
    time.sleep(seconds)


async def async_sleep(seconds: float) -> None:
    """Suspend the calling task for ``seconds``."""
    import asyncio

    await asyncio.sleep(seconds)


def gather_each(call: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``call`` on each item, one after the other; the results in order."""
    return [call(item) for item in items]


async def async_gather_each(call: Callable[[T], Awaitable[R]], items: Iterable[T]) -> list[R]:
    """``call`` on each item concurrently (``asyncio.gather``); the results in order."""
    import asyncio

    return list(await asyncio.gather(*(call(item) for item in items)))
