"""Driver seams where threads and asyncio genuinely differ, in both spellings.

The runtime's asyncio modules are the source of their blocking twins (``codegen/kubetyped_codegen/unasync.py``).
Where a thread and a task need different primitives, the asyncio source calls the ``Async``
spelling here and its generated twin calls the blocking spelling of the same name (``AsyncSignal``
→ ``Signal``, ``async_sleep`` → ``sleep``). Everything else is shared.

asyncio is imported only when an asyncio primitive is used, so blocking programs never load it.
"""

from __future__ import annotations

import contextlib
import inspect
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeAlias, TypeVar

__all__ = [
    "AsyncBoundedCalls",
    "AsyncChannel",
    "AsyncConnection",
    "AsyncFlag",
    "AsyncHandle",
    "AsyncListener",
    "AsyncLock",
    "AsyncSignal",
    "AsyncStateLock",
    "AsyncWorker",
    "BoundedCalls",
    "Channel",
    "Connection",
    "Flag",
    "Handle",
    "Listener",
    "Lock",
    "Signal",
    "StateLock",
    "Worker",
    "async_close_quietly",
    "async_first_of",
    "async_gather_each",
    "async_interrupt",
    "async_interrupt_socket",
    "async_listen",
    "async_receive_until_closed",
    "async_resolve",
    "async_shielded",
    "async_sleep",
    "close_quietly",
    "first_of",
    "gather_each",
    "interrupt",
    "interrupt_socket",
    "listen",
    "receive_until_closed",
    "resolve",
    "shielded",
    "sleep",
]

if TYPE_CHECKING:
    import asyncio

#: What `AsyncWorker.handle` is: the task running the target (a string, so that importing this
#: module does not import asyncio).
AsyncHandle: TypeAlias = "asyncio.Task[Any]"
#: What `Worker.handle` is: the daemon thread running the target.
Handle = threading.Thread

T = TypeVar("T")
R = TypeVar("R")

#: How often (seconds) a thread blocked in ``receive_until_closed`` looks whether the session
#: was closed from another thread.
CLOSE_CHECK_INTERVAL = 0.2


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


class StateLock(Lock):
    """Guards a few fields shared with other threads (``with lock:``, never held across I/O);
    the thread ``Lock``, named for what its asyncio twin does differently."""


