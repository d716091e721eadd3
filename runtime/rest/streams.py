"""Watch streams: newline-delimited events decoded incrementally (sync and asyncio)."""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Self

import httpx

from kubetyped.errors import (
    KubetypedError,
)
from kubetyped.rest.common import (
    _event_or_raise,
    watch_transport_error,
)
from kubetyped.transport import (
    interrupt_response,
)
from kubetyped.watch import EventType, WatchDecoder, WatchEvent


class WatchStream:
    """Iterator of `WatchEvent`s over one watch request; opened on first iteration.

    Use as a context manager (or call `close()`) to end the watch early. `close()` may be called
    from another thread: it shuts the connection's socket down, so a read blocked in the iterating
    thread returns at once and the iteration ends quietly (closing an httpx response alone does
    not wake a blocked `recv`). A close while the request is still connecting takes effect when
    the response headers arrive. `resource_version` is the last resourceVersion seen, for
    resuming. ERROR events raise their `ApiError` unless the watch was made with
    `raise_errors=False`. A watch that receives no byte for its idle timeout
    (`kubetyped.request.watch_idle_timeout`: 150 s with bookmarks, `timeoutSeconds` + 30 s, or
    `ListOptions.idle_timeout`) raises `WatchIdleTimeoutError` (a `TransportError`).
    `unparsed=True` keeps ADDED/MODIFIED/DELETED objects as JSON (`decode_event_unparsed`).
    """

    def __init__(
        self,
        open_stream: Callable[[], httpx.Response],
        raise_errors: bool,
        *,
        unparsed: bool = False,
    ) -> None:
        self._open = open_stream
        self._raise_errors = raise_errors
        self._decoder = WatchDecoder(unparsed=unparsed)
        self._pending: deque[WatchEvent[Any]] = deque()
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._lock = threading.Lock()  # guards _response, _reading and _closed across threads
        self._reading = False  # the iterating thread is opening or reading the response
        self._closed = False  # close() was called: no more events
        self._exhausted = False  # the stream ended; buffered events may remain

    @property
    def resource_version(self) -> str | None:
        return self._decoder.resource_version

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> WatchEvent[Any]:
        while not self._pending:
            if self._closed or self._exhausted:
                raise StopIteration
            self._read()
        if self._closed:
            raise StopIteration
        event = self._pending.popleft()
        if event.type is EventType.ERROR and self._raise_errors:
            self.close()
        return _event_or_raise(event, self._raise_errors)

    def _read(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._reading = True
        try:
            self._read_chunk()
        finally:
            with self._lock:
                self._reading = False
                closed = self._closed
            if closed:  # close() came from another thread while we read: release here
                self._release()

    def _read_chunk(self) -> None:
        if self._chunks is None:
            response = self._open()
            with self._lock:
                self._response = response
            self._chunks = response.iter_bytes()
            if self._closed:
                return
        request = self._response.request if self._response is not None else None
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self._release()
            if not self._closed:
                self._pending.extend(self._decoder.finish())
            return
        except Exception as exc:
            self._release()
            if self._closed:
                return  # the read was interrupted by close(): not an error
            if isinstance(exc, httpx.HTTPError) and request is not None:
                raise watch_transport_error(request, exc) from exc
            raise
        self._pending.extend(self._decoder.feed(chunk))

    def _release(self) -> None:
        """Close the response once (whichever thread gets here first); the stream has ended."""
        with self._lock:
            response, self._response = self._response, None
            self._exhausted = True
        if response is not None:
            with contextlib.suppress(httpx.HTTPError, OSError):
                response.close()

    def close(self) -> None:
        """End the watch; safe to call from any thread, and more than once."""
        with self._lock:
            self._closed = True
            response, reading = self._response, self._reading
        if reading:
            # The reader is blocked (or about to block) in recv: wake it; it releases the response.
            # Without a socket to shut down (e.g. a mock transport), closing is the best we can do.
            if response is not None and not interrupt_response(response):
                self._release()
        else:
            self._release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncWatchStream:
    """Async iterator of `WatchEvent`s; see `WatchStream`."""

    def __init__(
        self,
        open_stream: Callable[[], Awaitable[httpx.Response]],
        raise_errors: bool,
        *,
        unparsed: bool = False,
    ) -> None:
        self._open = open_stream
        self._raise_errors = raise_errors
        self._decoder = WatchDecoder(unparsed=unparsed)
        self._pending: deque[WatchEvent[Any]] = deque()
        self._response: httpx.Response | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._done = False

    @property
    def resource_version(self) -> str | None:
        return self._decoder.resource_version

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> WatchEvent[Any]:
        while not self._pending:
            if self._done:
                raise StopAsyncIteration
            await self._read()
        event = self._pending.popleft()
        if event.type is EventType.ERROR and self._raise_errors:
            await self.close()
        return _event_or_raise(event, self._raise_errors)

    async def _read(self) -> None:
        if self._chunks is None:
            self._response = await self._open()
            self._chunks = self._response.aiter_bytes()
        assert self._response is not None
        try:
            chunk = await anext(self._chunks)
        except StopAsyncIteration:
            await self.close()
            self._pending.extend(self._decoder.finish())
            return
        except httpx.HTTPError as exc:
            request = self._response.request
            await self.close()
            raise watch_transport_error(request, exc) from exc
        except KubetypedError:
            await self.close()
            raise
        self._pending.extend(self._decoder.feed(chunk))

    async def close(self) -> None:
        self._done = True
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
