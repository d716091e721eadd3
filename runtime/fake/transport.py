"""httpx transports that answer from a `FakeApiServer` instead of the network.

Plain requests get the server's answer as an in-memory response. Watches get a streamed body
fed by the tracker through a queue: a `queue.Queue` (sync) or an `asyncio.Queue` filled with
`call_soon_threadsafe` (async), so writes from any thread reach the watcher in order. A watch ends
when the client closes it, when `timeoutSeconds` passes, or when the transport is closed.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx

from kubetyped.fake.server import Answer, FakeApiServer, Stop, WatchAnswer

FAKE_BASE_URL = "https://fake.invalid"
_HEADERS = {"content-type": "application/json"}


class _Watches:
    """The stop functions of a transport's open watches, to end them on close."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[int, Stop] = {}
        self._next = 0

    def add(self, stop: Stop) -> Stop:
        with self._lock:
            self._next += 1
            number = self._next
            self._open[number] = stop

        def remove_and_stop() -> None:
            with self._lock:
                self._open.pop(number, None)
            stop()

        return remove_and_stop

    def stop_all(self) -> None:
        with self._lock:
            stops, self._open = list(self._open.values()), {}
        for stop in stops:
            stop()


def _deadline(timeout: float | None) -> float | None:
    return time.monotonic() + timeout if timeout is not None else None


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


class _WatchBody(httpx.SyncByteStream):
    def __init__(self, answer: WatchAnswer, watches: _Watches) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._deadline = _deadline(answer.timeout)
        self._stop = watches.add(answer.start(self._queue.put))

    def __iter__(self) -> Iterator[bytes]:
        while True:
            try:
                line = self._queue.get(timeout=_remaining(self._deadline))
            except queue.Empty:
                return
            if line is None:
                return
            yield line

    def close(self) -> None:
        self._stop()


class _AsyncWatchBody(httpx.AsyncByteStream):
    def __init__(self, answer: WatchAnswer, watches: _Watches) -> None:
        loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._deadline = _deadline(answer.timeout)

        def sink(line: bytes | None) -> None:
            loop.call_soon_threadsafe(self._queue.put_nowait, line)

        self._stop = watches.add(answer.start(sink))

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            try:
                line = await asyncio.wait_for(self._queue.get(), _remaining(self._deadline))
            except TimeoutError:
                return
            if line is None:
                return
            yield line

    async def aclose(self) -> None:
        self._stop()


def _response(answer: Answer, request: httpx.Request) -> httpx.Response:
    return httpx.Response(answer.status, content=answer.body, headers=_HEADERS, request=request)


class FakeTransport(httpx.BaseTransport):
    def __init__(self, server: FakeApiServer) -> None:
        self.server = server
        self._watches = _Watches()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        answer = self.server.handle(request)
        if isinstance(answer, Answer):
            return _response(answer, request)
        body = _WatchBody(answer, self._watches)
        return httpx.Response(200, stream=body, headers=_HEADERS, request=request)

    def close(self) -> None:
        self._watches.stop_all()


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    def __init__(self, server: FakeApiServer) -> None:
        self.server = server
        self._watches = _Watches()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        answer = self.server.handle(request)
        if isinstance(answer, Answer):
            return _response(answer, request)
        body = _AsyncWatchBody(answer, self._watches)
        return httpx.Response(200, stream=body, headers=_HEADERS, request=request)

    async def aclose(self) -> None:
        self._watches.stop_all()
