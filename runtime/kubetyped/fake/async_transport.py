"""`AsyncFakeTransport`: an httpx transport that answers from a `FakeApiServer`, not the network.

Plain requests get the server's answer as an in-memory response. A watch gets a streamed body fed
by the tracker through a channel that any thread may write to, so writes reach the watcher in
order. A watch ends when the client closes it, when `timeoutSeconds` passes, or when the
transport is closed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from kubetyped.concurrency import AsyncChannel
from kubetyped.fake.server import Answer, FakeApiServer, WatchAnswer
from kubetyped.fake.transport import HEADERS, Watches, deadline_after, plain_response, remaining

__all__: list[str] = []


class _AsyncWatchBody(httpx.AsyncByteStream):
    def __init__(self, answer: WatchAnswer, watches: Watches) -> None:
        self._lines: AsyncChannel[bytes | None] = AsyncChannel()
        self._deadline = deadline_after(answer.timeout)
        self._stop = watches.add(answer.start(self._lines.put))

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            try:
                line = await self._lines.get(remaining(self._deadline))
            except TimeoutError:
                return
            if line is None:
                return
            yield line

    async def aclose(self) -> None:
        self._stop()


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    """Answers every request from `server` (watches stream until closed or timed out)."""

    def __init__(self, server: FakeApiServer) -> None:
        self.server = server
        self._watches = Watches()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """httpx's transport hook: the fake apiserver's answer to `request`, in memory; a watch
        answers 200 with a body that streams event lines until the watch ends, the server's
        `timeoutSeconds` passes or the response is closed.
        """
        await request.aread()
        answer = self.server.handle(request)
        if isinstance(answer, Answer):
            return plain_response(answer, request)
        body = _AsyncWatchBody(answer, self._watches)
        return httpx.Response(200, stream=body, headers=HEADERS, request=request)

    async def aclose(self) -> None:
        """End every watch this transport opened."""
        self._watches.stop_all()
