"""`retry_on_conflict`: rerun a read-modify-write when the server answers 409 Conflict
(client-go `util/retry.RetryOnConflict`).

    def bump() -> None:
        deployment = client.get("web")            # read the latest version
        deployment.spec.replicas += 1             # modify it
        client.update(deployment)                 # write; 409 if someone else wrote first

    retry_on_conflict(bump)

`fn` runs up to `backoff.steps` times, sleeping between attempts; any other error is raised at
once, and after the last attempt the last `ConflictError` is raised. The delay schedule is a pure
function shared by the blocking and asyncio versions.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from kubetyped.errors import ConflictError, KubetypedError

T = TypeVar("T")


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


def retry_on_conflict(
    fn: Callable[[], T],
    backoff: Backoff = DEFAULT_RETRY,
    *,
    sleep: Callable[[float], object] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> T:
    """`fn()`, rerun while it raises `ConflictError` (see the module docstring)."""
    pauses = delays(backoff, rand)
    while True:
        try:
            return fn()
        except ConflictError:
            pause = next(pauses, None)
            if pause is None:
                raise
        sleep(pause)


async def async_retry_on_conflict(
    fn: Callable[[], Awaitable[T]],
    backoff: Backoff = DEFAULT_RETRY,
    *,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    rand: Callable[[], float] = random.random,
) -> T:
    """The asyncio twin of `retry_on_conflict`: `fn` is a coroutine function."""
    pauses = delays(backoff, rand)
    while True:
        try:
            return await fn()
        except ConflictError:
            pause = next(pauses, None)
            if pause is None:
                raise
        await sleep(pause)


__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_RETRY",
    "Backoff",
    "BackoffError",
    "async_retry_on_conflict",
    "delays",
    "retry_on_conflict",
]
