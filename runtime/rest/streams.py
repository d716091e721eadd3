"""Streamed response bodies decoded incrementally (sync and asyncio): watch events, and the
lines of a followed container log.

`ChunkStream` / `AsyncChunkStream` hold the I/O (open on first iteration, read chunks, close
from any thread or on task cancellation); a decoder (`feed(chunk)` / `finish()`) turns chunks
into items: `WatchDecoder` for `WatchStream`, `LineDecoder` for `LogStream`."""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, Protocol, Self, TypeVar

import httpx

from kubetyped.errors import TransportError
from kubetyped.rest.common import (
    _event_or_raise,
    transport_error,
    watch_transport_error,
)
from kubetyped.transport import (
    interrupt_response,
)
from kubetyped.watch import EventType, WatchDecoder, WatchEvent

T = TypeVar("T")
TransportErrorFactory = Callable[[httpx.Request, Exception], TransportError]


class StreamDecoder(Protocol[T]):
    """Incremental decoder of a streamed body."""

    def feed(self, chunk: bytes) -> list[T]: ...

    def finish(self) -> list[T]: ...


class LineDecoder:
    """Splits a byte stream into text lines (UTF-8; LF or CRLF line ends removed)."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[str]:
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        return [line.removesuffix(b"\r").decode("utf-8", "replace") for line in lines]

    def finish(self) -> list[str]:
        rest, self._buffer = self._buffer, b""
        return [rest.removesuffix(b"\r").decode("utf-8", "replace")] if rest else []


class ChunkStream(Generic[T]):
    """Iterator of decoded items over one streamed request; opened on first iteration.

    Use as a context manager (or call `close()`) to end the stream early. `close()` may be called
    from another thread: it shuts the connection's socket down, so a read blocked in the iterating
    thread returns at once and the iteration ends quietly (closing an httpx response alone does
    not wake a blocked `recv`). A close while the request is still connecting takes effect when
    the response headers arrive. A failed read raises `error(request, exc)` (a `TransportError`).
    """

    def __init__(
        self,
        open_stream: Callable[[], httpx.Response],
        decoder: StreamDecoder[T],
        error: TransportErrorFactory = transport_error,
    ) -> None:
        self._open = open_stream
        self._decoder = decoder
        self._error = error
        self._pending: deque[T] = deque()
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._lock = threading.Lock()  # guards _response, _reading and _closed across threads
        self._reading = False  # the iterating thread is opening or reading the response
        self._closed = False  # close() was called: no more items
        self._exhausted = False  # the stream ended; buffered items may remain

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> T:
        while not self._pending:
            if self._closed or self._exhausted:
                raise StopIteration
            self._read()
        if self._closed:
            raise StopIteration
        return self._pending.popleft()

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
                raise self._error(request, exc) from exc
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
        """End the stream; safe to call from any thread, and more than once."""
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


class WatchStream(ChunkStream[WatchEvent[Any]]):
    """Iterator of `WatchEvent`s over one watch request; see `ChunkStream` for opening and
    closing. `resource_version` is the last resourceVersion seen, for resuming. ERROR events
    raise their `ApiError` unless the watch was made with `raise_errors=False`. A watch that
    receives no byte for its idle timeout (`kubetyped.request.watch_idle_timeout`: 150 s with
    bookmarks, `timeoutSeconds` + 30 s, or `ListOptions.idle_timeout`) raises
    `WatchIdleTimeoutError` (a `TransportError`). `unparsed=True` keeps ADDED/MODIFIED/DELETED
    objects as JSON (`decode_event_unparsed`).
    """

    def __init__(
        self,
        open_stream: Callable[[], httpx.Response],
        raise_errors: bool,
        *,
        unparsed: bool = False,
    ) -> None:
        self._watch_decoder = WatchDecoder(unparsed=unparsed)
        super().__init__(open_stream, self._watch_decoder, watch_transport_error)
        self._raise_errors = raise_errors

    @property
    def resource_version(self) -> str | None:
        return self._watch_decoder.resource_version

    def __next__(self) -> WatchEvent[Any]:
        event = super().__next__()
        if event.type is EventType.ERROR and self._raise_errors:
            self.close()
        return _event_or_raise(event, self._raise_errors)


class LogStream(ChunkStream[str]):
    """The lines of a container log as they arrive (`pods/<name>/log?follow=true`), without
    their line terminators; see `ChunkStream` for closing from another thread."""

    def __init__(self, open_stream: Callable[[], httpx.Response]) -> None:
        super().__init__(open_stream, LineDecoder())


class AsyncChunkStream(Generic[T]):
    """Async iterator of decoded items; see `ChunkStream`. Cancelling the iterating task closes
    the response."""

    def __init__(
        self,
        open_stream: Callable[[], Awaitable[httpx.Response]],
        decoder: StreamDecoder[T],
        error: TransportErrorFactory = transport_error,
    ) -> None:
        self._open = open_stream
        self._decoder = decoder
        self._error = error
        self._pending: deque[T] = deque()
        self._response: httpx.Response | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._done = False

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        while not self._pending:
            if self._done:
                raise StopAsyncIteration
            await self._read()
        return self._pending.popleft()

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
            raise self._error(request, exc) from exc
        except BaseException:  # typed errors, and cancellation: release the connection
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


class AsyncWatchStream(AsyncChunkStream[WatchEvent[Any]]):
    """Async iterator of `WatchEvent`s; see `WatchStream`."""

    def __init__(
        self,
        open_stream: Callable[[], Awaitable[httpx.Response]],
        raise_errors: bool,
        *,
        unparsed: bool = False,
    ) -> None:
        self._watch_decoder = WatchDecoder(unparsed=unparsed)
        super().__init__(open_stream, self._watch_decoder, watch_transport_error)
        self._raise_errors = raise_errors

    @property
    def resource_version(self) -> str | None:
        return self._watch_decoder.resource_version

    async def __anext__(self) -> WatchEvent[Any]:
        event = await super().__anext__()
        if event.type is EventType.ERROR and self._raise_errors:
            await self.close()
        return _event_or_raise(event, self._raise_errors)


class AsyncLogStream(AsyncChunkStream[str]):
    """Async iterator of container log lines; see `LogStream`."""

    def __init__(self, open_stream: Callable[[], Awaitable[httpx.Response]]) -> None:
        super().__init__(open_stream, LineDecoder())
