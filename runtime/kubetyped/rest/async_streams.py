"""Streamed response bodies decoded incrementally (asyncio): watch events and the lines of a
followed container log.

``AsyncChunkStream`` holds the I/O (open on first iteration, read chunks, close early); a
decoder (``feed(chunk)`` / ``finish()``, sans-IO) turns chunks into items: ``WatchDecoder`` for
``AsyncWatchStream``, ``LineDecoder`` for ``AsyncLogStream``. Source: client-go
``rest.Request.Watch`` / ``Stream`` with ``watch.StreamWatcher`` (``Stop`` from any goroutine).
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, Self, TypeVar

import httpx

from kubetyped.concurrency import AsyncStateLock, async_interrupt_socket
from kubetyped.errors import TransportError
from kubetyped.rest.common import (
    LineDecoder,
    StreamDecoder,
    _event_or_raise,
    transport_error,
    watch_transport_error,
)
from kubetyped.watch import EventType, WatchDecoder, WatchEvent

__all__ = ["AsyncChunkStream", "AsyncLogStream", "AsyncWatchStream"]

T = TypeVar("T")
E = TypeVar("E")
#: Makes the typed error of a failed read: ``(request, exception)`` → ``TransportError``.
TransportErrorFactory = Callable[[httpx.Request, Exception], TransportError]


class AsyncChunkStream(Generic[T]):
    """Async iterator of decoded items over one streamed request; opened on first iteration.

    Parameters: ``open_stream`` sends the request and returns the streamed response (its status
    already checked); ``decoder`` turns chunks into items; ``error(request, exc)`` makes the
    ``TransportError`` a failed read raises (default ``transport_error``).

    Use ``async with`` (or call ``close()``) to end the stream early; after ``close()`` no item
    is returned, buffered or not. ``close()`` may come from another thread of a blocking
    program: it shuts the connection's socket down, so a read blocked in the iterating thread
    returns at once and the iteration ends quietly (closing an httpx response alone does not
    wake a blocked ``recv``); a close while the request is still connecting takes effect when
    the response headers arrive.
    Cancelling the iterating task closes the response.
    The iteration ends quietly when the server ends the body; a failed read raises the
    ``TransportError``.
    """

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
        self._lock = AsyncStateLock()  # guards _response, _reading and _closed across threads
        self._reading = False  # the iterating thread or task is opening or reading the response
        self._closed = False  # close() was called: no more items
        self._exhausted = False  # the stream ended; buffered items may remain

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> T:
        while not self._pending:
            if self._closed or self._exhausted:
                raise StopAsyncIteration
            await self._read()
        if self._closed:
            raise StopAsyncIteration
        return self._pending.popleft()

    async def _read(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._reading = True
        try:
            await self._read_chunk()
        finally:
            with self._lock:
                self._reading = False
                closed = self._closed
            if closed:  # close() came while we read: release here
                await self._release()

    async def _read_chunk(self) -> None:
        chunks = self._chunks
        if chunks is None:
            response = await self._open()
            with self._lock:
                self._response = response
            chunks = self._chunks = response.aiter_bytes()
            if self._closed:
                return
        request = self._response.request if self._response is not None else None
        try:
            chunk = await anext(chunks)
        except StopAsyncIteration:
            await self._release()
            if not self._closed:
                self._pending.extend(self._decoder.finish())
            return
        except BaseException as exc:  # typed errors and cancellation release the connection too
            await self._release()
            if self._closed and isinstance(exc, Exception):
                return  # the read was interrupted by close(): not an error
            if isinstance(exc, httpx.HTTPError) and request is not None:
                raise self._error(request, exc) from exc
            raise
        self._pending.extend(self._decoder.feed(chunk))

    async def _release(self) -> None:
        """Close the response once (whoever gets here first); the stream has ended."""
        with self._lock:
            response, self._response = self._response, None
            self._exhausted = True
        if response is not None:
            with contextlib.suppress(httpx.HTTPError, OSError):
                await response.aclose()

    async def close(self) -> None:
        """End the stream: no more items; the connection is released. Idempotent."""
        with self._lock:
            self._closed = True
            response, reading = self._response, self._reading
        # A reader blocked (or about to block) reading: wake a thread by shutting the socket
        # down; it releases the response. Without a socket to shut down (a mock transport), or
        # for a task, close the response here.
        network_stream = response.extensions.get("network_stream") if response else None
        if reading and async_interrupt_socket(network_stream):
            return
        await self._release()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AsyncWatchStream(AsyncChunkStream[WatchEvent[Any]], Generic[E]):
    """Async iterator of ``WatchEvent``s over one watch request; see ``AsyncChunkStream`` for
    opening and closing (client-go ``watch.StreamWatcher``).

    ``resource_version`` is the last resourceVersion seen, for resuming. ERROR events raise
    their ``ApiError`` (410 Gone: ``ExpiredError``) and end the stream unless the watch was made
    with ``raise_errors=False``, as client-go's ``apierrors.FromObject``. A watch that receives
    no byte for its idle timeout (``kubetyped.request.watch_idle_timeout``: 150 s with
    bookmarks, ``timeoutSeconds`` + 30 s, or ``ListOptions.idle_timeout``) raises
    ``WatchIdleTimeoutError`` (a ``TransportError``). ``unparsed=True`` keeps
    ADDED/MODIFIED/DELETED objects as JSON (``decode_event_unparsed``). ``decode`` turns each
    event into the client family's (a ``kubetyped.resource`` codec); ``bookmarks=False`` drops
    BOOKMARK events (``kubetyped.request.watch_bookmarks``: the one rule of every family).
    """

    def __init__(
        self,
        open_stream: Callable[[], Awaitable[httpx.Response]],
        raise_errors: bool,
        *,
        unparsed: bool = False,
        decode: Callable[[WatchEvent[Any]], WatchEvent[E]] | None = None,
        bookmarks: bool = True,
    ) -> None:
        self._watch_decoder = WatchDecoder(unparsed=unparsed)
        super().__init__(open_stream, self._watch_decoder, watch_transport_error)
        self._raise_errors = raise_errors
        self._decode = decode
        self._bookmarks = bookmarks

    @property
    def resource_version(self) -> str | None:
        """The resourceVersion of the last event (bookmarks included); None before the first."""
        return self._watch_decoder.resource_version

    async def __anext__(self) -> WatchEvent[E]:
        while True:
            event = await super().__anext__()
            if event.type is EventType.ERROR and self._raise_errors:
                await self.close()
            event = _event_or_raise(event, self._raise_errors)
            if event.type is EventType.BOOKMARK and not self._bookmarks:
                continue
            return event if self._decode is None else self._decode(event)

    aclose = AsyncChunkStream.close  # unasync: remove


class AsyncLogStream(AsyncChunkStream[str]):
    """The lines of a container log as they arrive (``pods/<name>/log?follow=true``, kubectl
    ``logs -f``), without their line terminators; see ``AsyncChunkStream`` for closing."""

    def __init__(self, open_stream: Callable[[], Awaitable[httpx.Response]]) -> None:
        super().__init__(open_stream, LineDecoder())
