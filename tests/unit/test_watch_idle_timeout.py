"""A watch whose connection stays open but delivers nothing is abandoned after its idle timeout
(issue 18 item 1): plain `watch()` users get `WatchIdleTimeoutError`; an informer relists.

The server is a real socket on 127.0.0.1 that answers with one event and then goes silent (a
stalled proxy looks the same to the client). Before the fix the read had no timeout at all and
these watches hung for ever.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import orjson
import pytest

from kubetyped.cache import SharedIndexInformer
from kubetyped.config import ClientConfig
from kubetyped.dynamic import DynamicClient
from kubetyped.errors import TransportError, WatchIdleTimeoutError
from kubetyped.request import (
    BOOKMARK_WATCH_IDLE_TIMEOUT,
    WATCH_TIMEOUT_GRACE,
    ListOptions,
    RequestBuildError,
    watch_idle_timeout,
)
from kubetyped.rest import AsyncRESTClient, RESTClient

PODS = "/api/v1/namespaces/ns/pods"


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _event(name: str, rv: str) -> bytes:
    obj = {"kind": "Pod", "metadata": {"name": name, "namespace": "ns", "resourceVersion": rv}}
    return orjson.dumps({"type": "ADDED", "object": obj}) + b"\n"


class SilentServer:
    """Serves lists normally; a watch gets one event and then silence on an open connection."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.watches = 0
        self.lists = 0
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buf = b""
        while not self.stop.is_set():
            while b"\r\n\r\n" not in buf:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                buf += data
            head, _, buf = buf.partition(b"\r\n\r\n")
            if b"watch=true" in head.split(b"\r\n", 1)[0]:
                self.watches += 1
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n" + _chunk(_event("a", "5"))
                )
                self.stop.wait(60)  # silence, connection open
                return
            self.lists += 1
            body = orjson.dumps(
                {
                    "kind": "PodList",
                    "metadata": {"resourceVersion": "5"},
                    "items": [orjson.loads(_event("a", "5"))["object"]],
                }
            )
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def server() -> Any:
    s = SilentServer()
    yield s
    s.close()


def test_default_idle_timeout_follows_bookmarks_and_timeout_seconds() -> None:
    assert watch_idle_timeout(None) is None
    assert watch_idle_timeout(ListOptions()) is None  # nothing promises traffic: no limit
    assert (
        watch_idle_timeout(ListOptions(allow_watch_bookmarks=True)) == BOOKMARK_WATCH_IDLE_TIMEOUT
    )
    assert watch_idle_timeout(ListOptions(timeout_seconds=10)) == 10 + WATCH_TIMEOUT_GRACE
    assert watch_idle_timeout(ListOptions(idle_timeout=2.5, allow_watch_bookmarks=True)) == 2.5
    assert watch_idle_timeout(ListOptions(idle_timeout=0, timeout_seconds=5)) is None
    with pytest.raises(RequestBuildError):
        watch_idle_timeout(ListOptions(idle_timeout=-1))


def test_plain_watch_raises_typed_idle_timeout(server: SilentServer) -> None:
    with RESTClient.from_config(ClientConfig(server=server.url, qps=-1)) as client:
        stream = client.watch(PODS, ListOptions(idle_timeout=0.5))
        first = next(stream)
        assert first.object["metadata"]["name"] == "a"
        with pytest.raises(WatchIdleTimeoutError) as info:
            next(stream)
    assert isinstance(info.value, TransportError) and info.value.idle_timeout == 0.5
    assert "idle timeout" in str(info.value) and PODS in str(info.value)


async def test_async_watch_raises_typed_idle_timeout(server: SilentServer) -> None:
    async with AsyncRESTClient.from_config(ClientConfig(server=server.url, qps=-1)) as client:
        stream = client.watch(PODS, ListOptions(idle_timeout=0.5))
        await anext(stream)
        with pytest.raises(WatchIdleTimeoutError):
            await asyncio.wait_for(anext(stream), 30)


def test_informer_abandons_a_silent_watch_and_relists(server: SilentServer) -> None:
    errors: list[BaseException] = []
    with RESTClient.from_config(ClientConfig(server=server.url, qps=-1)) as client:
        informer: SharedIndexInformer[Any] = SharedIndexInformer(
            DynamicClient(client).resource("", "v1", "pods").namespace("ns").list_watch(),
            watch_error_handler=errors.append,
        )
        informer.set_watch_idle_timeout(0.5)
        informer.start()
        try:
            deadline = time.monotonic() + 30
            while server.watches < 2 or server.lists < 2:
                assert time.monotonic() < deadline, (server.watches, server.lists, errors)
                time.sleep(0.05)
            assert any(isinstance(e, WatchIdleTimeoutError) for e in errors)
            health = informer.health()
            assert health.synced and isinstance(health.last_error, WatchIdleTimeoutError)
        finally:
            informer.stop(timeout=5)


def test_every_connection_has_tcp_keepalive(server: SilentServer) -> None:
    with RESTClient.from_config(ClientConfig(server=server.url, qps=-1)) as client:
        stream = client.watch(PODS, ListOptions(idle_timeout=5))
        next(stream)
        response = stream._response
        assert response is not None
        sock = response.extensions["network_stream"].get_extra_info("socket")
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        if hasattr(socket, "TCP_KEEPIDLE"):
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 30
        stream.close()
