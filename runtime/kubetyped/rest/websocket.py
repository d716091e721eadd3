"""What the WebSocket drivers share: the upgrade request and the session settings.

Exec, attach and port-forward open WebSockets on the clientset's own httpx client, so they use
the same server, TLS, proxy, credentials and rate limiter as every other request; the
WebSocket protocol itself is httpx-ws (wsproto) on the upgraded connection. ``async_connect``
is in ``async_websocket`` (the source) and ``connect`` in ``sync_websocket`` (generated from
it by ``make unasync``). Source: client-go ``transport/websocket`` (``RoundTripperFor``).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from typing import Any

import httpx

from kubetyped.rest.common import _RestCommon

__all__ = ["upgrade_request"]

#: Size of one read from the socket; WebSocket messages may be larger (they are reassembled).
READ_SIZE = 64 * 1024
#: Keep-alive pings (seconds); an unanswered ping closes the session as broken.
PING_INTERVAL = 20.0
PING_TIMEOUT = 20.0
#: Received messages buffered per session before the reader stops reading the socket.
QUEUE_SIZE = 512


def upgrade_request(
    path: str, params: Sequence[tuple[str, str]], protocols: Sequence[str]
) -> httpx.Request:
    """The GET that asks the apiserver to switch ``path`` (e.g. ``.../pods/p/exec``) to a
    WebSocket speaking one of ``protocols``, in order of preference (RFC 6455 handshake
    headers; a fresh random ``Sec-WebSocket-Key``); ``params`` is the query."""
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
        "Sec-WebSocket-Protocol": ", ".join(protocols),
    }
    return httpx.Request("GET", path, params=httpx.QueryParams(list(params)), headers=headers)


def prepare_upgrade(rest: _RestCommon[Any], request: httpx.Request) -> httpx.Request:
    """``request`` resolved against the REST client: its base URL and default headers
    (User-Agent, impersonation), accepting any answer type (a refusal is a JSON ``Status``)."""
    resolved = rest._resolve(request)
    resolved.headers["Accept"] = "*/*"
    return resolved
