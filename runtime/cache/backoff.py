"""Exponential backoff with jitter that resets after a quiet period (client-go's
``ExponentialBackoffManager``: 800 ms → 30 s, factor 2, jitter 1.0, reset after 2 min)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Backoff:
    initial: float = 0.8
    cap: float = 30.0
    factor: float = 2.0
    jitter: float = 1.0
    reset_after: float = 120.0
    clock: Callable[[], float] = field(default=lambda: 0.0)
    rand: Callable[[], float] = field(default=random.random)
    _duration: float = field(init=False, default=0.0)
    _last_start: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._duration = self.initial

    def next_delay(self, cap: float | None = None) -> float:
        """The next sleep: the current step plus up to ``jitter`` times the step of random extra.

        ``cap`` lowers the step for this call (and the growth from it), e.g. while the server is
        unreachable, where a short retry is cheap."""
        now = self.clock()
        if self._last_start is None or now - self._last_start > self.reset_after:
            self._duration = self.initial
        self._last_start = now
        base = self._duration if cap is None else min(self._duration, cap)
        self._duration = min(base * self.factor, self.cap)
        return base + self.rand() * self.jitter * base if self.jitter > 0 else base

    def reset(self) -> None:
        """Start again from ``initial`` (the server answered again)."""
        self._duration = self.initial
        self._last_start = None
