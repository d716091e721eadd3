"""`kubetyped.concurrency.Listener`: closing it ends every connection and waits for its handlers,
as `AsyncListener.close` waits for its tasks (the port forwarder's promise: once `close()`
returns, nothing of a forwarded connection is left running)."""

from __future__ import annotations

import socket
import threading

from kubetyped.concurrency import Connection, listen


def test_close_waits_for_the_handlers_of_open_connections() -> None:
    started = threading.Event()
    seen_eof = threading.Event()
    finished = threading.Event()

    def handle(connection: Connection) -> None:
        started.set()
        while connection.read(1024):
            pass
        seen_eof.set()
        threading.Event().wait(0.3)  # cleanup after end-of-file (closing an upstream stream)
        finished.set()

    listener = listen("127.0.0.1", 0, handle)
    with socket.create_connection(("127.0.0.1", listener.port)) as client:
        client.sendall(b"hello")
        assert started.wait(10)
        listener.close()
        assert seen_eof.is_set()
        assert finished.is_set()


def test_a_handler_may_close_its_own_listener() -> None:
    closed = threading.Event()
    holder: list[object] = []

    def handle(connection: Connection) -> None:
        listener = holder[0]
        assert hasattr(listener, "close")
        listener.close()  # must not wait for itself
        closed.set()

    listener = listen("127.0.0.1", 0, handle)
    holder.append(listener)
    with socket.create_connection(("127.0.0.1", listener.port)):
        assert closed.wait(10)
