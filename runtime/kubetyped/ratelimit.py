"""Client-side token bucket (client-go `flowcontrol.NewTokenBucketRateLimiter`).

The bucket starts full (`burst` tokens) and refills at `qps` tokens per second. `reserve()` takes a
token now and says how long the caller must wait before using it (sans-IO, thread-safe), so the sync
and async drivers differ only in how they sleep. Waiting callers queue up in reservation order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Final

from kubetyped.concurrency import async_sleep
from kubetyped.errors import ConfigError

__all__ = ["TokenBucketRateLimiter", "from_config"]

DEFAULT_QPS: Final = 5.0
DEFAULT_BURST: Final = 10

Clock = Callable[[], float]


class TokenBucketRateLimiter:
    """A token bucket of ``burst`` tokens refilled at ``qps`` tokens per second (client-go
    ``flowcontrol.NewTokenBucketRateLimiterWithClock``); one per clientset config.

    ``clock`` (seconds, monotonic) and ``sleep`` (of ``wait``) are injectable for tests. Raises
    ``ConfigError`` naming the field when ``qps`` is not positive or ``burst`` is below 1.

    ``reserve`` is the sans-IO core (the transports call it and sleep through their own seams); ``wait`` (a thread) and ``wait_async`` (a task) are its two
    drivers. They stay two methods of this one class, not a generated twin, because one limiter
    is shared by the blocking and the asyncio clients made from one config; they differ only in
    how they sleep.
    """

    def __init__(
        self,
        qps: float = DEFAULT_QPS,
        burst: int = DEFAULT_BURST,
        clock: Clock = time.monotonic,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if qps <= 0:
            raise ConfigError(f"rate limiter qps must be positive, got {qps}", field="qps")
        if burst < 1:
            raise ConfigError(f"rate limiter burst must be at least 1, got {burst}", field="burst")
        self.qps = float(qps)
        self.burst = int(burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._last = clock()

    def reserve(self) -> float:
        """Take one token; return the seconds to wait before the request may go (0 if none)."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._last)
            self._last = now
            self._tokens = min(float(self.burst), self._tokens + elapsed * self.qps)
            self._tokens -= 1.0
            if self._tokens >= 0:
                return 0.0
            return -self._tokens / self.qps

    def wait(self) -> float:
        """Block until a token is available; return the seconds waited."""
        delay = self.reserve()
        if delay > 0:
            self._sleep(delay)
        return delay

    async def wait_async(self) -> float:
        """Suspend the calling task until a token is available; return the seconds waited."""
        delay = self.reserve()
        if delay > 0:
            await async_sleep(delay)
        return delay

    def __repr__(self) -> str:
        return f"TokenBucketRateLimiter(qps={self.qps}, burst={self.burst})"


def from_config(qps: float | None, burst: int | None) -> TokenBucketRateLimiter | None:
    """client-go semantics: qps 0/None → 5, burst 0/None → 10, negative qps → no limiter."""
    qps = DEFAULT_QPS if not qps else float(qps)
    if qps < 0:
        return None
    if burst is not None and burst < 0:
        raise ConfigError(f"burst must not be negative, got {burst}", field="burst")
    return TokenBucketRateLimiter(qps, burst or DEFAULT_BURST)
