"""`async_retry_on_conflict`: rerun a read-modify-write while the server answers 409 Conflict."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from kubetyped.backoff import DEFAULT_RETRY, Backoff, delays
from kubetyped.concurrency import async_sleep
from kubetyped.errors import ConflictError

__all__ = ["async_retry_on_conflict"]

T = TypeVar("T")


async def async_retry_on_conflict(
    fn: Callable[[], Awaitable[T]],
    backoff: Backoff = DEFAULT_RETRY,
    *,
    sleep: Callable[[float], Awaitable[object]] = async_sleep,
    rand: Callable[[], float] = random.random,
) -> T:
    """`fn()`, rerun while it raises `ConflictError` (see `kubetyped.retry_conflict`)."""
    pauses = delays(backoff, rand)
    while True:
        try:
            return await fn()
        except ConflictError:
            pause = next(pauses, None)
            if pause is None:
                raise
        await sleep(pause)
