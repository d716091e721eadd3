"""The retry schedule of `retry_on_conflict`: client-go `wait.Backoff` and its delays."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kubetyped.errors import KubetypedError


class BackoffError(KubetypedError, ValueError):
    """A `Backoff` that cannot schedule any attempt."""


@dataclass(frozen=True)
class Backoff:
    """client-go `wait.Backoff`: `steps` attempts; delays grow by `factor`, up to `cap`."""

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
    """The pauses between attempts (`steps - 1` of them), jittered as client-go does."""
    duration = backoff.duration
    for _ in range(backoff.steps - 1):
        pause = duration + (duration * backoff.jitter * rand() if backoff.jitter > 0 else 0.0)
        yield pause
        duration *= backoff.factor
        if backoff.cap is not None:
            duration = min(duration, backoff.cap)