class AsyncStateLock:
    """The asyncio ``StateLock``: tasks of one event loop never interleave inside a block without
    awaits, so holding it is free (a plain ``with``)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


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
        import queue  # not at import time: the client start path has no channel (issue 16)

        self._queue: queue.Queue[T] = queue.Queue()
        self._empty = queue.Empty

    def put(self, item: T) -> None:
        """Append ``item`` (from any thread)."""
        self._queue.put(item)

    def get(self, timeout: float | None) -> T:
        """The next item; raises ``TimeoutError`` after ``timeout`` seconds (None: forever)."""
        try:
            return self._queue.get(timeout=timeout)
        except self._empty:
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


def interrupt_socket(network_stream: object, *, read_only: bool = False) -> bool:
    """Wake a thread blocked reading a connection by shutting its socket down.

    ``network_stream`` is httpcore's ``network_stream`` response extension (anything with
    ``get_extra_info("socket")``). Closing an httpx response or an httpx-ws session does not wake
    a ``recv`` blocked in another thread; a shutdown does, and a read left blocked on a closed
    descriptor could consume the bytes of the next connection that reuses its number.
    ``read_only`` shuts down only the reading side (a WebSocket close frame can still go out).
    Returns False when the stream exposes no socket (a mock transport): the caller then closes
    the response itself. Errors of a socket already shut down or closed are ignored.
    """
    get_extra_info = getattr(network_stream, "get_extra_info", None)
    sock = get_extra_info("socket") if get_extra_info is not None else None
    if not isinstance(sock, socket.socket):
        return False
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RD if read_only else socket.SHUT_RDWR)
    return True


def async_interrupt_socket(network_stream: object, *, read_only: bool = False) -> bool:
    """Nothing; False: a task blocked reading is woken by cancelling it or closing the stream."""
    return False


def receive_until_closed(session: Any, timeout: float | None, closed: Flag) -> Any:
    """The next event of an httpx-ws ``WebSocketSession``; None once ``closed`` is raised.

    httpx-ws wakes no reader when its session is closed from another thread, so the wait looks
    at ``closed`` every ``CLOSE_CHECK_INTERVAL`` seconds. Raises ``TimeoutError`` after
    ``timeout`` seconds (None: forever) without an event, and what ``session.receive`` raises
    (``WebSocketDisconnect``, ``WebSocketNetworkError``).
    """
    import queue  # httpx-ws signals "nothing yet" with queue.Empty

    deadline = None if timeout is None else time.monotonic() + timeout
    while not closed.is_set():
        wait = CLOSE_CHECK_INTERVAL
        if deadline is not None:
            wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                raise TimeoutError(f"no message within {timeout}s")
        try:
            return session.receive(wait)
        except queue.Empty:
            continue
    return None


async def async_receive_until_closed(session: Any, timeout: float | None, closed: AsyncFlag) -> Any:
    """The next event of an httpx-ws ``AsyncWebSocketSession``; None once ``closed`` is raised.

    A close from another task ends the wait: httpx-ws then fails the pending receive (with
    anyio's ``ClosedResourceError``), which is the end of the session here, as for a thread.
    Raises ``TimeoutError`` after ``timeout`` seconds (None: forever) without an event, and what
    ``session.receive`` raises (``WebSocketDisconnect``, ``WebSocketNetworkError``).
    """
    if closed.is_set():
        return None
    try:
        return await session.receive(timeout)
    except Exception:
        if closed.is_set():
            return None
        raise


def first_of(first: Callable[[], object], second: Callable[[], object]) -> None:
    """Run ``first`` in a daemon thread and ``second`` in this one; return once both ended.

    A thread cannot be cancelled: each callable must end the other's I/O when it ends (close
    the resource the other one reads), so the first to end stops the second. What ``second``
    raises is raised (after ``first`` ended too); what ``first`` raises is lost with its thread,
    so ``first`` should handle its own errors.
    """
    worker = threading.Thread(target=first, daemon=True, name="first-of")
    worker.start()
    try:
        second()
    finally:
        worker.join()


async def async_first_of(
    first: Callable[[], Awaitable[object]], second: Callable[[], Awaitable[object]]
) -> None:
    """Run ``first`` and ``second`` as two tasks; when one ends, cancel the other and wait.

    Raises what ``second`` raised (cancellation aside), as ``first_of`` does; each callable's
    own clean-up (``finally``) runs on cancellation.
    """
    import asyncio

    one = asyncio.ensure_future(first())
    two = asyncio.ensure_future(second())
    try:
        await asyncio.wait({one, two}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (one, two):
            task.cancel()
        await asyncio.gather(one, two, return_exceptions=True)
    error = two.exception() if two.done() and not two.cancelled() else None
    if error is not None:
        raise error


class Connection:
    """One accepted TCP connection of a ``Listener`` (a blocking socket)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; ``b""`` at end-of-file or once the connection was shut down."""
        try:
            return self._sock.recv(size)
        except OSError:
            return b""

    def write(self, data: bytes) -> None:
        """Send all of ``data``; raises ``OSError`` when the peer has gone."""
        self._sock.sendall(data)

    def shutdown(self) -> None:
        """End the connection both ways: a thread blocked reading it sees end-of-file. The
        descriptor stays open until ``close`` (so no other connection can reuse its number
        under a thread still reading)."""
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Shut the connection down and close it."""
        self.shutdown()
        self._sock.close()


