"""A settable clock for the `clock=` parameters of limiters, queues and credentials."""

from __future__ import annotations


class FakeClock:
    """Returns `now` when called; `advance(s)` moves it forward. Never moves by itself."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
