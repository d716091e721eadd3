"""Backoff, in one place: client-go's ``wait.Backoff`` (a fixed number of steps) and the
``ExponentialBackoffManager`` the reflector uses (unbounded, resetting after a quiet period),
both jittered by ``jitter`` (client-go ``wait.Jitter``).

- ``Backoff`` + ``delays``: the pauses of ``retry_on_conflict`` (``retry.DefaultRetry``,
  ``retry.DefaultBackoff``).
- ``BackoffManager``: 800 ms → 30 s, factor 2, jitter 1.0, reset after 2 min of quiet
  (client-go ``NewExponentialBackoffManager`` as the reflector configures it).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kubetyped.errors import KubetypedError

__all__ = ["DEFAULT_BACKOFF", "DEFAULT_RETRY", "Backoff", "BackoffError", "delays"]


def jitter(duration: float, max_factor: float, rand: Callable[[], float] = random.random) -> float:
    """``duration`` plus up to ``max_factor`` times it of random extra (client-go
    ``wait.Jitter``; no extra when ``max_factor`` <= 0). Seconds."""
    return duration + rand() * max_factor * duration if max_factor > 0 else duration


class BackoffError(KubetypedError, ValueError):
    """A `Backoff` that cannot schedule any attempt."""


@dataclass(frozen=True)
class Backoff:
    """client-go `wait.Backoff`: `steps` attempts; the pause (seconds) starts at `duration` and
    grows by `factor`, up to `cap`; each pause gets up to `jitter` times itself of random extra.

    Raises `BackoffError` when `steps` < 1.
    """

    duration: float = 0.01
    factor: float = 1.0
    jitter: float = 0.1
    steps: int = 5
    cap: float | None = None

    def __post_init__(self) -> None:
        if self.steps < 1:
            raise BackoffError(f"Backoff.steps must be at least 1, not {self.steps}")


#: client-go `retry.DefaultRetry`: 5 quick attempts, for conflicts between cooperating writers.
DEFAULT_RETRY = Backoff(duration=0.01, factor=1.0, jitter=0.1, steps=5)
#: client-go `retry.DefaultBackoff`: 4 attempts spread over about a second.
DEFAULT_BACKOFF = Backoff(duration=0.01, factor=5.0, jitter=0.1, steps=4)


def delays(backoff: Backoff, rand: Callable[[], float] = random.random) -> Iterator[float]:
    """The pauses between attempts (`steps - 1` of them, seconds), jittered as client-go does."""
    duration = backoff.duration
    for _ in range(backoff.steps - 1):
        yield jitter(duration, backoff.jitter, rand)
        duration *= backoff.factor
        if backoff.cap is not None:
            duration = min(duration, backoff.cap)


@dataclass
class BackoffManager:
    """Exponential backoff with jitter that resets after a quiet period (client-go
    ``ExponentialBackoffManager``); times in seconds of ``clock``."""

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
        return jitter(base, self.jitter, self.rand)

    def reset(self) -> None:
        """Start again from ``initial`` (the server answered again)."""
        self._duration = self.initial
        self._last_start = None
