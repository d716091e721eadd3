"""``async_connect``: a WebSocket to the apiserver over the REST client's httpx client (asyncio).

Source: client-go ``transport/websocket`` (``RoundTripperFor``: the upgrade goes through the
client's round trippers) and ``tools/remotecommand`` (a refused upgrade is an API error).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from httpx_ws import AsyncWebSocketSession

from kubetyped.concurrency import async_interrupt_socket
from kubetyped.rest.async_client import AsyncRESTClient
from kubetyped.rest.common import api_error, transport_error
from kubetyped.rest.websocket import (
    PING_INTERVAL,
    PING_TIMEOUT,
    QUEUE_SIZE,
    READ_SIZE,
    prepare_upgrade,
)

__all__ = ["async_connect"]


@contextlib.asynccontextmanager
async def async_connect(
    rest: AsyncRESTClient, request: httpx.Request
) -> AsyncIterator[AsyncWebSocketSession]:
    """A WebSocket session on ``request`` (made by ``upgrade_request``), closed on exit.

    Raises the typed ``ApiError`` of a refused upgrade (any answer but 101: e.g.
    ``NotFoundError``, ``BadRequestError`` for a container that is not running,
    ``ForbiddenError``) and ``TransportError`` when the request could not be sent. Messages of
    up to ``READ_SIZE`` bytes are read at once; pings every ``PING_INTERVAL`` seconds detect a
    broken connection.
    """
    prepared = prepare_upgrade(rest, request)
    try:
        response = await rest.http_client.send(prepared, stream=True)
    except httpx.HTTPError as exc:
        raise transport_error(prepared, exc) from exc
    try:
        if response.status_code != 101:
            await response.aread()
            raise api_error(response)
        network_stream = response.extensions["network_stream"]
        with rest.upgraded(network_stream):
            session = AsyncWebSocketSession(
                network_stream,
                max_message_size_bytes=READ_SIZE,
                queue_size=QUEUE_SIZE,
                keepalive_ping_interval_seconds=PING_INTERVAL,
                keepalive_ping_timeout_seconds=PING_TIMEOUT,
                response=response,
            )
            async with session:
                try:
                    yield session
                finally:
                    # Wake httpx-ws's reader thread blocked in recv before its socket is closed
                    # (a read left blocked on a closed descriptor would consume the bytes of the
                    # next connection that reuses the number); the close frame still goes out.
                    async_interrupt_socket(network_stream, read_only=True)
    finally:
        await response.aclose()
