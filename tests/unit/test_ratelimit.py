"""Token bucket: burst first, then QPS spacing; client-go defaults; thread safety."""

from __future__ import annotations

import threading

import pytest
from fake_clock import FakeClock

from kubetyped.errors import ConfigError
from kubetyped.ratelimit import TokenBucketRateLimiter, from_config


def test_burst_is_free_then_requests_are_spaced_by_qps() -> None:
    clock = FakeClock()
    limiter = TokenBucketRateLimiter(qps=5, burst=3, clock=clock)
    assert [limiter.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    # bucket empty: the 4th waits 1/qps, the 5th 2/qps (reservations queue up)
    assert limiter.reserve() == pytest.approx(0.2)
    assert limiter.reserve() == pytest.approx(0.4)


def test_tokens_refill_with_time_up_to_burst() -> None:
    clock = FakeClock()
    limiter = TokenBucketRateLimiter(qps=2, burst=2, clock=clock)
    limiter.reserve()
    limiter.reserve()
    clock.advance(0.5)  # one token back
    assert limiter.reserve() == 0.0
    assert limiter.reserve() == pytest.approx(0.5)
    clock.advance(100)  # refill is capped at burst
    assert [limiter.reserve() for _ in range(2)] == [0.0, 0.0]
    assert limiter.reserve() == pytest.approx(0.5)


def test_wait_sleeps_for_the_reserved_time() -> None:
    clock = FakeClock()
    slept: list[float] = []
    limiter = TokenBucketRateLimiter(qps=10, burst=1, clock=clock, sleep=slept.append)
    assert limiter.wait() == 0.0
    assert limiter.wait() == pytest.approx(0.1)
    assert slept == [pytest.approx(0.1)]


async def test_wait_async_waits_the_reserved_time() -> None:
    limiter = TokenBucketRateLimiter(qps=100, burst=1)
    assert await limiter.wait_async() == 0.0
    waited = await limiter.wait_async()
    assert 0 < waited <= 0.011


def test_from_config_follows_client_go() -> None:
    default = from_config(0, 0)
    assert default is not None and (default.qps, default.burst) == (5.0, 10)
    custom = from_config(50, 100)
    assert custom is not None and (custom.qps, custom.burst) == (50.0, 100)
    assert from_config(-1, 10) is None
    with pytest.raises(ConfigError, match="burst"):
        from_config(5, -1)


def test_invalid_limiter_arguments_are_typed_errors() -> None:
    with pytest.raises(ConfigError, match="qps"):
        TokenBucketRateLimiter(qps=0)
    with pytest.raises(ConfigError, match="burst"):
        TokenBucketRateLimiter(qps=1, burst=0)


def test_thread_safety_smoke() -> None:
    clock = FakeClock()  # frozen time: every reservation after the burst waits one slot longer
    limiter = TokenBucketRateLimiter(qps=10, burst=5, clock=clock)
    delays: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            delay = limiter.reserve()
            with lock:
                delays.append(delay)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 400 reservations: 5 free, then 0.1, 0.2, ... each handed out exactly once
    expected = [0.0] * 5 + [round(0.1 * i, 6) for i in range(1, 396)]
    assert sorted(round(d, 6) for d in delays) == expected
