"""Leader election: config validation, the IO-free core, and electors on an in-memory lock."""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from kubetyped.api import Lease
from kubetyped.leaderelection import (
    AsyncLeaderElector,
    Callbacks,
    ElectionCore,
    LeaderElectionConfig,
    LeaderElectionConfigError,
    LeaderElector,
    LockConflictError,
)
from kubetyped.leaderelection.core import Create, Update


class MemoryLock:
    """A Lease store with resourceVersion checks, like the apiserver; it keeps wire dicts (what
    the apiserver stores) and speaks the ``Lease`` model to the elector."""

    namespace = "ns"
    name = "lock"

    def __init__(self) -> None:
        self.lease: dict[str, Any] | None = None
        self.rv = 0
        self.mutex = threading.Lock()
        self.fail = False
        self.writes: list[dict[str, Any]] = []

    def get(self) -> Lease | None:
        with self.mutex:
            if self.fail:
                raise ConnectionError("apiserver unreachable")
            return None if self.lease is None else Lease.from_raw(copy.deepcopy(self.lease))

    def create(self, lease: Lease) -> Lease:
        with self.mutex:
            if self.lease is not None:
                raise LockConflictError("exists")
            return self._store(lease)

    def update(self, lease: Lease) -> Lease:
        with self.mutex:
            if self.fail:
                raise ConnectionError("apiserver unreachable")
            assert self.lease is not None
            assert lease.metadata is not None
            if lease.metadata.resource_version != self.lease["metadata"]["resourceVersion"]:
                raise LockConflictError("conflict")
            return self._store(lease)

    def _store(self, lease: Lease) -> Lease:
        self.rv += 1
        stored = lease.to_dict()
        stored["metadata"]["resourceVersion"] = str(self.rv)
        self.lease = stored
        self.writes.append(copy.deepcopy(stored))
        return Lease.from_raw(copy.deepcopy(stored))


class AsyncMemoryLock:
    namespace = "ns"
    name = "lock"

    def __init__(self, inner: MemoryLock) -> None:
        self.inner = inner

    async def get(self) -> Lease | None:
        return self.inner.get()

    async def create(self, lease: Lease) -> Lease:
        return self.inner.create(lease)

    async def update(self, lease: Lease) -> Lease:
        return self.inner.update(lease)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"identity": ""}, "identity"),
        ({"lease_duration": 10, "renew_deadline": 10}, "lease_duration"),
        ({"renew_deadline": 2.4, "retry_period": 2}, "renew_deadline"),
        ({"retry_period": 0}, "retry_period"),
    ],
)
def test_config_validation(kwargs: dict[str, Any], field: str) -> None:
    args = {"identity": "me", **kwargs}
    with pytest.raises(LeaderElectionConfigError) as info:
        LeaderElectionConfig(**args)
    assert info.value.field == field and field in str(info.value)


def test_valid_config_boundary() -> None:
    cfg = LeaderElectionConfig("me", lease_duration=15, renew_deadline=10, retry_period=2)
    assert cfg.renew_deadline > 1.2 * cfg.retry_period


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def core_for(identity: str, clock: Clock) -> ElectionCore:
    cfg = LeaderElectionConfig(identity, lease_duration=10, renew_deadline=5, retry_period=1)
    return ElectionCore(cfg, "ns", "lock", clock, lambda: datetime(2026, 1, 1, tzinfo=UTC))


def test_core_expiry_uses_local_observation_time() -> None:
    clock, lock = Clock(), MemoryLock()
    a, b = core_for("a", clock), core_for("b", clock)
    plan = a.plan(lock.get())
    assert isinstance(plan, Create)
    a.written(lock.create(plan.lease))
    assert a.is_leader()
    assert b.plan(lock.get()) is None  # first observation by b: held
    assert b.leader == "a"
    clock.now += 9.9
    assert b.plan(lock.get()) is None  # not yet expired (from b's first observation)
    clock.now += 0.2
    takeover = b.plan(lock.get())
    assert isinstance(takeover, Update)
    spec = takeover.lease.to_dict()["spec"]
    assert spec["holderIdentity"] == "b"
    assert spec["leaseTransitions"] == 1
    assert spec["renewTime"] == "2026-01-01T00:00:00.000000Z"
    # a renews first: b's write carries the old resourceVersion and must conflict
    renew = a.plan(lock.get())
    assert isinstance(renew, Update)
    a.written(lock.update(renew.lease))
    with pytest.raises(LockConflictError):
        lock.update(takeover.lease)


def test_core_release_writes_one_second_lease() -> None:
    clock, lock = Clock(), MemoryLock()
    a = core_for("a", clock)
    plan = a.plan(None)
    assert isinstance(plan, Create)
    a.written(lock.create(plan.lease))
    release = a.release()
    assert release is not None
    spec = lock.update(release.lease).to_dict()["spec"]
    assert spec["leaseDurationSeconds"] == 1 and spec["holderIdentity"] == ""


