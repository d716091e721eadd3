"""Work queues for controllers (client-go ``util/workqueue`` semantics), threads and asyncio."""

from __future__ import annotations

from kubetyped.workqueue.aio import AsyncRateLimitingQueue, AsyncWorkQueue
from kubetyped.workqueue.core import QueueCore
from kubetyped.workqueue.errors import QueueShutDown
from kubetyped.workqueue.queue import RateLimitingQueue, WorkQueue
from kubetyped.workqueue.ratelimit import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    MaxOfRateLimiter,
    RateLimiter,
    default_controller_rate_limiter,
)

__all__ = [
    "AsyncRateLimitingQueue",
    "AsyncWorkQueue",
    "BucketRateLimiter",
    "ItemExponentialFailureRateLimiter",
    "MaxOfRateLimiter",
    "QueueCore",
    "QueueShutDown",
    "RateLimiter",
    "RateLimitingQueue",
    "WorkQueue",
    "default_controller_rate_limiter",
]
