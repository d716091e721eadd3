"""Port-forwarding over WebSockets (asyncio; `sync_forwarder` is generated from it): one
stream, or a local listener (`kubectl port-forward`).

Source: client-go `tools/portforward` (`PortForwarder.ForwardPorts`: one listener per port, one
upstream connection per accepted local connection, errors logged per connection).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Self

import httpcore
import wsproto.events
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, WebSocketNetworkError
from wsproto.utilities import LocalProtocolError

from kubetyped.concurrency import (
    AsyncConnection,
    AsyncFlag,
    AsyncListener,
    AsyncLock,
    async_first_of,
    async_listen,
    async_receive_until_closed,
)
from kubetyped.portforward.errors import PortForwardError
from kubetyped.portforward.protocol import (
    PROTOCOLS,
    PortConnection,
    check_protocol,
    data_frame,
    forward_params,
)
from kubetyped.rest import AsyncRESTClient
from kubetyped.rest.async_websocket import async_connect
from kubetyped.rest.websocket import upgrade_request

__all__ = ["AsyncPortForwardStream", "AsyncPortForwarder"]

logger = logging.getLogger("kubetyped.portforward")

#: Bytes read from a local connection at once.
CHUNK = 32 * 1024


class AsyncPortForwardStream:
    """A byte stream to one port of a pod, opened by `async with` (or `await open()`).

    `send(data)` writes to the pod's port, `receive()` returns the next bytes from it (`b""`
    once the connection ended). A connection the kubelet could not make ends with
    `PortForwardError` from `receive()` (e.g. nothing listens on the port). `close()` may be
    called from another thread of a blocking program.

    Parameters: `rest` is the clientset's REST client, `path` the `pods/<name>/portforward`
    path, `port` the pod's port (1-65535).
    """

    def __init__(self, rest: AsyncRESTClient, path: str, port: int) -> None:
        self._rest = rest
        self.port = port
        self._request = upgrade_request(path, forward_params(port), PROTOCOLS)
        self._stack = contextlib.AsyncExitStack()
        self._ws: AsyncWebSocketSession | None = None
        self._connection = PortConnection(port)
        self._ended = False
        self._closed = AsyncFlag()
        self._close_lock = AsyncLock()

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
                event = await async_receive_until_closed(ws, None, self._closed)
            except (WebSocketDisconnect, WebSocketNetworkError):
                self._ended = True
                break
            if event is None:  # closed
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
        """Ends the connection; idempotent."""
        self._ended = True
        self._closed.set()
        async with self._close_lock:
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
        self._listener: AsyncListener | None = None
        self._closed = False
        self.errors: list[Exception] = []

    @property
    def local_port(self) -> int:
        """The port the forwarder listens on (once open)."""
        if self._listener is None:
            raise RuntimeError("the forwarder is not open")
        return self._listener.port

    async def open(self) -> Self:
        """Starts listening; raises `OSError` when the address is taken."""
        if self._listener is None:
            self._listener = await async_listen(self.address, self._requested_port, self._serve)
        return self

    async def _serve(self, local: AsyncConnection) -> None:
        stream = AsyncPortForwardStream(self._rest, self._path, self.port)
        try:
            async with stream:
                # Either direction ending ends the connection (the protocol has no half-close).
                await async_first_of(
                    lambda: self._to_pod(local, stream), lambda: self._to_local(stream, local)
                )
        except Exception as exc:
            if not self._closed:
                self.errors.append(exc)
                logger.warning("port-forward to port %d: %s", self.port, exc)

    @staticmethod
    async def _to_pod(local: AsyncConnection, stream: AsyncPortForwardStream) -> None:
        try:
            while data := await local.read(CHUNK):
                await stream.send(data)
        except Exception:
            pass  # the connection ends either way; the pod side's error comes from _to_local
        finally:
            await stream.close()  # local end-of-file ends the upstream connection too

    @staticmethod
    async def _to_local(stream: AsyncPortForwardStream, local: AsyncConnection) -> None:
        try:
            while data := await stream.receive():
                await local.write(data)
        finally:
            local.shutdown()  # the pod's end ends the local connection too

    async def close(self) -> None:
        """Stops listening and ends every open connection."""
        self._closed = True
        listener, self._listener = self._listener, None
        if listener is not None:
            await listener.close()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
