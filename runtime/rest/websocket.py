"""WebSocket connections to the apiserver over the clientset's own httpx client, so exec,
attach and port-forward use the same server, TLS, proxy, credentials and rate limiter as every
other request. The WebSocket protocol itself is httpx-ws (wsproto) on the upgraded connection.
"""

from __future__ import annotations

import base64
import contextlib
import os
import queue
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence

import httpx
import wsproto.events
from httpx_ws import AsyncWebSocketSession, WebSocketSession

from kubetyped.rest.async_client import AsyncRESTClient
from kubetyped.rest.common import _RestCommon, api_error, transport_error
from kubetyped.rest.sync_client import RESTClient

#: Size of one read from the socket; WebSocket messages may be larger (they are reassembled).
READ_SIZE = 64 * 1024
#: Keep-alive pings (seconds); an unanswered ping closes the session as broken.
PING_INTERVAL = 20.0
PING_TIMEOUT = 20.0
#: Received messages buffered per session before the reader stops reading the socket.
QUEUE_SIZE = 512


#: How often a blocked sync receive looks whether `close()` was called from another thread
#: (httpx-ws wakes no reader when its session is closed).
CLOSE_CHECK_INTERVAL = 0.2


def receive_until_closed(
    ws: WebSocketSession, timeout: float | None, closed: threading.Event
) -> wsproto.events.Event | None:
    """The next event of a sync session; None once `closed` is set (by another thread).
    Raises `queue.Empty` after `timeout` seconds without an event."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not closed.is_set():
        wait = CLOSE_CHECK_INTERVAL
        if deadline is not None:
            wait = min(wait, deadline - time.monotonic())
            if wait <= 0:
                raise queue.Empty
        try:
            return ws.receive(wait)
        except queue.Empty:
            continue
    return None


def upgrade_request(
    path: str, params: Sequence[tuple[str, str]], protocols: Sequence[str]
) -> httpx.Request:
    """The GET that asks the apiserver to switch `path` (e.g. `.../pods/p/exec`) to a
    WebSocket speaking one of `protocols` (RFC 6455 handshake headers)."""
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Sec-WebSocket-Protocol": ", ".join(protocols),
    }
    return httpx.Request("GET", path, params=httpx.QueryParams(list(params)), headers=headers)


def _prepare(rest: _RestCommon, request: httpx.Request) -> httpx.Request:
    resolved = rest._resolve(request)  # base URL, default headers (User-Agent, impersonation)
    resolved.headers["Accept"] = "*/*"
    return resolved


@contextlib.contextmanager
def connect(rest: RESTClient, request: httpx.Request) -> Iterator[WebSocketSession]:
    """A WebSocket session on `request`; a refused upgrade raises the typed `ApiError` of the
    answer (e.g. `NotFoundError`, `BadRequestError` for a container that is not running)."""
    prepared = _prepare(rest, request)
    try:
        response = rest.http_client.send(prepared, stream=True)
    except httpx.HTTPError as exc:
        raise transport_error(prepared, exc) from exc
    try:
        if response.status_code != 101:
            response.read()
            raise api_error(response)
        session = WebSocketSession(
            response.extensions["network_stream"],
            max_message_size_bytes=READ_SIZE,
            queue_size=QUEUE_SIZE,
            keepalive_ping_interval_seconds=PING_INTERVAL,
            keepalive_ping_timeout_seconds=PING_TIMEOUT,
            response=response,
        )
        with contextlib.ExitStack() as stack:
            stack.enter_context(session)
            try:
                yield session
            finally:
                # Wake httpx-ws's reader blocked in recv before its socket is closed: a read
                # left blocked on a closed descriptor would consume the bytes of the next
                # connection that reuses the descriptor number. The close frame still goes out.
                _shutdown_reading(response)
    finally:
        response.close()


def _shutdown_reading(response: httpx.Response) -> None:
    stream = response.extensions.get("network_stream")
    get_extra_info = getattr(stream, "get_extra_info", None)
    sock = get_extra_info("socket") if get_extra_info is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RD)


@contextlib.asynccontextmanager
async def async_connect(
    rest: AsyncRESTClient, request: httpx.Request
) -> AsyncIterator[AsyncWebSocketSession]:
    """Async `connect`."""
    prepared = _prepare(rest, request)
    try:
        response = await rest.http_client.send(prepared, stream=True)
    except httpx.HTTPError as exc:
        raise transport_error(prepared, exc) from exc
    try:
        if response.status_code != 101:
            await response.aread()
            raise api_error(response)
        session = AsyncWebSocketSession(
            response.extensions["network_stream"],
            max_message_size_bytes=READ_SIZE,
            queue_size=QUEUE_SIZE,
            keepalive_ping_interval_seconds=PING_INTERVAL,
            keepalive_ping_timeout_seconds=PING_TIMEOUT,
            response=response,
        )
        async with session:
            yield session
    finally:
        await response.aclose()
