"""Pod verbs through the real apiserver to kwok's kubelet server (complete cluster): exec,
attach, logs follow and port-forward, sync and async.

kwok runs exec'd commands on this machine, serves every container's log from
`info.kwok.logs_file` (CRI log format), attach from `info.kwok.attach_file`, and forwards pod
port `info.kwok.forward_pod_port` to 127.0.0.1:`info.kwok.forward_target_port`
(tests/cluster/nodes.py).
"""

# mypy: disable-error-code="union-attr, index, operator"

from __future__ import annotations

import asyncio
import http.server
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from kubetyped.errors import NotFoundError
from kubetyped.portforward import PortForwardError
from kubetyped.remotecommand import STDOUT, ExecResult, Output, RemoteCommandError
from kubetyped.remotecommand.protocol import V5_PROTOCOL
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.clients.core_v1 import AsyncPodClient, PodClient
from tests.cluster import ClusterInfo
from tests.cluster.nodes import KwokInfo, cri_log_line

POD = "verbs"


@pytest.fixture(scope="module")
def pod_namespace(full_cluster: ClusterInfo) -> Iterator[str]:
    """A namespace holding one Running pod named `POD` (kwok drives it to Running)."""
    namespace = f"verbs-{secrets.token_hex(4)}"
    with Clientset.from_kubeconfig(full_cluster.kubeconfig_path, context="admin") as cs:
        cs.core_v1.namespaces().create({"metadata": {"name": namespace}})
        accounts = cs.core_v1.service_accounts(namespace)
        for _ in accounts.watch(field_selector="metadata.name=default", timeout_seconds=60):
            break
        pods = cs.core_v1.pods(namespace)
        pods.create(
            {
                "metadata": {"name": POD},
                "spec": {"containers": [{"name": "main", "image": "example.test/app:1"}]},
            }
        )
        for event in pods.watch(field_selector=f"metadata.name={POD}", timeout_seconds=60):
            if event.object.status and event.object.status.phase == "Running":
                break
        assert pods.get(POD).status.phase == "Running"
        yield namespace
        cs.core_v1.namespaces().delete(namespace)


@pytest.fixture
def kwok(full_cluster: ClusterInfo) -> KwokInfo:
    assert full_cluster.kwok is not None
    return full_cluster.kwok


@pytest.fixture
def pods(full_cluster: ClusterInfo, pod_namespace: str) -> Iterator[PodClient]:
    with Clientset.from_kubeconfig(full_cluster.kubeconfig_path, context="admin") as cs:
        yield cs.core_v1.pods(pod_namespace)


@pytest.fixture
async def apods(full_cluster: ClusterInfo, pod_namespace: str) -> AsyncIterator[AsyncPodClient]:
    async with AsyncClientset.from_kubeconfig(full_cluster.kubeconfig_path, context="admin") as cs:
        yield cs.core_v1.pods(pod_namespace)


def append(path: Path, *lines: str) -> None:
    with path.open("a") as log:
        log.write("".join(cri_log_line(line) for line in lines))


def append_later(path: Path, *lines: str, delay: float = 0.3) -> threading.Thread:
    """Appends after `delay`, from another thread (the reader is already following)."""

    def run() -> None:
        time.sleep(delay)
        append(path, *lines)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


# -- exec ----------------------------------------------------------------------------------------


def test_exec_echo_separates_stdout_and_stderr(pods: PodClient) -> None:
    assert pods.exec(POD, ["echo", "hello"]) == ExecResult(b"hello\n", b"", 0)
    result = pods.exec(POD, ["sh", "-c", "echo out; echo err >&2"], container="main")
    assert (result.stdout, result.stderr, result.exit_code) == (b"out\n", b"err\n", 0)


def test_exec_reads_stdin(pods: PodClient) -> None:
    # kwok never closes the command's stdin pipe, so the command reads one line, not to EOF.
    assert pods.exec(POD, ["head", "-n", "1"], stdin="from stdin\n").stdout == b"from stdin\n"

    interactive = ["sh", "-c", 'read a; echo "$a"; read b; echo "$b"']
    with pods.stream_exec(POD, interactive, stdin=True) as session:
        assert session.protocol == V5_PROTOCOL
        session.write_stdin(b"one\n")
        assert session.read(timeout=30) == Output(STDOUT, b"one\n")
        session.write_stdin(b"two\n")
        session.close_stdin()
        assert session.read(timeout=30) == Output(STDOUT, b"two\n")
        assert session.wait() == 0


