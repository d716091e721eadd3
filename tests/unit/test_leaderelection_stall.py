"""Leader election when the leader's path to the apiserver stalls (issue 18 item 2).

A lock view whose calls block (sync) or never return (async) stands for a connection that stays
open but forwards nothing. The leader must stop leading within ``renew_deadline`` of its last
successful renewal, so the other candidate, which waits ``lease_duration`` after it last saw the
record change, never leads at the same time. Checked continuously (``is_leader()``) and from the
callbacks' order. Also: wall clocks an hour apart change nothing (expiry uses local monotonic
observation times).
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from kubetyped.leaderelection import (
    AsyncLeaderElector,
    Callbacks,
    LeaderElectionConfig,
    LeaderElector,
)
from tests.unit.test_leaderelection import MemoryLock, wait_for

LEASE, RENEW, RETRY = 1.5, 1.0, 0.2


class StallableView:
    """One candidate's path to the shared ``MemoryLock``; ``stall()`` makes every call hang."""

    namespace = "ns"
    name = "lock"

    def __init__(self, inner: MemoryLock) -> None:
        self.inner = inner
        self.stalled = False
        self.release = threading.Event()
        self.timeouts: list[float] = []

    def _gate(self, timeout: float | None) -> None:
        if timeout is not None:
            self.timeouts.append(timeout)
        if self.stalled:
            self.release.wait(30)
            raise ConnectionError("stalled connection finally reset")

    def get(self, *, timeout: float | None = None) -> Any:
        self._gate(timeout)
        return self.inner.get()

    def create(self, lease: Any, *, timeout: float | None = None) -> Any:
        self._gate(timeout)
        return self.inner.create(lease)

    def update(self, lease: Any, *, timeout: float | None = None) -> Any:
        self._gate(timeout)
        return self.inner.update(lease)


class AsyncStallableView:
    namespace = "ns"
    name = "lock"

    def __init__(self, inner: MemoryLock) -> None:
        self.inner = inner
        self.stalled = False

    async def _gate(self) -> None:
        if self.stalled:
            await asyncio.sleep(3600)

    async def get(self) -> Any:
        await self._gate()
        return self.inner.get()

    async def create(self, lease: Any) -> Any:
        await self._gate()
        return self.inner.create(lease)

    async def update(self, lease: Any) -> Any:
        await self._gate()
        return self.inner.update(lease)


class Timeline:
    def __init__(self) -> None:
        self.events: list[tuple[float, str, str]] = []
        self.lock = threading.Lock()

    def callbacks(self, identity: str) -> Callbacks:
        def started(should_stop: Any) -> None:
            self.add(identity, "started")

        return Callbacks(
            on_started_leading=started, on_stopped_leading=lambda: self.add(identity, "stopped")
        )

    def add(self, identity: str, what: str) -> None:
        with self.lock:
            self.events.append((time.monotonic(), identity, what))

    def at(self, identity: str, what: str) -> float:
        return next(t for t, i, w in self.events if i == identity and w == what)


def config(identity: str, timeline: Timeline, skew: timedelta = timedelta(0)) -> dict[str, Any]:
    cfg = LeaderElectionConfig(
        identity,
        lease_duration=LEASE,
        renew_deadline=RENEW,
        retry_period=RETRY,
        callbacks=timeline.callbacks(identity),
    )
    return {"config": cfg, "wall_clock": lambda: datetime.now(UTC) + skew}


def test_stalled_leader_steps_down_before_the_follower_takes_over() -> None:
    shared, timeline = MemoryLock(), Timeline()
    view_a, view_b = StallableView(shared), StallableView(shared)
    a = LeaderElector(view_a, **config("a", timeline))  # type: ignore[arg-type]
    b = LeaderElector(view_b, **config("b", timeline))  # type: ignore[arg-type]
    overlaps: list[float] = []
    stop = threading.Event()

    def check() -> None:
        while not stop.is_set():
            if a.is_leader() and b.is_leader():
                overlaps.append(time.monotonic())
            time.sleep(0.001)

    checker = threading.Thread(target=check)
    checker.start()
    try:
        a.start()
        wait_for(a.is_leader)
        b.start()
        time.sleep(3 * RETRY)
        view_a.stalled = True
        stalled_at = time.monotonic()
        wait_for(b.is_leader, timeout=10)
        b_leads_at = time.monotonic()
        assert not a.is_leader()
        # the stalled leader gave up first, within the renew deadline of its last renewal
        # (b's on_started_leading runs in its own thread: wait for it to be recorded)
        wait_for(lambda: any(e[1:] == ("b", "started") for e in timeline.events))
        assert timeline.at("a", "stopped") < b_leads_at
        assert timeline.at("a", "stopped") < timeline.at("b", "started")
        assert timeline.at("a", "stopped") - stalled_at < RENEW + RETRY
        # every request carried the time left to the renew deadline as its timeout
        assert view_a.timeouts and max(view_a.timeouts) <= RENEW
    finally:
        stop.set()
        checker.join()
        view_a.release.set()
        a.stop(timeout=5)
        b.stop(timeout=5)
    assert overlaps == []


async def test_async_stalled_leader_steps_down_before_the_follower_takes_over() -> None:
    shared, timeline = MemoryLock(), Timeline()
    view_a, view_b = AsyncStallableView(shared), AsyncStallableView(shared)
    a = AsyncLeaderElector(view_a, **config("a", timeline))  # type: ignore[arg-type]
    b = AsyncLeaderElector(view_b, **config("b", timeline))  # type: ignore[arg-type]
    overlaps: list[float] = []
    ta = asyncio.create_task(a.run())
    while not a.is_leader():
        await asyncio.sleep(0.005)
    tb = asyncio.create_task(b.run())
    await asyncio.sleep(3 * RETRY)
    view_a.stalled = True
    stalled_at = time.monotonic()
    deadline = time.monotonic() + 10
    while not b.is_leader():
        assert time.monotonic() < deadline
        if a.is_leader() and b.is_leader():
            overlaps.append(time.monotonic())
        await asyncio.sleep(0.001)
    assert overlaps == []
    assert ta.done()  # run() returned: leadership lost
    assert timeline.at("a", "stopped") < timeline.at("b", "started")
    assert timeline.at("a", "stopped") - stalled_at < RENEW + RETRY
    tb.cancel()
    await asyncio.gather(ta, tb, return_exceptions=True)


def test_wall_clocks_an_hour_apart_never_give_two_leaders() -> None:
    shared, timeline = MemoryLock(), Timeline()
    a = LeaderElector(StallableView(shared), **config("a", timeline, timedelta(hours=-1)))  # type: ignore[arg-type]
    b = LeaderElector(StallableView(shared), **config("b", timeline, timedelta(hours=1)))  # type: ignore[arg-type]
    a.start()
    wait_for(a.is_leader)
    b.start()
    time.sleep(LEASE * 1.5)  # longer than the lease: b must not read a's old renewTime as expired
    assert a.is_leader() and not b.is_leader()
    a.stop()  # no release: b takes over after the lease expires
    wait_for(b.is_leader, timeout=10)
    wait_for(lambda: any(e[1:] == ("b", "started") for e in timeline.events))
    assert timeline.at("a", "stopped") < timeline.at("b", "started")
    b.stop()
