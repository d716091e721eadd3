"""What the fake httpx transports share: open-watch bookkeeping, deadlines, plain answers.

The transports are `AsyncFakeTransport` (`async_transport`, the source) and `FakeTransport`
(`sync_transport`, generated from it by `make unasync`).
"""

from __future__ import annotations

import threading
import time

import httpx

from kubetyped.fake.server import Answer, Stop

__all__: list[str] = []

FAKE_BASE_URL = "https://fake.invalid"
HEADERS = {"content-type": "application/json"}


class Watches:
    """The stop functions of a transport's open watches, to end them on close."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[int, Stop] = {}
        self._next = 0

    def add(self, stop: Stop) -> Stop:
        """Register an open watch's `stop`; returns the function that stops it and forgets it."""
        with self._lock:
            self._next += 1
            number = self._next
            self._open[number] = stop

        def remove_and_stop() -> None:
            with self._lock:
                self._open.pop(number, None)
            stop()

        return remove_and_stop

    def stop_all(self) -> None:
        """Stop every open watch (their streams end), as closing the transport does."""
        with self._lock:
            stops, self._open = list(self._open.values()), {}
        for stop in stops:
            stop()


def deadline_after(timeout: float | None) -> float | None:
    """The monotonic time `timeout` seconds from now (None: no deadline)."""
    return time.monotonic() + timeout if timeout is not None else None


def remaining(deadline: float | None) -> float | None:
    """Seconds left until `deadline` (at least 0; None: no deadline)."""
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def plain_response(answer: Answer, request: httpx.Request) -> httpx.Response:
    """The in-memory response of a plain (non-watch) answer."""
    return httpx.Response(answer.status, content=answer.body, headers=HEADERS, request=request)
