"""`WatchStream.close()` from another thread wakes a reader blocked on a real socket.

A tiny HTTP/1.1 server on 127.0.0.1 answers a watch with chunked events and then blocks, so the
client's reading thread sits in `recv`. Closing the httpx response alone would leave it there.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest

from kubetyped.cache.protocols import ListOptions
from kubetyped.config import ClientConfig
from kubetyped.dynamic import DynamicClient
from kubetyped.rest import RESTClient, WatchStream
from kubetyped.watch import EventType

PODS = "/api/v1/namespaces/ns/pods"
PROMPT = 2.0  # seconds: "promptly", generous for a loaded CI machine


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _event(name: str, rv: str) -> bytes:
    obj = {"kind": "Pod", "metadata": {"name": name, "resourceVersion": rv}}
    return orjson.dumps({"type": "ADDED", "object": obj}) + b"\n"


@dataclass
class BlockingWatchServer:
    """Accepts one connection, optionally waits before answering, sends `events`, then blocks
    until the client hangs up (or the test ends). Records when it saw the client's EOF."""

    events: list[bytes]
    hold_headers: threading.Event | None = None  # answer only once this is set
    listener: socket.socket = field(init=False)
    requested: threading.Event = field(default_factory=threading.Event)
    client_gone: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(10)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                head += conn.recv(4096)
            self.requested.set()
            if self.hold_headers is not None:
                self.hold_headers.wait(10)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" + b"".join(_chunk(e) for e in self.events)
            )
            conn.settimeout(0.05)
            while not self.stop.is_set():  # block, like a quiet watch; notice the client leaving
                try:
                    if conn.recv(1) == b"":
                        self.client_gone.set()
                        return
                except TimeoutError:
                    continue
                except OSError:
                    self.client_gone.set()
                    return

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.listener.close()


@pytest.fixture
def servers() -> Iterator[list[BlockingWatchServer]]:
    made: list[BlockingWatchServer] = []
    yield made
    for server in made:
        server.close()


def _client(server: BlockingWatchServer) -> RESTClient:
    return RESTClient.from_config(ClientConfig(server=server.url, qps=-1))


@dataclass
class Reader:
    """Iterates a stream in its own thread, recording events, the end and any error."""

    stream: Any
    events: list[Any] = field(default_factory=list)
    first: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for event in self.stream:
                self.events.append(event)
                self.first.set()
        except BaseException as exc:
            self.error = exc


def _close_from_this_thread(stream: Any, reader: Reader) -> float:
    started = time.monotonic()
    stream.close()
    reader.thread.join(PROMPT)
    return time.monotonic() - started


def test_close_from_another_thread_wakes_a_blocked_reader(
    servers: list[BlockingWatchServer],
) -> None:
    server = BlockingWatchServer([_event("a", "7")])
    servers.append(server)
    with _client(server) as client:
        stream = client.watch(PODS)
        reader = Reader(stream)
        assert reader.first.wait(5), reader.error
        time.sleep(0.2)  # let the reader block in recv waiting for the next event
        assert reader.thread.is_alive()

        elapsed = _close_from_this_thread(stream, reader)

        assert not reader.thread.is_alive(), "the reader is still blocked after close()"
        assert elapsed < PROMPT
        assert reader.error is None  # an interrupted read ends the iteration quietly
        assert [e.object["metadata"]["name"] for e in reader.events] == ["a"]
        assert stream.resource_version == "7"
        assert server.client_gone.wait(PROMPT)  # the connection really went away
        assert list(stream) == []
        stream.close()  # idempotent


def test_close_while_connecting_ends_without_events(servers: list[BlockingWatchServer]) -> None:
    hold = threading.Event()
    server = BlockingWatchServer([_event("a", "7")], hold_headers=hold)
    servers.append(server)
    with _client(server) as client:
        stream = client.watch(PODS)
        reader = Reader(stream)
        assert server.requested.wait(5)
        stream.close()  # the reader is waiting for the response headers
        hold.set()
        reader.thread.join(PROMPT)
        assert not reader.thread.is_alive()
        assert reader.error is None and reader.events == []
        assert server.client_gone.wait(PROMPT)


def test_informer_list_watch_stream_is_the_interruptible_rest_stream(
    servers: list[BlockingWatchServer],
) -> None:
    server = BlockingWatchServer([_event("a", "3")])
    servers.append(server)
    with _client(server) as client:
        stream = (
            DynamicClient(client)
            .resource("", "v1", "pods")
            .namespace("ns")
            .list_watch()
            .watch(ListOptions(resource_version="1"))
        )
        assert isinstance(stream, WatchStream)
        reader = Reader(stream)
        deadline = time.monotonic() + 5
        while len(reader.events) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [e.type for e in reader.events] == [EventType.ADDED]
        assert reader.thread.is_alive()  # blocked reading the quiet stream

        _close_from_this_thread(stream, reader)

        assert not reader.thread.is_alive() and reader.error is None