def test_exec_failing_command_is_a_typed_error(pods: PodClient) -> None:
    """kwok reports a non-zero exit as an internal error without the `ExitCode` cause, so the
    client raises `RemoteCommandError` with the apiserver's Status (a kubelet's
    `NonZeroExitCode` becomes `ExecResult.exit_code`: tests/unit/test_remotecommand.py)."""
    with pytest.raises(RemoteCommandError) as caught:
        pods.exec(POD, ["sh", "-c", "echo partial; echo oops >&2; exit 3"])
    assert caught.value.reason == "InternalError"
    assert "exit status 3" in str(caught.value)
    assert caught.value.status["status"] == "Failure"
    assert caught.value.stdout == b"partial\n"
    assert caught.value.stderr == b"oops\n"


def test_exec_tty_resize(pods: PodClient) -> None:
    with pods.stream_exec(
        POD, ["sh", "-c", "sleep 0.3; stty size; sleep 0.3"], stdin=True, tty=True
    ) as session:
        session.resize(width=100, height=40)
        output = b"".join(chunk.data for chunk in session)
        assert session.wait() == 0
    assert output.strip() == b"40 100"


def test_exec_in_a_missing_pod_raises_not_found(pods: PodClient) -> None:
    with pytest.raises(NotFoundError):
        pods.exec("no-such-pod", ["true"])


async def test_async_exec(apods: AsyncPodClient) -> None:
    assert await apods.exec(POD, ["echo", "async"]) == ExecResult(b"async\n", b"", 0)
    result = await apods.exec(POD, ["head", "-c", "3"], stdin=b"abcdef")
    assert result.stdout == b"abc"
    async with apods.stream_exec(
        POD, ["sh", "-c", "sleep 0.3; stty size; sleep 0.3"], stdin=True, tty=True
    ) as session:
        await session.resize(80, 24)
        output = b"".join([chunk.data async for chunk in session])
        assert await session.wait() == 0
    assert output.strip() == b"24 80"


# -- attach --------------------------------------------------------------------------------------


def test_attach_streams_the_containers_output(pods: PodClient, kwok: KwokInfo) -> None:
    with pods.attach(POD, container="main") as session:
        writer = append_later(kwok.attach_file, "attached 1", "attached 2")
        received = b""
        while received.count(b"\n") < 2:
            output = session.read(timeout=30)
            assert output is not None
            received += output.data
        writer.join()
    assert received == b"attached 1\nattached 2\n"


# -- logs ----------------------------------------------------------------------------------------


def test_logs_follow_receives_appended_lines_until_closed_from_another_thread(
    pods: PodClient, kwok: KwokInfo
) -> None:
    marker = secrets.token_hex(4)
    append(kwok.logs_file, f"{marker} before")
    stream = pods.stream_log(POD, tail_lines=1)
    lines: list[str] = []
    writer = append_later(kwok.logs_file, f"{marker} after 1", f"{marker} after 2")
    for line in stream:
        lines.append(line)
        if len(lines) == 3:
            threading.Timer(0.2, stream.close).start()  # ends the blocked iteration below
    writer.join()
    assert lines == [f"{marker} before", f"{marker} after 1", f"{marker} after 2"]


def test_logs_options(pods: PodClient, kwok: KwokInfo) -> None:
    marker = secrets.token_hex(4)
    with kwok.logs_file.open("a") as log:
        log.write(cri_log_line(f"{marker} old", timestamp="2020-01-01T00:00:00.000000000Z"))
    append(kwok.logs_file, f"{marker} new")
    recent = list(pods.stream_log(POD, follow=False, since_seconds=3600))
    assert f"{marker} new" in recent and f"{marker} old" not in recent
    (stamped,) = list(pods.stream_log(POD, follow=False, tail_lines=1, timestamps=True))
    assert stamped.endswith(f" {marker} new") and stamped[:4].isdigit()
    append(kwok.previous_logs_file, f"{marker} previous")
    assert pods.get_log(POD, previous=True).splitlines()[-1] == f"{marker} previous"


