"""Per-item and overall rate limiters for requeues (client-go ``workqueue`` rate limiters).

``default_controller_rate_limiter()`` is the max of a per-item exponential limiter
(5 ms · 2^failures, capped at 1000 s) and a 10 qps / burst 100 token bucket.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Protocol

from kubetyped.ratelimit import TokenBucketRateLimiter

__all__ = [
    "BucketRateLimiter",
    "ItemExponentialFailureRateLimiter",
    "MaxOfRateLimiter",
    "RateLimiter",
    "default_controller_rate_limiter",
]


class RateLimiter(Protocol):
    """What a rate-limited workqueue asks of a limiter (client-go `workqueue.TypedRateLimiter`)."""

    def when(self, item: Hashable) -> float:
        """Seconds to wait before re-adding ``item`` (and record one more failure)."""
        ...

    def forget(self, item: Hashable) -> None:
        """Stop tracking `item` (it succeeded): its next failure starts from the base delay again."""
        ...

    def num_requeues(self, item: Hashable) -> int:
        """How many times `item` failed since it was last forgotten."""
        ...


class ItemExponentialFailureRateLimiter:
    """A per-item delay of `base_delay` · 2^failures seconds, capped at `max_delay` seconds (client-go
    `workqueue.ItemExponentialFailureRateLimiter`; defaults 5 ms and 1000 s). Thread-safe.
    """

    def __init__(self, base_delay: float = 0.005, max_delay: float = 1000.0) -> None:
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._failures: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def when(self, item: Hashable) -> float:
        """Seconds to wait before re-adding `item`: `base_delay` · 2^(failures so far), at most
        `max_delay`; counts one more failure.
        """
        with self._lock:
            exp = self._failures.get(item, 0)
            self._failures[item] = exp + 1
        if exp > 1000:  # avoid float overflow
            return self.max_delay
        return float(min(self.base_delay * 2.0**exp, self.max_delay))

    def forget(self, item: Hashable) -> None:
        """Reset `item`'s failure count."""
        with self._lock:
            self._failures.pop(item, None)

    def num_requeues(self, item: Hashable) -> int:
        """`item`'s failure count since it was last forgotten."""
        with self._lock:
            return self._failures.get(item, 0)


class BucketRateLimiter:
    """One token bucket shared by all items (client-go ``workqueue.BucketRateLimiter``).

    The bucket is the client's ``TokenBucketRateLimiter``: each ``when`` reserves a token, so
    the delay grows once the burst is spent. ``qps`` > 0 and ``burst`` >= 1, else ``ConfigError``.
    """

    def __init__(
        self, qps: float = 10.0, burst: int = 100, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.bucket = TokenBucketRateLimiter(qps, burst, clock)

    def when(self, item: Hashable) -> float:
        """Seconds until the token reserved now may be used (0 while the bucket has tokens)."""
        return self.bucket.reserve()

    def forget(self, item: Hashable) -> None:
        """Nothing to forget: the bucket does not track items."""

    def num_requeues(self, item: Hashable) -> int:
        """Always 0: the bucket does not track items."""
        return 0


class MaxOfRateLimiter:
    """The longest delay of several limiters."""

    def __init__(self, *limiters: RateLimiter) -> None:
        self.limiters = limiters

    def when(self, item: Hashable) -> float:
        """The longest of the limiters' delays for `item` (seconds); every limiter records the failure."""
        return max(limiter.when(item) for limiter in self.limiters)

    def forget(self, item: Hashable) -> None:
        """Forget `item` in every limiter."""
        for limiter in self.limiters:
            limiter.forget(item)

    def num_requeues(self, item: Hashable) -> int:
        """The highest requeue count any limiter has for `item`."""
        return max(limiter.num_requeues(item) for limiter in self.limiters)


def default_controller_rate_limiter(clock: Callable[[], float] = time.monotonic) -> RateLimiter:
    """client-go's `workqueue.DefaultControllerRateLimiter`: the longer of a per-item exponential delay
    (5 ms · 2^failures, capped at 1000 s) and a shared 10 qps / burst 100 token bucket. `clock`
    (seconds) drives the bucket.
    """
    return MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(0.005, 1000.0), BucketRateLimiter(10.0, 100, clock)
    )
