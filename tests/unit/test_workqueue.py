"""Workqueue semantics (client-go util/workqueue), thread and asyncio variants."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fake_clock import FakeClock

from kubetyped.workqueue import (
    AsyncRateLimitingQueue,
    AsyncWorkQueue,
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    MaxOfRateLimiter,
    QueueShutDown,
    RateLimitingQueue,
    WorkQueue,
    default_controller_rate_limiter,
)


def test_duplicate_adds_collapse() -> None:
    q: WorkQueue[str] = WorkQueue()
    for _ in range(3):
        q.add("a")
    q.add("b")
    assert len(q) == 2
    assert q.get(timeout=1) == "a"
    assert q.get(timeout=1) == "b"
    with pytest.raises(TimeoutError):
        q.get(timeout=0.01)


def test_readd_while_processing_waits_until_done() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add("a")
    item = q.get(timeout=1)
    q.add("a")  # re-added while processing: must not be handed out yet
    assert len(q) == 0
    with pytest.raises(TimeoutError):
        q.get(timeout=0.01)
    q.done(item)
    assert len(q) == 1
    assert q.get(timeout=1) == "a"


def test_item_never_processed_by_two_workers_at_once() -> None:
    q: WorkQueue[int] = WorkQueue()
    active: set[int] = set()
    overlap: list[int] = []
    processed: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        for item in q:
            with lock:
                if item in active:
                    overlap.append(item)
                active.add(item)
            time.sleep(0.001)
            with lock:
                active.discard(item)
                processed.append(item)
            q.done(item)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for _ in range(50):
        for i in range(3):
            q.add(i)
        time.sleep(0.0005)
    assert q.shut_down_with_drain(timeout=5)
    for t in threads:
        t.join(timeout=5)
    assert overlap == []
    assert set(processed) == {0, 1, 2}
    assert len(processed) < 150  # duplicates collapsed


def test_add_after_keeps_earliest_time() -> None:
    clock = FakeClock()
    q: WorkQueue[str] = WorkQueue(clock=clock)
    q.add_after("a", 10)
    q.add_after("a", 5)  # earlier wins
    q.add_after("a", 20)  # later is ignored
    clock.advance(4.9)
    assert len(q) == 0
    clock.advance(0.1)
    assert len(q) == 1
    assert q.get(timeout=1) == "a"
    q.done("a")
    clock.advance(100)
    assert len(q) == 0  # the superseded 10 s and 20 s entries never fire


def test_add_after_nonpositive_delay_adds_now() -> None:
    q: WorkQueue[str] = WorkQueue(clock=FakeClock())
    q.add_after("a", 0)
    assert q.get(timeout=1) == "a"


def test_get_wakes_for_delayed_item_in_real_time() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add_after("a", 0.05)
    start = time.monotonic()
    assert q.get(timeout=2) == "a"
    assert time.monotonic() - start >= 0.04


def test_item_exponential_backoff_sequence_and_cap() -> None:
    rl = ItemExponentialFailureRateLimiter(0.005, 1000.0)
    delays = [rl.when("x") for _ in range(20)]
    assert delays[:4] == [0.005, 0.01, 0.02, 0.04]
    assert max(delays) == 1000.0 and delays[-1] == 1000.0
    assert rl.num_requeues("x") == 20
    assert rl.when("y") == 0.005  # per item
    rl.forget("x")
    assert rl.num_requeues("x") == 0
    assert rl.when("x") == 0.005


def test_bucket_limiter_burst_then_qps() -> None:
    clock = FakeClock()
    bucket = BucketRateLimiter(10.0, 100, clock)
    assert [bucket.when(i) for i in range(100)] == [0.0] * 100
    assert bucket.when("over") == pytest.approx(0.1)
    assert bucket.when("over2") == pytest.approx(0.2)
    clock.advance(1.0)  # refills 10 tokens: back to 8 available
    assert bucket.when("z") == 0.0


def test_default_limiter_is_max_of_item_and_bucket() -> None:
    clock = FakeClock()
    rl = default_controller_rate_limiter(clock)
    assert isinstance(rl, MaxOfRateLimiter)
    assert rl.when("a") == 0.005
    assert rl.when("a") == 0.01
    for i in range(98):
        rl.when(i)
    # bucket exhausted: its delay (0.1 s) beats the item's 5 ms
    assert rl.when("b") == pytest.approx(0.1)
    assert rl.num_requeues("a") == 2
    rl.forget("a")
    assert rl.num_requeues("a") == 0


def test_rate_limited_queue_requeues_with_delay() -> None:
    clock = FakeClock()
    q: RateLimitingQueue[str] = RateLimitingQueue(
        ItemExponentialFailureRateLimiter(1.0, 60), clock=clock
    )
    q.add_rate_limited("a")
    q.add_rate_limited("a")  # second failure would be 2 s, the earlier 1 s wins
    assert q.num_requeues("a") == 2
    assert len(q) == 0
    clock.advance(1.0)
    assert q.get(timeout=1) == "a"
    q.forget("a")
    assert q.num_requeues("a") == 0


def test_shut_down_hands_out_remaining_then_raises_and_ignores_adds() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add("a")
    q.add("b")
    q.shut_down()
    q.add("c")
    assert q.get(timeout=1) == "a"
    assert q.get(timeout=1) == "b"
    with pytest.raises(QueueShutDown):
        q.get(timeout=1)


def test_shut_down_wakes_blocked_getter() -> None:
    q: WorkQueue[str] = WorkQueue()
    errors: list[BaseException] = []

    def getter() -> None:
        try:
            q.get()
        except QueueShutDown as exc:
            errors.append(exc)

    t = threading.Thread(target=getter)
    t.start()
    time.sleep(0.05)
    q.shut_down()
    t.join(timeout=2)
    assert len(errors) == 1


def test_shut_down_with_drain_waits_for_done() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add("a")
    item = q.get(timeout=1)
    finished = threading.Event()

    def drain() -> None:
        q.shut_down_with_drain()
        finished.set()

    t = threading.Thread(target=drain)
    t.start()
    assert not finished.wait(0.1)  # still processing "a"
    q.done(item)
    assert finished.wait(2)
    t.join()
    assert q.shut_down_with_drain(timeout=0.0)  # nothing in flight any more


def test_shut_down_with_drain_times_out() -> None:
    q: WorkQueue[str] = WorkQueue()
    q.add("a")
    q.get(timeout=1)
    assert q.shut_down_with_drain(timeout=0.05) is False


async def test_async_queue_semantics() -> None:
    clock = FakeClock()
    q: AsyncWorkQueue[str] = AsyncWorkQueue(clock=clock)
    q.add("a")
    q.add("a")
    assert len(q) == 1
    item = await q.get(timeout=1)
    q.add("a")
    with pytest.raises(TimeoutError):
        await q.get(timeout=0.01)
    q.done(item)
    assert await q.get(timeout=1) == "a"
    q.add_after("b", 3)
    q.add_after("b", 1)
    clock.advance(1)
    assert await q.get(timeout=1) == "b"


async def test_async_get_waits_for_add_and_shutdown() -> None:
    q: AsyncWorkQueue[str] = AsyncWorkQueue()
    getter = asyncio.create_task(q.get())
    await asyncio.sleep(0.01)
    assert not getter.done()
    q.add("x")
    assert await asyncio.wait_for(getter, 1) == "x"
    blocked = asyncio.create_task(q.get())
    await asyncio.sleep(0.01)
    q.shut_down()
    with pytest.raises(QueueShutDown):
        await asyncio.wait_for(blocked, 1)


async def test_async_drain_and_rate_limit() -> None:
    clock = FakeClock()
    q: AsyncRateLimitingQueue[str] = AsyncRateLimitingQueue(
        ItemExponentialFailureRateLimiter(2.0, 10), clock=clock
    )
    q.add_rate_limited("a")
    assert q.num_requeues("a") == 1
    clock.advance(2)
    item = await q.get(timeout=1)
    drain = asyncio.create_task(q.shut_down_with_drain())
    await asyncio.sleep(0.01)
    assert not drain.done()
    q.done(item)
    assert await asyncio.wait_for(drain, 1) is True
    items = [i async for i in q]
    assert items == []
