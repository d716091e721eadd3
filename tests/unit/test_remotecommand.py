"""Exec, attach and port-forward protocols: the sans-IO cores, and the drivers against a real
loopback WebSocket server (wsproto) that plays the apiserver's side of the channel protocol.

The complete cluster's kwok cannot report exit codes (tests/e2e/test_pod_verbs.py), so the
kubelet's `NonZeroExitCode` status and the v4 fallback are exercised here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import wsproto
import wsproto.events

from kubetyped.config import ClientConfig
from kubetyped.errors import NotFoundError
from kubetyped.portforward import AsyncPortForwarder, PortForwarder, PortForwardError
from kubetyped.portforward.protocol import PortConnection, data_frame
from kubetyped.remotecommand import (
    STDERR,
    STDOUT,
    AsyncExecSession,
    ExecResult,
    ExecSession,
    Output,
    RemoteCommandError,
    StreamClosedError,
    StreamProtocolError,
    StreamTimeoutError,
)
from kubetyped.remotecommand.protocol import (
    ChannelSession,
    close_frame,
    resize_frame,
    stream_params,
)
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.rest.sync_websocket import connect
from kubetyped.rest.websocket import upgrade_request

SUCCESS = {"metadata": {}, "status": "Success"}
EXIT_3 = {
    "metadata": {},
    "status": "Failure",
    "message": "command terminated with non-zero exit code: exit status 3",
    "reason": "NonZeroExitCode",
    "details": {"causes": [{"reason": "ExitCode", "message": "3"}]},
}


# -- sans-IO ------------------------------------------------------------------------------------


def test_stream_params_follow_pod_exec_options() -> None:
    params = stream_params(
        container="c", stdin=True, stdout=True, stderr=True, tty=True, command=["sh", "-c", "x"]
    )
    assert params == [
        ("command", "sh"),
        ("command", "-c"),
        ("command", "x"),
        ("container", "c"),
        ("stdin", "true"),
        ("stdout", "true"),
        ("stderr", "false"),  # a TTY merges stderr into stdout
        ("tty", "true"),
    ]
    with pytest.raises(ValueError, match="at least one"):
        stream_params(container=None, stdin=False, stdout=False, stderr=False, tty=False)


def test_channel_session_exit_codes() -> None:
    session = ChannelSession("v5.channel.k8s.io")
    assert session.receive(b"\x01") is None  # an empty announcement of the stdout channel
    assert session.receive(b"\x01out") == Output(STDOUT, b"out")
    assert session.receive(b"\x02err") == Output(STDERR, b"err")
    with pytest.raises(StreamProtocolError, match="before the error channel"):
        session.exit_code()
    session.receive(b"\x03" + json.dumps(EXIT_3).encode())
    assert session.exit_code() == 3

    ok = ChannelSession("v4.channel.k8s.io")
    ok.receive(b"\x03" + json.dumps(SUCCESS).encode())
    assert ok.exit_code() == 0

    failed = ChannelSession("v5.channel.k8s.io")
    failed.receive(
        b"\x03"
        + json.dumps(
            {"status": "Failure", "reason": "InternalError", "message": "no such container"}
        ).encode()
    )
    with pytest.raises(RemoteCommandError, match="no such container") as caught:
        failed.exit_code()
    assert caught.value.reason == "InternalError"

    with pytest.raises(StreamProtocolError, match="no Status"):
        ChannelSession("v5.channel.k8s.io").receive(b"\x03not json")
    with pytest.raises(StreamProtocolError, match="unexpected channel 7"):
        ChannelSession("v5.channel.k8s.io").receive(b"\x07")


def test_frames() -> None:
    assert resize_frame(100, 40) == b'\x04{"Width": 100, "Height": 40}'
    assert close_frame("v5.channel.k8s.io") == b"\xff\x00"
    with pytest.raises(StreamProtocolError, match="cannot close stdin"):
        close_frame("v4.channel.k8s.io")


def test_result_check() -> None:
    assert ExecResult(b"", b"", 0).check().exit_code == 0
    with pytest.raises(RemoteCommandError, match="non-zero exit code 3") as caught:
        ExecResult(b"", b"boom", 3).check()
    assert caught.value.exit_code == 3 and caught.value.stderr == b"boom"


def test_port_connection_strips_announcements_and_collects_errors() -> None:
    connection = PortConnection(8080)
    port = (8080).to_bytes(2, "little")
    assert connection.receive(b"\x00" + port) is None
    assert connection.receive(b"\x01" + port) is None
    assert connection.receive(b"\x00hello") == b"hello"
    assert connection.error() is None
    connection.receive(b"\x01connection refused")
    error = connection.error()
    assert isinstance(error, PortForwardError) and error.port == 8080
    assert "connection refused" in str(error)
    with pytest.raises(PortForwardError, match="announced port 9"):
        PortConnection(8080).receive(b"\x00" + (9).to_bytes(2, "little"))
    assert data_frame(b"x") == b"\x00x"


# -- a loopback WebSocket "apiserver" -----------------------------------------------------------


@dataclass
class Script:
    """What the server does on one connection: accept `protocol` ("" accepts without one;
    None refuses with 404), then send `messages`, after waiting for `expect_stdin` bytes."""

    protocol: str | None
    messages: list[bytes]
    expect_stdin: bytes = b""
    received: list[bytes] = field(default_factory=list)
    request_target: str = ""


class LoopbackServer:
    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.scripts: list[Script] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            script = self.scripts.pop(0)
            threading.Thread(target=self._serve, args=(conn, script), daemon=True).start()

    def _serve(self, conn: socket.socket, script: Script) -> None:
        ws = wsproto.WSConnection(wsproto.ConnectionType.SERVER)
        with conn:

            def flush(data: bytes) -> None:
                conn.sendall(data)

            def events() -> Iterator[wsproto.events.Event]:
                while True:
                    data = conn.recv(65536)
                    ws.receive_data(data or None)
                    yield from ws.events()
                    if not data:
                        return

            stream = events()
            for event in stream:
                if isinstance(event, wsproto.events.Request):
                    script.request_target = event.target
                    if script.protocol is None:
                        body = json.dumps(
                            {"kind": "Status", "code": 404, "reason": "NotFound", "message": "no"}
                        ).encode()
                        flush(
                            b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
                            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                            + body
                        )
                        return
                    accepted = script.protocol or None  # "": accept without a subprotocol
                    flush(ws.send(wsproto.events.AcceptConnection(subprotocol=accepted)))
                    break
            stdin = b""
            while len(stdin) < len(script.expect_stdin):
                event = next(stream, None)
                if event is None:
                    return  # the client went away
                if isinstance(event, wsproto.events.BytesMessage):
                    script.received.append(bytes(event.data))
                    if event.data[:1] == b"\x00":
                        stdin += bytes(event.data[1:])
            for message in script.messages:
                flush(ws.send(wsproto.events.BytesMessage(data=message)))
            flush(ws.send(wsproto.events.CloseConnection(code=1000)))
            # Read until the client hangs up: closing with unread input would reset the
            # connection and drop what the client has not read yet.
            conn.settimeout(10)
            with contextlib.suppress(OSError):
                while conn.recv(65536):
                    pass

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    loopback = LoopbackServer()
    yield loopback
    loopback.close()


@pytest.fixture
def config(server: LoopbackServer) -> ClientConfig:
    return ClientConfig(server=f"http://127.0.0.1:{server.port}", qps=-1)


def status(body: dict[str, object]) -> bytes:
    return b"\x03" + json.dumps(body).encode()


PATH = "/api/v1/namespaces/ns/pods/p/exec"
PARAMS = stream_params(container=None, stdin=True, stdout=True, stderr=True, tty=False)


def test_sync_exec_reports_the_exit_code_of_the_error_channel(
    server: LoopbackServer, config: ClientConfig
) -> None:
    script = Script("v5.channel.k8s.io", [b"\x01", b"\x01out", b"\x02err", status(EXIT_3)], b"in")
    server.scripts.append(script)
    with RESTClient(config) as rest, ExecSession(rest, PATH, PARAMS) as session:
        assert session.protocol == "v5.channel.k8s.io"
        result = session.collect(b"in")
    assert result == ExecResult(b"out", b"err", 3)
    assert script.received[0] == b"\x00in"
    assert "command=" not in script.request_target and "stdin=true" in script.request_target


async def test_async_exec_falls_back_to_v4(server: LoopbackServer, config: ClientConfig) -> None:
    server.scripts.append(Script("v4.channel.k8s.io", [b"\x01hi", status(SUCCESS)]))
    async with AsyncRESTClient(config) as rest, AsyncExecSession(rest, PATH, PARAMS) as session:
        assert session.protocol == "v4.channel.k8s.io"
        with pytest.raises(StreamProtocolError, match="cannot close stdin"):
            await session.collect(b"data")  # v4 has no end-of-file: refused, not hung
        assert await session.read() == Output(STDOUT, b"hi")
        assert await session.wait() == 0


def test_refused_upgrade_is_a_typed_api_error(server: LoopbackServer, config: ClientConfig) -> None:
    server.scripts.append(Script(None, []))
    with RESTClient(config) as rest, pytest.raises(NotFoundError):
        ExecSession(rest, PATH, PARAMS).open()


def test_unknown_subprotocol_is_refused(server: LoopbackServer, config: ClientConfig) -> None:
    server.scripts.append(Script("", []))
    with RESTClient(config) as rest, pytest.raises(StreamProtocolError, match="none of"):
        ExecSession(rest, PATH, PARAMS).open()


def test_sync_session_closed_from_another_thread_ends_a_blocked_read(
    server: LoopbackServer, config: ClientConfig
) -> None:
    # The server waits for stdin that never comes: the read blocks until close().
    server.scripts.append(Script("v5.channel.k8s.io", [], expect_stdin=b"never"))
    with RESTClient(config) as rest:
        session = ExecSession(rest, PATH, PARAMS).open()
        timer: Callable[[], None] = session.close
        threading.Timer(0.3, timer).start()
        assert session.read() is None


def test_sending_after_the_command_ended(server: LoopbackServer, config: ClientConfig) -> None:
    server.scripts.append(Script("v5.channel.k8s.io", [b"\x01done", status(SUCCESS)]))
    with RESTClient(config) as rest, ExecSession(rest, PATH, PARAMS) as session:
        assert session.wait() == 0
        session.close_stdin()  # the command no longer reads: nothing to close
        with pytest.raises(StreamClosedError):
            session.write_stdin(b"late")


def test_sync_read_timeout_is_a_typed_error(server: LoopbackServer, config: ClientConfig) -> None:
    # The server waits for stdin that never comes: nothing arrives within the timeout.
    server.scripts.append(Script("v5.channel.k8s.io", [], expect_stdin=b"never"))
    with (
        RESTClient(config) as rest,
        ExecSession(rest, PATH, PARAMS) as session,
        pytest.raises(StreamTimeoutError, match=r"no message within 0\.3s"),
    ):
        session.read(timeout=0.3)


async def test_async_read_timeout_is_a_typed_error(
    server: LoopbackServer, config: ClientConfig
) -> None:
    server.scripts.append(Script("v5.channel.k8s.io", [], expect_stdin=b"never"))
    async with AsyncRESTClient(config) as rest, AsyncExecSession(rest, PATH, PARAMS) as session:
        with pytest.raises(StreamTimeoutError, match=r"no message within 0\.3s"):
            await session.read(timeout=0.3)


async def test_async_session_closed_from_another_task_ends_a_blocked_read(
    server: LoopbackServer, config: ClientConfig
) -> None:
    server.scripts.append(Script("v5.channel.k8s.io", [], expect_stdin=b"never"))
    async with AsyncRESTClient(config) as rest:
        session = await AsyncExecSession(rest, PATH, PARAMS).open()
        reader = asyncio.ensure_future(session.read())
        await asyncio.sleep(0.3)
        await session.close()
        assert await asyncio.wait_for(reader, 10) is None


FORWARD_PATH = "/api/v1/namespaces/ns/pods/p/portforward"
ROOT = Path(__file__).resolve().parents[2]


def _upstream_requested(script: Script) -> bool:
    for _ in range(2000):
        if script.request_target:
            return True
        threading.Event().wait(0.01)
    return False


def test_closing_a_port_forwarder_ends_its_open_connections(
    server: LoopbackServer, config: ClientConfig
) -> None:
    # The pod side never answers: the connection stays open until the forwarder closes.
    script = Script("v4.channel.k8s.io", [], expect_stdin=b"never")
    server.scripts.append(script)
    with RESTClient(config) as rest:
        forwarder = PortForwarder(rest, FORWARD_PATH, 8080).open()
        with socket.create_connection(("127.0.0.1", forwarder.local_port)) as local:
            local.settimeout(10)
            assert _upstream_requested(script)
            forwarder.close()
            assert local.recv(10) == b""  # end-of-file: the forwarder ended the connection
    assert forwarder.errors == []
    assert "ports=8080" in script.request_target


async def test_closing_an_async_port_forwarder_ends_its_open_connections(
    server: LoopbackServer, config: ClientConfig
) -> None:
    script = Script("v4.channel.k8s.io", [], expect_stdin=b"never")
    server.scripts.append(script)
    async with AsyncRESTClient(config) as rest:
        forwarder = await AsyncPortForwarder(rest, FORWARD_PATH, 8080).open()
        reader, writer = await asyncio.open_connection("127.0.0.1", forwarder.local_port)
        assert await asyncio.to_thread(_upstream_requested, script)
        await forwarder.close()
        assert await asyncio.wait_for(reader.read(10), 10) == b""
        writer.close()
    assert forwarder.errors == []


def _new_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t not in before and t.is_alive()]


def _reader_blocked_in_recv(before: set[threading.Thread]) -> bool:
    """Whether a thread started since ``before`` sits in httpcore's socket read (polled for up
    to 10 s: the session's reader reaches it right after the upgrade)."""
    for _ in range(1000):
        new = {t.ident for t in _new_threads(before)}
        for ident, frame in sys._current_frames().items():
            code = frame.f_code
            if ident in new and code.co_name == "read" and "httpcore" in code.co_filename:
                return True
        threading.Event().wait(0.01)
    return False