def make_elector(
    lock: MemoryLock, identity: str, leaders: list[str], release: bool = False, **times: float
) -> LeaderElector:
    def started(should_stop: Any) -> None:
        leaders.append(identity)

    cfg = LeaderElectionConfig(
        identity,
        lease_duration=times.get("lease", 1.0),
        renew_deadline=times.get("renew", 0.6),
        retry_period=times.get("retry", 0.1),
        release_on_cancel=release,
        callbacks=Callbacks(on_started_leading=started),
    )
    return LeaderElector(lock, cfg)


def watch_leaders(
    electors: list[LeaderElector], stop: threading.Event, overlaps: list[list[str]]
) -> threading.Thread:
    def check() -> None:
        while not stop.is_set():
            leading = [e.config.identity for e in electors if e.is_leader()]
            if len(leading) > 1:
                overlaps.append(leading)
            time.sleep(0.002)

    t = threading.Thread(target=check)
    t.start()
    return t


def wait_for(cond: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_two_electors_never_both_lead_and_takeover_after_expiry() -> None:
    lock, started = MemoryLock(), []
    a, b = make_elector(lock, "a", started), make_elector(lock, "b", started)
    stop, overlaps = threading.Event(), []
    checker = watch_leaders([a, b], stop, overlaps)
    a.start()
    wait_for(a.is_leader)
    b.start()
    time.sleep(0.5)
    assert not b.is_leader() and b.leader == "a"
    killed_at = time.monotonic()
    a.stop()  # no release: b must wait for the lease to expire
    wait_for(b.is_leader)
    takeover = time.monotonic() - killed_at
    assert 0.8 <= takeover < 2.5
    assert lock.lease is not None and lock.lease["spec"]["leaseTransitions"] == 1
    b.stop()
    stop.set()
    checker.join()
    assert overlaps == []
    assert started == ["a", "b"]


def test_leader_that_cannot_renew_steps_down_before_expiry() -> None:
    lock = MemoryLock()
    stopped = threading.Event()
    cfg = LeaderElectionConfig(
        "a",
        lease_duration=1.0,
        renew_deadline=0.5,
        retry_period=0.1,
        callbacks=Callbacks(on_stopped_leading=stopped.set),
    )
    a = LeaderElector(lock, cfg)
    a.start()
    wait_for(a.is_leader)
    lock.fail = True
    t0 = time.monotonic()
    assert stopped.wait(2)
    assert time.monotonic() - t0 < 1.0  # renew_deadline < lease_duration
    assert not a.is_leader()
    a.stop()


def test_release_on_cancel_lets_other_take_over_quickly() -> None:
    lock, started = MemoryLock(), []
    new_leaders: list[str] = []
    a = make_elector(lock, "a", started, release=True, lease=5.0, renew=3.0)
    cfg_b = LeaderElectionConfig(
        "b",
        lease_duration=5.0,
        renew_deadline=3.0,
        retry_period=0.1,
        callbacks=Callbacks(on_new_leader=new_leaders.append),
    )
    b = LeaderElector(lock, cfg_b)
    a.start()
    wait_for(a.is_leader)
    b.start()
    wait_for(lambda: new_leaders == ["a"])
    a.stop()
    released = [w["spec"] for w in lock.writes if w["spec"]["holderIdentity"] == ""]
    assert len(released) == 1 and released[0]["leaseDurationSeconds"] == 1
    wait_for(b.is_leader, timeout=3.0)  # far less than the 5 s lease
    assert new_leaders == ["a", "b"]
    b.stop()


async def test_async_electors_take_over() -> None:
    lock = MemoryLock()
    cfgs = [
        LeaderElectionConfig(
            i, lease_duration=1.0, renew_deadline=0.6, retry_period=0.1, release_on_cancel=True
        )
        for i in ("a", "b")
    ]
    a = AsyncLeaderElector(AsyncMemoryLock(lock), cfgs[0])
    b = AsyncLeaderElector(AsyncMemoryLock(lock), cfgs[1])
    ta = asyncio.create_task(a.run())
    while not a.is_leader():
        await asyncio.sleep(0.01)
    tb = asyncio.create_task(b.run())
    await asyncio.sleep(0.3)
    assert not b.is_leader()
    ta.cancel()
    await asyncio.gather(ta, return_exceptions=True)
    assert lock.lease is not None and lock.lease["spec"]["holderIdentity"] == ""
    for _ in range(100):
        if b.is_leader():
            break
        await asyncio.sleep(0.02)
    assert b.is_leader()
    tb.cancel()
    await asyncio.gather(tb, return_exceptions=True)