async def test_async_logs_follow_ends_on_task_cancellation(
    apods: AsyncPodClient, kwok: KwokInfo
) -> None:
    marker = secrets.token_hex(4)
    received: list[str] = []
    got_line = asyncio.Event()

    async def follow() -> None:
        async with apods.stream_log(POD, tail_lines=0) as stream:
            async for line in stream:
                received.append(line)
                got_line.set()

    task = asyncio.create_task(follow())
    writer = append_later(kwok.logs_file, f"{marker} async", delay=0.5)
    await asyncio.wait_for(got_line.wait(), 30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.to_thread(writer.join)
    assert received == [f"{marker} async"]


# -- port-forward --------------------------------------------------------------------------------


@pytest.fixture
def http_server(kwok: KwokInfo, tmp_path: Path) -> Iterator[Path]:
    """An HTTP server on the port kwok forwards to, serving `tmp_path`."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", kwok.forward_target_port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path
    finally:
        server.shutdown()
        server.server_close()


def test_port_forward_listener_serves_two_concurrent_requests(
    pods: PodClient, kwok: KwokInfo, http_server: Path
) -> None:
    (http_server / "a.txt").write_bytes(b"A" * 100_000)
    (http_server / "b.txt").write_bytes(b"B" * 50_000)
    with pods.port_forward(POD, kwok.forward_pod_port) as forwarder:
        base = f"http://127.0.0.1:{forwarder.local_port}"
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(httpx.get, f"{base}/{name}.txt", timeout=30) for name in "ab"]
            a, b = (future.result() for future in futures)
        assert (a.status_code, a.content) == (200, b"A" * 100_000)
        assert (b.status_code, b.content) == (200, b"B" * 50_000)
        assert forwarder.errors == []


def test_port_forward_stream(pods: PodClient, kwok: KwokInfo, http_server: Path) -> None:
    (http_server / "index.html").write_text("hello through the pod")
    with pods.port_forward_stream(POD, kwok.forward_pod_port) as stream:
        stream.send(b"GET /index.html HTTP/1.0\r\nHost: pod\r\n\r\n")
        # Read to the end of the known body: kwok ends a forwarded connection only once both
        # directions have ended, and the protocol cannot half-close ours.
        response = b""
        while not response.endswith(b"hello through the pod"):
            chunk = stream.receive()
            assert chunk, f"connection ended early: {response!r}"
            response += chunk
    assert response.startswith(b"HTTP/1.0 200")


def test_port_forward_to_an_unforwarded_port_raises(pods: PodClient) -> None:
    # kwok refuses port 9 at once: the error may surface at the first send or at a receive.
    with pods.port_forward_stream(POD, 9) as stream, pytest.raises(PortForwardError) as caught:
        stream.send(b"x")
        while stream.receive():
            pass
    assert caught.value.port == 9


async def test_async_port_forward_two_concurrent_requests(
    apods: AsyncPodClient, kwok: KwokInfo, http_server: Path
) -> None:
    (http_server / "c.txt").write_text("C" * 70_000)
    async with apods.port_forward(POD, kwok.forward_pod_port) as forwarder:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{forwarder.local_port}") as web:
            first, second = await asyncio.gather(web.get("/c.txt"), web.get("/c.txt"))
        assert forwarder.errors == []
    assert first.text == second.text == "C" * 70_000
    async with apods.port_forward_stream(POD, kwok.forward_pod_port) as stream:
        await stream.send(b"GET /c.txt HTTP/1.0\r\n\r\n")
        response = b""
        while not response.endswith(b"C" * 70_000):
            chunk = await stream.receive()
            assert chunk, f"connection ended early: {response[:200]!r}"
            response += chunk
    assert response.startswith(b"HTTP/1.0 200")


_FORWARD_AND_CLOSE = """
import socket, sys
from kubetyped_kubernetes import Clientset

kubeconfig, namespace, pod, port = sys.argv[1:5]
with Clientset.from_kubeconfig(kubeconfig, context="admin") as cs:
    forwarder = cs.core_v1.pods(namespace).port_forward(pod, int(port)).open()
    local = socket.create_connection(("127.0.0.1", forwarder.local_port))
    local.sendall(b"held open")
    print("forwarding", flush=True)
    sys.stdin.readline()  # the test says when the pod side holds the connection
    forwarder.close()
print("returned", flush=True)
"""


def test_a_program_closing_its_forwarder_with_a_connection_open_exits(
    full_cluster: ClusterInfo, pod_namespace: str, kwok: KwokInfo
) -> None:
    """A user's program forwards a port, opens a connection the pod side holds open, closes the
    forwarder and its clientset and returns: the interpreter exits (before the fix it could hang
    at exit on httpx-ws's reader thread, blocked on a socket the client's pool had closed)."""
    held = threading.Event()
    with socket.create_server(("127.0.0.1", kwok.forward_target_port)) as server:

        def accept() -> None:
            conn, _ = server.accept()
            if conn.recv(64):
                held.set()
            conn.recv(64)  # until the forwarded connection ends
            conn.close()

        threading.Thread(target=accept, daemon=True).start()
        argv = [str(full_cluster.kubeconfig_path), pod_namespace, POD, str(kwok.forward_pod_port)]
        program = subprocess.Popen(
            [sys.executable, "-c", _FORWARD_AND_CLOSE, *argv],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert program.stdout is not None and program.stdin is not None
            assert program.stdout.readline().strip() == "forwarding"
            assert held.wait(30), "the forwarded bytes never reached the pod side"
            program.stdin.write("close\n")
            program.stdin.flush()
            out, err = program.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            program.kill()
            raise AssertionError("the program hung at exit") from None
    assert program.returncode == 0, err[-2000:]
    assert out.strip() == "returned"
