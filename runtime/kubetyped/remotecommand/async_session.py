"""Exec and attach sessions over a WebSocket (asyncio; `sync_session` is generated from it).

``AsyncExecSession`` drives ``ChannelSession`` (sans-IO) with an httpx-ws session opened on the
clientset's own httpx client (``async_connect``). Source: client-go ``tools/remotecommand``
(``NewWebSocketExecutor``, ``StreamWithContext``, ``FallbackExecutor``: v5 first, v4 accepted).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Self

import httpcore
import httpx
import wsproto.events
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, WebSocketNetworkError
from wsproto.utilities import LocalProtocolError

from kubetyped.concurrency import AsyncFlag, AsyncLock, AsyncWorker, async_receive_until_closed
from kubetyped.remotecommand.errors import (
    RemoteCommandError,
    StreamClosedError,
    StreamTimeoutError,
)
from kubetyped.remotecommand.protocol import (
    PROTOCOLS,
    STDERR,
    STDIN,
    ChannelSession,
    ExecResult,
    Output,
    check_protocol,
    close_frame,
    frame,
    resize_frame,
)
from kubetyped.rest import AsyncRESTClient
from kubetyped.rest.async_websocket import async_connect
from kubetyped.rest.websocket import upgrade_request

__all__ = ["AsyncExecSession"]

#: Stdin is sent in messages of at most this many bytes.
STDIN_CHUNK = 32 * 1024


class AsyncExecSession:
    """An exec or attach stream (`kubectl exec -it`): write stdin, resize the terminal, read the
    output as it comes, then the exit code. Opened by `async with` (or `await open()`).

    `read()` returns the next `Output` (`channel` is `STDOUT` or `STDERR`, `data` bytes) or None
    once the stream ended; iterating gives the same outputs. `wait()` reads to the end and
    returns the exit code. `protocol` is the negotiated subprotocol (`v5.channel.k8s.io`, or
    `v4.channel.k8s.io` from an older apiserver, which cannot `close_stdin()`). `close()` may
    be called from another thread of a blocking program.

    Parameters: `rest` is the clientset's REST client, `path` the `pods/<name>/exec` or
    `.../attach` path, `params` its query (`protocol.stream_params`).
    """

    def __init__(self, rest: AsyncRESTClient, path: str, params: Sequence[tuple[str, str]]) -> None:
        self._rest = rest
        self._request: httpx.Request = upgrade_request(path, params, PROTOCOLS)
        self._stack = contextlib.AsyncExitStack()
        self._ws: AsyncWebSocketSession | None = None
        self._channels: ChannelSession | None = None
        self._ended = False
        self._closed = AsyncFlag()
        self._close_lock = AsyncLock()

    async def open(self) -> Self:
        """Connects; raises the typed `ApiError` of a refused upgrade (`NotFoundError`,
        `BadRequestError` when the container is not running, `ForbiddenError`) or
        `StreamProtocolError` when no subprotocol could be agreed."""
        if self._channels is not None:
            return self
        try:
            ws = await self._stack.enter_async_context(async_connect(self._rest, self._request))
            self._channels = ChannelSession(check_protocol(ws.subprotocol))
        except BaseException:
            await self._stack.aclose()
            raise
        self._ws = ws
        return self

    @property
    def protocol(self) -> str:
        """The negotiated subprotocol (`v5.channel.k8s.io` or `v4.channel.k8s.io`)."""
        return self._session().protocol

    def _session(self) -> ChannelSession:
        if self._channels is None:
            raise RuntimeError("the session is not open; use `async with` or `await open()`")
        return self._channels

    def _socket(self) -> AsyncWebSocketSession:
        if self._ws is None:
            raise RuntimeError("the session is not open; use `async with` or `await open()`")
        return self._ws

    async def _send(self, message: bytes) -> None:
        try:
            await self._socket().send_bytes(message)
        except (LocalProtocolError, WebSocketNetworkError, httpcore.NetworkError) as exc:
            raise StreamClosedError(
                "the stream has ended (the command exited or the connection closed)"
            ) from exc

    async def write_stdin(self, data: bytes | str) -> None:
        """Sends `data` to the command's stdin (the session must have been made with stdin)."""
        raw = data.encode() if isinstance(data, str) else data
        for start in range(0, len(raw), STDIN_CHUNK):
            await self._send(frame(STDIN, raw[start : start + STDIN_CHUNK]))

    async def close_stdin(self) -> None:
        """End-of-file on stdin (v5 only; raises `StreamProtocolError` on v4). A no-op once
        the stream has ended (the command no longer reads)."""
        frame_ = close_frame(self.protocol, STDIN)
        with contextlib.suppress(StreamClosedError):
            await self._send(frame_)

    async def resize(self, width: int, height: int) -> None:
        """Sets the terminal size (columns, rows) of a TTY session."""
        await self._send(resize_frame(width, height))

    async def read(self, timeout: float | None = None) -> Output | None:
        """The next output, or None when the stream has ended. `timeout` (seconds) bounds the
        wait for one message: `StreamTimeoutError` when it passes."""
        channels, ws = self._session(), self._socket()
        while not self._ended:
            try:
                event = await async_receive_until_closed(ws, timeout, self._closed)
            except TimeoutError:
                raise StreamTimeoutError(f"no message within {timeout}s") from None
            except (WebSocketDisconnect, WebSocketNetworkError):
                self._ended = True
                break
            if event is None:  # closed
                break
            if not isinstance(event, wsproto.events.BytesMessage):
                continue
            output = channels.receive(bytes(event.data))
            if output is not None:
                return output
        return None

    def __aiter__(self) -> Self:
        """The session itself: iterating gives the outputs as `read()` returns them."""
        return self

    async def __anext__(self) -> Output:
        output = await self.read()
        if output is None:
            raise StopAsyncIteration
        return output

    async def wait(self) -> int:
        """Reads (and drops) the rest of the output; the command's exit code. Raises
        `RemoteCommandError` when it could not run, `StreamProtocolError` when the stream
        ended without a status."""
        while await self.read() is not None:
            pass
        return self._session().exit_code()

    async def collect(self, stdin: bytes | str | None = None) -> ExecResult:
        """Sends `stdin` (then end-of-file) while reading all output; the `ExecResult`."""
        if stdin is not None:
            close_frame(self.protocol)  # v4 cannot send end-of-file: fail now, not hang
        failures: list[Exception] = []
        writer = None
        if stdin is not None:
            writer = AsyncWorker(lambda: self._feed(stdin, failures), "exec-stdin")
        stdout, stderr = bytearray(), bytearray()
        try:
            async for output in self:
                (stderr if output.channel == STDERR else stdout).extend(output.data)
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        if writer is not None:
            await writer.finish(None)
        if failures:
            raise failures[0]
        try:
            exit_code = self._session().exit_code()
        except RemoteCommandError as exc:
            raise exc.with_output(bytes(stdout), bytes(stderr)) from None
        return ExecResult(bytes(stdout), bytes(stderr), exit_code)

    async def _feed(self, stdin: bytes | str, failures: list[Exception]) -> None:
        try:
            await self.write_stdin(stdin)
            await self.close_stdin()
        except Exception as exc:
            if not self._ended:  # a write after the command exited is no failure
                failures.append(exc)

    async def close(self) -> None:
        """Closes the WebSocket (the command gets a hang-up); idempotent, and safe from another
        thread of a blocking program (a blocked `read` returns None)."""
        self._ended = True
        self._closed.set()
        async with self._close_lock:
            await self._stack.aclose()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