class AsyncConnection:
    """One accepted TCP connection of an ``AsyncListener`` (asyncio streams)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; ``b""`` at end-of-file or once the connection was shut down."""
        try:
            return await self._reader.read(size)
        except OSError:
            return b""

    async def write(self, data: bytes) -> None:
        """Send all of ``data``; raises ``OSError`` when the peer has gone."""
        self._writer.write(data)
        await self._writer.drain()

    def shutdown(self) -> None:
        """Nothing: a task reading the connection is woken by cancelling it."""

    async def close(self) -> None:
        """Close the connection (and wait until it is closed, errors ignored)."""
        self._writer.close()
        with contextlib.suppress(Exception):
            await self._writer.wait_closed()


class Listener:
    """A TCP listener on ``address``:``port`` (0: a free port) that runs ``handle(connection)``
    in a daemon thread per accepted connection (client-go's ``portforward`` runs a goroutine
    per connection). Made by ``listen``.

    ``close`` stops accepting, shuts every open connection down (handlers see end-of-file and
    must then return) and waits for the handlers, as ``AsyncListener.close`` waits for its tasks:
    once it returns, nothing of a connection is left running.
    """

    def __init__(self, sock: socket.socket, handle: Callable[[Connection], object]) -> None:
        self._sock = sock
        self._handle = handle
        self._lock = threading.Lock()
        self._open: set[Connection] = set()
        self._handlers: set[threading.Thread] = set()
        self._closed = False
        self._accepter = threading.Thread(target=self._accept, name="listener-accept", daemon=True)
        self._accepter.start()

    @property
    def port(self) -> int:
        """The port listened on."""
        port: int = self._sock.getsockname()[1]
        return port

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._sock.accept()
            except OSError:
                return  # the listener was closed
            handler = threading.Thread(
                target=self._serve, args=(Connection(sock),), name="listener-conn", daemon=True
            )
            with self._lock:
                self._handlers.add(handler)
            handler.start()

    def _serve(self, connection: Connection) -> None:
        with self._lock:
            if self._closed:
                self._handlers.discard(threading.current_thread())
                connection.close()
                return
            self._open.add(connection)
        try:
            self._handle(connection)
        finally:
            with self._lock:
                self._open.discard(connection)
                self._handlers.discard(threading.current_thread())
            connection.close()

    def close(self) -> None:
        """Stop accepting, shut every open connection down, and wait for the accepting thread
        and the connection handlers (not for the one calling ``close``, if a handler does)."""
        with self._lock:
            self._closed = True
            connections = list(self._open)
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        for connection in connections:
            connection.shutdown()
        current = threading.current_thread()
        if self._accepter is not current:
            self._accepter.join()
        with self._lock:
            handlers = [handler for handler in self._handlers if handler is not current]
        for handler in handlers:
            handler.join()


class AsyncListener:
    """A TCP listener on ``address``:``port`` (0: a free port) that runs ``handle(connection)``
    as a task per accepted connection (``asyncio.start_server``). Made by ``async_listen``.

    ``close`` stops accepting, cancels every running handler and waits for them.
    """

    def __init__(self, server: asyncio.Server, tasks: set[asyncio.Task[Any]]) -> None:
        self._server = server
        self._tasks = tasks

    @property
    def port(self) -> int:
        """The port listened on."""
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def close(self) -> None:
        """Stop accepting, cancel every open connection's handler, and wait for them."""
        import asyncio

        self._server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self._server.wait_closed()


def listen(address: str, port: int, handle: Callable[[Connection], object]) -> Listener:
    """A ``Listener`` accepting on ``address``:``port``; raises ``OSError`` when it is taken."""
    return Listener(socket.create_server((address, port)), handle)


async def async_listen(
    address: str, port: int, handle: Callable[[AsyncConnection], Awaitable[object]]
) -> AsyncListener:
    """An ``AsyncListener`` accepting on ``address``:``port``; raises ``OSError`` when it is
    taken."""
    import asyncio

    tasks: set[asyncio.Task[Any]] = set()

    async def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        connection = AsyncConnection(reader, writer)
        try:
            await handle(connection)
        except asyncio.CancelledError:
            pass  # closed by the listener
        finally:
            tasks.discard(task)
            await connection.close()

    server = await asyncio.start_server(accepted, address, port)
    return AsyncListener(server, tasks)


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
