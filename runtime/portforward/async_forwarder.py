"""Port-forwarding over WebSockets (asyncio): one stream, or a local listener
(`kubectl port-forward`). The twin of `sync_forwarder.py`.

Source: client-go `tools/portforward` (`PortForwarder.ForwardPorts`: one listener per port, one
upstream connection per accepted local connection, errors logged per connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Self

import httpcore
import wsproto.events
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, WebSocketNetworkError
from wsproto.utilities import LocalProtocolError

from kubetyped.portforward.errors import PortForwardError
from kubetyped.portforward.protocol import (
    PROTOCOLS,
    PortConnection,
    check_protocol,
    data_frame,
    forward_params,
)
from kubetyped.rest import AsyncRESTClient
from kubetyped.rest.websocket import async_connect, upgrade_request

logger = logging.getLogger("kubetyped.portforward")

#: Bytes read from a local connection at once.
CHUNK = 32 * 1024


class AsyncPortForwardStream:
    """A byte stream to one port of a pod, opened by `async with` (or `await open()`).

    `send(data)` writes to the pod's port, `receive()` returns the next bytes from it (`b""`
    once the connection ended). A connection the kubelet could not make ends with
    `PortForwardError` from `receive()` (e.g. nothing listens on the port).
    """

    def __init__(self, rest: AsyncRESTClient, path: str, port: int) -> None:
        self._rest = rest
        self.port = port
        self._request = upgrade_request(path, forward_params(port), PROTOCOLS)
        self._stack = contextlib.AsyncExitStack()
        self._ws: AsyncWebSocketSession | None = None
        self._connection = PortConnection(port)
        self._ended = False

    async def open(self) -> Self:
        """Connects; raises the typed `ApiError` of a refused upgrade (`NotFoundError`,
        `BadRequestError` for a pod that is not running, `ForbiddenError`)."""
        if self._ws is not None:
            return self
        try:
            ws = await self._stack.enter_async_context(async_connect(self._rest, self._request))
            check_protocol(ws.subprotocol)
        except BaseException:
            await self._stack.aclose()
            raise
        self._ws = ws
        return self

    def _socket(self) -> AsyncWebSocketSession:
        if self._ws is None:
            raise RuntimeError("the stream is not open; use `async with` or `await open()`")
        return self._ws

    async def send(self, data: bytes) -> None:
        """Writes `data` to the pod's port; `PortForwardError` once the connection ended."""
        ws = self._socket()
        try:
            for start in range(0, len(data), CHUNK):
                await ws.send_bytes(data_frame(data[start : start + CHUNK]))
        except (LocalProtocolError, WebSocketNetworkError, httpcore.NetworkError) as exc:
            raise PortForwardError("the connection has ended", port=self.port) from exc

    async def receive(self) -> bytes:
        """The next bytes from the pod's port; `b""` when the connection has ended. Raises
        `PortForwardError` when the kubelet reported an error for this connection."""
        ws = self._socket()
        while not self._ended:
            try:
                event = await ws.receive()
            except (WebSocketDisconnect, WebSocketNetworkError):
                self._ended = True
                break
            if not isinstance(event, wsproto.events.BytesMessage):
                continue
            data = self._connection.receive(bytes(event.data))
            if data:
                return data
        error = self._connection.error()
        if error is not None:
            raise error
        return b""

    async def close(self) -> None:
        """Ends the connection."""
        self._ended = True
        await self._stack.aclose()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AsyncPortForwarder:
    """Listens on `address`:`local_port` (0 picks a free port; read `local_port` after opening)
    and forwards each accepted connection to `port` of the pod through its own WebSocket, like
    `kubectl port-forward`. Opened by `async with` (or `await open()`); closing stops listening
    and ends the open connections. Errors of single connections are logged
    (`kubetyped.portforward`) and kept in `errors`; they do not stop the listener.
    """

    def __init__(
        self,
        rest: AsyncRESTClient,
        path: str,
        port: int,
        *,
        local_port: int = 0,
        address: str = "127.0.0.1",
    ) -> None:
        forward_params(port)  # validates
        self._rest = rest
        self._path = path
        self.port = port
        self.address = address
        self._requested_port = local_port
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.errors: list[Exception] = []

    @property
    def local_port(self) -> int:
        """The port the forwarder listens on (once open)."""
        if self._server is None:
            raise RuntimeError("the forwarder is not open")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def open(self) -> Self:
        """Starts listening; raises `OSError` when the address is taken."""
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accepted, self.address, self._requested_port
            )
        return self

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            async with AsyncPortForwardStream(self._rest, self._path, self.port) as stream:
                # Either direction ending ends the connection (the protocol has no half-close).
                directions = {
                    asyncio.create_task(self._to_pod(reader, stream)),
                    asyncio.create_task(self._to_local(stream, writer)),
                }
                try:
                    done, _ = await asyncio.wait(directions, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for direction in directions:
                        direction.cancel()
                    await asyncio.gather(*directions, return_exceptions=True)
                for direction in done:
                    direction.result()
        except asyncio.CancelledError:
            pass
        except Exception as exc:
            self.errors.append(exc)
            logger.warning("port-forward to port %d: %s", self.port, exc)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            self._tasks.discard(task)

    @staticmethod
    async def _to_pod(reader: asyncio.StreamReader, stream: AsyncPortForwardStream) -> None:
        while data := await reader.read(CHUNK):
            await stream.send(data)

    @staticmethod
    async def _to_local(stream: AsyncPortForwardStream, writer: asyncio.StreamWriter) -> None:
        while data := await stream.receive():
            writer.write(data)
            await writer.drain()

    async def close(self) -> None:
        """Stops listening and ends every open connection."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if server is not None:
            await server.wait_closed()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
