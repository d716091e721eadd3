"""Port-forwarding over WebSockets (threads): one stream, or a local listener
(`kubectl port-forward`). The twin of `async_forwarder.py`.

Source: client-go `tools/portforward` (`PortForwarder.ForwardPorts`: one listener per port, one
upstream connection per accepted local connection, errors logged per connection).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from typing import Self

import httpcore
import wsproto.events
from httpx_ws import WebSocketDisconnect, WebSocketNetworkError, WebSocketSession
from wsproto.utilities import LocalProtocolError

from kubetyped.portforward.errors import PortForwardError
from kubetyped.portforward.protocol import (
    PROTOCOLS,
    PortConnection,
    check_protocol,
    data_frame,
    forward_params,
)
from kubetyped.rest import RESTClient
from kubetyped.rest.websocket import connect, receive_until_closed, upgrade_request

logger = logging.getLogger("kubetyped.portforward")

#: Bytes read from a local connection at once.
CHUNK = 32 * 1024


class PortForwardStream:
    """A byte stream to one port of a pod, opened by `with` (or `open()`).

    `send(data)` writes to the pod's port, `receive()` returns the next bytes from it (`b""`
    once the connection ended). A connection the kubelet could not make ends with
    `PortForwardError` from `receive()` (e.g. nothing listens on the port). `close()` may be
    called from another thread.
    """

    def __init__(self, rest: RESTClient, path: str, port: int) -> None:
        self._rest = rest
        self.port = port
        self._request = upgrade_request(path, forward_params(port), PROTOCOLS)
        self._stack = contextlib.ExitStack()
        self._ws: WebSocketSession | None = None
        self._connection = PortConnection(port)
        self._ended = False
        self._closed = threading.Event()
        self._close_lock = threading.Lock()

    def open(self) -> Self:
        """Connects; raises the typed `ApiError` of a refused upgrade (`NotFoundError`,
        `BadRequestError` for a pod that is not running, `ForbiddenError`)."""
        if self._ws is not None:
            return self
        try:
            ws = self._stack.enter_context(connect(self._rest, self._request))
            check_protocol(ws.subprotocol)
        except BaseException:
            self._stack.close()
            raise
        self._ws = ws
        return self

    def _socket(self) -> WebSocketSession:
        if self._ws is None:
            raise RuntimeError("the stream is not open; use `with` or `open()`")
        return self._ws

    def send(self, data: bytes) -> None:
        """Writes `data` to the pod's port; `PortForwardError` once the connection ended."""
        ws = self._socket()
        try:
            for start in range(0, len(data), CHUNK):
                ws.send_bytes(data_frame(data[start : start + CHUNK]))
        except (LocalProtocolError, WebSocketNetworkError, httpcore.NetworkError) as exc:
            raise PortForwardError("the connection has ended", port=self.port) from exc

    def receive(self) -> bytes:
        """The next bytes from the pod's port; `b""` when the connection has ended. Raises
        `PortForwardError` when the kubelet reported an error for this connection."""
        ws = self._socket()
        while not self._ended:
            try:
                event = receive_until_closed(ws, None, self._closed)
            except (WebSocketDisconnect, WebSocketNetworkError):
                self._ended = True
                break
            if event is None:
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

    def close(self) -> None:
        """Ends the connection; safe from any thread."""
        self._ended = True
        self._closed.set()
        with self._close_lock:
            self._stack.close()

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()


class PortForwarder:
    """Listens on `address`:`local_port` (0 picks a free port; read `local_port` after opening)
    and forwards each accepted connection to `port` of the pod through its own WebSocket, like
    `kubectl port-forward`. Opened by `with` (or `open()`); closing stops listening and ends
    the open connections. Errors of single connections are logged (`kubetyped.portforward`) and
    kept in `errors`; they do not stop the listener.
    """

    def __init__(
        self,
        rest: RESTClient,
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
        self._listener: socket.socket | None = None
        self._accepter: threading.Thread | None = None
        self._lock = threading.Lock()
        self._open: set[tuple[socket.socket, PortForwardStream]] = set()
        self._closed = threading.Event()
        self.errors: list[Exception] = []

    @property
    def local_port(self) -> int:
        """The port the forwarder listens on (once open)."""
        if self._listener is None:
            raise RuntimeError("the forwarder is not open")
        port: int = self._listener.getsockname()[1]
        return port

    def open(self) -> Self:
        """Starts listening; raises `OSError` when the address is taken."""
        if self._listener is None:
            listener = socket.create_server((self.address, self._requested_port))
            self._listener = listener
            self._accepter = threading.Thread(
                target=self._accept, args=(listener,), name="port-forward-accept", daemon=True
            )
            self._accepter.start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while not self._closed.is_set():
            try:
                local, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            threading.Thread(
                target=self._serve, args=(local,), name="port-forward-conn", daemon=True
            ).start()

    def _serve(self, local: socket.socket) -> None:
        stream = PortForwardStream(self._rest, self._path, self.port)
        entry = (local, stream)
        try:
            with local:
                with self._lock:
                    if self._closed.is_set():
                        return
                    self._open.add(entry)
                stream.open()
                to_pod = threading.Thread(
                    target=self._to_pod, args=(local, stream), name="port-forward-up", daemon=True
                )
                to_pod.start()
                try:
                    while data := stream.receive():
                        local.sendall(data)
                finally:
                    # Either direction ending ends the connection (no half-close).
                    with contextlib.suppress(OSError):
                        local.shutdown(socket.SHUT_RDWR)
                    stream.close()
                    to_pod.join()
        except Exception as exc:
            if not self._closed.is_set():
                self.errors.append(exc)
                logger.warning("port-forward to port %d: %s", self.port, exc)
        finally:
            stream.close()
            with self._lock:
                self._open.discard(entry)

    @staticmethod
    def _to_pod(local: socket.socket, stream: PortForwardStream) -> None:
        try:
            while data := local.recv(CHUNK):
                stream.send(data)
        except Exception:
            pass
        finally:
            stream.close()  # local end-of-file ends the upstream connection too

    def close(self) -> None:
        """Stops listening and ends every open connection; safe from any thread."""
        self._closed.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            entries = list(self._open)
        for local, stream in entries:
            with contextlib.suppress(OSError):
                local.shutdown(socket.SHUT_RDWR)
            stream.close()
        if self._accepter is not None:
            self._accepter.join()

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()
