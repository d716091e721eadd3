"""Leader election with two electors on one real Lease: exactly one leader at any time
(checked continuously), and after the leader dies without releasing, the other takes over once
the lease expires. The takeover time is printed."""

from __future__ import annotations

import threading
import time
from typing import Any

from kubetyped.leaderelection import (
    Callbacks,
    LeaderElectionConfig,
    LeaderElector,
    RestLeaseLock,
)
from kubetyped.rest import RESTClient

LEASE, RENEW, RETRY = 3.0, 2.0, 0.4


def elector(
    rest: RESTClient,
    namespace: str,
    identity: str,
    log: list[tuple[float, str]],
    release: bool = False,
) -> LeaderElector:
    cfg = LeaderElectionConfig(
        identity,
        lease_duration=LEASE,
        renew_deadline=RENEW,
        retry_period=RETRY,
        release_on_cancel=release,
        callbacks=Callbacks(
            on_started_leading=lambda _stop: log.append((time.monotonic(), identity))
        ),
    )
    return LeaderElector(RestLeaseLock(rest, namespace, "demo-lock"), cfg)


def wait_for(cond: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_one_leader_and_takeover_after_expiry(rest: RESTClient, namespace: str) -> None:
    started: list[tuple[float, str]] = []
    a = elector(rest, namespace, "a", started)
    b = elector(rest, namespace, "b", started)
    overlaps: list[float] = []
    checks = 0
    done = threading.Event()

    def check() -> None:
        nonlocal checks
        while not done.is_set():
            if a.is_leader() and b.is_leader():
                overlaps.append(time.monotonic())
            checks += 1
            time.sleep(0.001)

    checker = threading.Thread(target=check)
    checker.start()
    try:
        a.start()
        wait_for(a.is_leader, 10)
        b.start()
        time.sleep(2 * LEASE)  # several renewals: b must stay a follower
        assert a.is_leader() and not b.is_leader() and b.leader == "a"
        lease = rest.get(f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/demo-lock")
        assert lease["spec"]["holderIdentity"] == "a"
        killed = time.monotonic()
        a.stop()  # dies without releasing: the lease must expire first
        wait_for(b.is_leader, 3 * LEASE)
        takeover = time.monotonic() - killed
        lease = rest.get(f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/demo-lock")
        assert lease["spec"]["holderIdentity"] == "b"
        assert lease["spec"]["leaseTransitions"] == 1
        assert LEASE * 0.9 <= takeover <= LEASE + 2 * (1 + 1.2) * RETRY + 1.0
        print(
            f"\nleader election takeover after kill: {takeover:.2f}s "
            f"(lease {LEASE}s, retry {RETRY}s, {checks} overlap checks)"
        )
    finally:
        b.stop()
        a.stop()
        done.set()
        checker.join()
    assert overlaps == []
    assert [who for _, who in started] == ["a", "b"]


def test_release_on_cancel_hands_over_quickly(rest: RESTClient, namespace: str) -> None:
    started: list[tuple[float, str]] = []
    a = elector(rest, namespace, "a", started, release=True)
    b = elector(rest, namespace, "b", started)
    try:
        a.start()
        wait_for(a.is_leader, 10)
        b.start()
        time.sleep(RETRY * 3)
        released = time.monotonic()
        a.stop()
        wait_for(b.is_leader, LEASE)
        print(f"\nleader election handover after release: {time.monotonic() - released:.2f}s")
    finally:
        a.stop()
        b.stop()
