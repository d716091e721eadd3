"""Driver seams where threads and asyncio genuinely differ, in both spellings.

The runtime's asyncio modules are the source of their blocking twins (``codegen/unasync.py``).
Where a thread and a task need different primitives, the asyncio source calls the ``Async``
spelling here and its generated twin calls the blocking spelling of the same name (``AsyncSignal``
→ ``Signal``, ``async_sleep`` → ``sleep``). Everything else is shared.

asyncio is imported only when an asyncio primitive is used, so blocking programs never load it.
"""

from __future__ import annotations

import contextlib
import inspect
import queue
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

if TYPE_CHECKING:
    import asyncio

    #: What `AsyncWorker.handle` is: the task running the target.
    AsyncHandle = asyncio.Task[Any]
#: What `Worker.handle` is: the daemon thread running the target.
Handle = threading.Thread

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


class Flag:
    """A one-way stop flag (``threading.Event``): ``set`` from any thread, ``wait`` with a timeout."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        """Raise the flag (from any thread); every waiter wakes."""
        self._event.set()

    def clear(self) -> None:
        """Lower the flag."""
        self._event.clear()

    def is_set(self) -> bool:
        """Whether the flag is raised."""
        return self._event.is_set()

    def wait(self, timeout: float | None) -> bool:
        """Wait until the flag is raised or ``timeout`` seconds passed; whether it is raised."""
        return self._event.wait(timeout)


class AsyncFlag:
    """The asyncio ``Flag`` (``asyncio.Event``): ``set`` from the event loop's thread."""

    def __init__(self) -> None:
        import asyncio

        self._event = asyncio.Event()

    def set(self) -> None:
        """Raise the flag (from the event loop's thread); every waiter wakes."""
        self._event.set()

    def clear(self) -> None:
        """Lower the flag."""
        self._event.clear()

    def is_set(self) -> bool:
        """Whether the flag is raised."""
        return self._event.is_set()

    async def wait(self, timeout: float | None) -> bool:
        """Wait until the flag is raised or ``timeout`` seconds passed; whether it is raised."""
        import asyncio

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)
        return self._event.is_set()


class Worker:
    """``target`` running in a daemon thread named ``name`` (started at once).

    A thread cannot be cancelled: ``finish`` joins it, so the target must return when it sees
    its own stop condition.
    """

    def __init__(self, target: Callable[[], object], name: str) -> None:
        self.handle: Handle = threading.Thread(target=target, daemon=True, name=name)
        self.handle.start()

    def is_current(self) -> bool:
        """Whether the caller runs in this worker."""
        return self.handle is threading.current_thread()

    def cancel(self) -> None:
        """Nothing: a thread ends by itself (see the class docstring)."""

    def finish(self, timeout: float | None) -> None:
        """Wait up to ``timeout`` seconds (None: forever) for the thread to end."""
        if not self.is_current():
            self.handle.join(timeout)


class AsyncWorker:
    """``target()`` running as a task of the running loop, named ``name`` (started at once).

    ``finish`` cancels the task and waits for it, the asyncio way to stop a task.
    """

    def __init__(self, target: Callable[[], Awaitable[object]], name: str) -> None:
        import asyncio

        async def run() -> None:
            await target()

        self.handle: AsyncHandle = asyncio.get_running_loop().create_task(run(), name=name)

    def is_current(self) -> bool:
        """Whether the caller runs in this worker."""
        import asyncio

        return self.handle is asyncio.current_task()

    def cancel(self) -> None:
        """Cancel the task (it ends at its next await)."""
        self.handle.cancel()

    async def finish(self, timeout: float | None) -> None:
        """Cancel the task and wait up to ``timeout`` seconds (None: forever) for it to end."""
        import asyncio

        if self.is_current():
            return
        self.handle.cancel()
        await asyncio.wait({self.handle}, timeout=timeout)


def close_quietly(stream: object) -> None:
    """Close a watch stream (its ``close()``, when it has one); errors are ignored."""
    close = getattr(stream, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()


async def async_close_quietly(stream: object) -> None:
    """Close an asyncio watch stream (``aclose()`` or ``close()``, awaited); errors are ignored."""
    close = getattr(stream, "aclose", None) or getattr(stream, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            result = close()
            if inspect.isawaitable(result):
                await result


def interrupt(stream: object) -> None:
    """Wake a thread blocked reading ``stream`` by closing it (see ``WatchStream.close``)."""
    close_quietly(stream)


def async_interrupt(stream: object) -> None:
    """Nothing: a task blocked reading a stream is woken by cancelling it."""


def resolve(result: T) -> T:
    """``result`` as is (a blocking handler's return value)."""
    return result


async def async_resolve(result: Any) -> Any:
    """``result``, awaited when it is awaitable (handlers may be coroutine functions)."""
    if inspect.isawaitable(result):
        return await result
    return result


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


class BoundedCalls:
    """Calls bounded by a timeout, one at a time, each in a helper daemon thread named ``name``.

    A thread cannot be cancelled: a call that overruns its timeout is abandoned (``TimeoutError``
    is raised, its result is ignored when it ends). The next call first waits, within its own
    timeout, for an abandoned one to end, so calls never overlap and requests do not pile up.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._thread: threading.Thread | None = None

    def run(self, call: Callable[[], R], timeout: float | None) -> R:
        """``call()``'s result, or ``TimeoutError`` after ``timeout`` seconds (None: no bound, the
        call runs in the calling thread). Whatever ``call`` raises is raised."""
        if timeout is None:
            return call()
        deadline = time.monotonic() + max(timeout, 0.0)
        previous = self._thread
        if previous is not None and previous.is_alive():
            previous.join(max(deadline - time.monotonic(), 0.0))
            if previous.is_alive():
                raise TimeoutError("an abandoned call is still running")
        done = threading.Event()
        outcome: list[Any] = []

        def target() -> None:
            try:
                outcome.append((True, call()))
            except BaseException as exc:
                outcome.append((False, exc))
            finally:
                done.set()

        self._thread = threading.Thread(target=target, daemon=True, name=self._name)
        self._thread.start()
        if not done.wait(max(deadline - time.monotonic(), 0.0)) or not outcome:
            raise TimeoutError(f"no answer within {timeout:.1f}s")
        ok, value = outcome[0]
        if not ok:
            raise value
        result: R = value
        return result


class AsyncBoundedCalls:
    """The asyncio ``BoundedCalls``: a call that overruns its timeout is cancelled."""

    def __init__(self, name: str) -> None:
        self._name = name

    async def run(self, call: Callable[[], Awaitable[R]], timeout: float | None) -> R:
        """``await call()``, or ``TimeoutError`` after ``timeout`` seconds (None: no bound)."""
        import asyncio

        async with asyncio.timeout(timeout):
            return await call()


def shielded(call: Callable[[], R]) -> R:
    """``call()`` (a thread is never interrupted by a cancellation)."""
    return call()


async def async_shielded(call: Callable[[], Awaitable[R]]) -> R:
    """``await call()``, run to its end even when the awaiting task is cancelled meanwhile
    (``asyncio.shield``): for clean-up that must reach the server, such as releasing a lease."""
    import asyncio

    return await asyncio.shield(call())