def test_closing_the_rest_client_wakes_the_reader_of_an_open_websocket(
    server: LoopbackServer, config: ClientConfig
) -> None:
    """The client is closed while a session is still open (a program that closes its
    clientset first, or a forwarder whose connection outlives it): httpx-ws's reader thread,
    blocked in recv, must still end. Closing the pool closes the socket, which does not wake a
    blocked recv; the non-daemon reader would then keep the interpreter from exiting."""
    server.scripts.append(Script("v4.channel.k8s.io", [], expect_stdin=b"never"))
    before = set(threading.enumerate())
    rest = RESTClient(config)
    request = upgrade_request(FORWARD_PATH, [("ports", "8080")], ["v4.channel.k8s.io"])
    with connect(rest, request):
        assert _reader_blocked_in_recv(before)
        rest.close()
    left = _new_threads(before)
    for thread in left:
        thread.join(timeout=10)  # a hang detector, not a timing: the reader ends at once
    assert [t.name for t in left if t.is_alive()] == []


@pytest.mark.parametrize("run", range(3))
def test_a_program_closing_its_forwarder_with_a_connection_open_exits(run: int) -> None:
    """A user's program as a whole: forward a port, connect to it, close the forwarder and the
    client while the connection is open, return from main. The interpreter must exit (before
    the fix, half of the runs hung at exit on httpx-ws's reader thread)."""
    program = f"""
import socket, sys, threading
sys.path.insert(0, {str(ROOT)!r})
from tests.unit.test_remotecommand import FORWARD_PATH, LoopbackServer, Script
from kubetyped.config import ClientConfig
from kubetyped.portforward import PortForwarder
from kubetyped.rest import RESTClient

server = LoopbackServer()
script = Script("v4.channel.k8s.io", [], expect_stdin=b"never")
server.scripts.append(script)
with RESTClient(ClientConfig(server=f"http://127.0.0.1:{{server.port}}", qps=-1)) as rest:
    forwarder = PortForwarder(rest, FORWARD_PATH, 8080).open()
    local = socket.create_connection(("127.0.0.1", forwarder.local_port))
    while not script.request_target:
        threading.Event().wait(0.01)
    forwarder.close()
print("returned")
"""
    try:
        result = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"the program hung at exit: {exc.stdout!r}") from None
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "returned"
