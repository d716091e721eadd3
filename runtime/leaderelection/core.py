"""The IO-free election logic (client-go ``tryAcquireOrRenew`` and ``release``).

Expiry is judged with the local monotonic clock from when this process last *observed the
record change*, never from the timestamps written by another machine. Writes carry the
resourceVersion that was read, so concurrent candidates conflict and at most one wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from kubetyped.leaderelection.config import LeaderElectionConfig
from kubetyped.leaderelection.lock import new_lease, with_spec
from kubetyped.leaderelection.record import (
    LeaderElectionRecord,
    Lease,
    duration_seconds,
    lease_spec,
    record_from_lease,
)


@dataclass(frozen=True, slots=True)
class Create:
    lease: Lease


@dataclass(frozen=True, slots=True)
class Update:
    lease: Lease


Write = Create | Update


class ElectionCore:
    def __init__(
        self,
        config: LeaderElectionConfig,
        namespace: str,
        name: str,
        clock: Callable[[], float],
        wall_clock: Callable[[], datetime],
    ) -> None:
        self.config = config
        self.namespace, self.name = namespace, name
        self.clock, self.wall_clock = clock, wall_clock
        self.observed: LeaderElectionRecord | None = None
        self.observed_time = 0.0
        self._observed_lease: Lease | None = None

    @property
    def leader(self) -> str:
        return self.observed.holder_identity if self.observed else ""

    def is_leader(self) -> bool:
        return self.leader == self.config.identity

    def _desired(self) -> LeaderElectionRecord:
        now = self.wall_clock()
        return LeaderElectionRecord(
            self.config.identity, duration_seconds(self.config.lease_duration), now, now, 0
        )

    def plan(self, current: Lease | None) -> Write | None:
        """Given the Lease just read (None: absent), what to write to lead (None: don't)."""
        desired = self._desired()
        if current is None:
            return Create(new_lease(self.namespace, self.name, lease_spec(desired)))
        record = record_from_lease(current)
        if record != self.observed:
            self.observed, self.observed_time = record, self.clock()
            self._observed_lease = current
        expires = self.observed_time + record.lease_duration_seconds
        if record.holder_identity and not self.is_leader() and expires > self.clock():
            return None  # held by someone else and not expired
        if self.is_leader():
            desired = replace(
                desired,
                acquire_time=record.acquire_time,
                leader_transitions=record.leader_transitions,
            )
        else:
            desired = replace(desired, leader_transitions=record.leader_transitions + 1)
        return Update(with_spec(current, lease_spec(desired)))

    def written(self, lease: Lease) -> None:
        """The write succeeded: we observed our own record now."""
        self.observed, self.observed_time = record_from_lease(lease), self.clock()
        self._observed_lease = lease

    def release(self) -> Update | None:
        """The write that gives up leadership: empty holder, leaseDurationSeconds=1."""
        if not self.is_leader() or self._observed_lease is None or self.observed is None:
            return None
        now = self.wall_clock()
        record = LeaderElectionRecord("", 1, now, now, self.observed.leader_transitions)
        return Update(with_spec(self._observed_lease, lease_spec(record)))
