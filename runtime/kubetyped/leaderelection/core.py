"""The IO-free election logic (client-go ``LeaderElector.tryAcquireOrRenew`` and ``release``).

Expiry is judged with the local monotonic clock from when this process last *observed the
record change*, never from the timestamps written by another machine. Writes carry the
resourceVersion that was read, so concurrent candidates conflict and at most one wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from kubetyped.leaderelection.config import LeaderElectionConfig
from kubetyped.leaderelection.lock import new_lease, with_record
from kubetyped.leaderelection.record import (
    LeaderElectionRecord,
    duration_seconds,
    record_from_lease,
)

if TYPE_CHECKING:
    from kubetyped.api import Lease

__all__ = ["Create", "ElectionCore", "Update", "Write"]


@dataclass(frozen=True, slots=True)
class Create:
    """Create ``lease`` (nobody has created the lock yet)."""

    lease: Lease


@dataclass(frozen=True, slots=True)
class Update:
    """Replace the Lease with ``lease`` (carries the resourceVersion that was read)."""

    lease: Lease


#: What the core asks the driver to write.
Write = Create | Update


class ElectionCore:
    """Decides, from each Lease read, whether and what to write to lead.

    ``clock`` is monotonic seconds (expiry), ``wall_clock`` the aware UTC time written into
    ``acquireTime``/``renewTime``. Not thread-safe: the elector serialises calls.
    """

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
        """The identity in the record last observed ("" when none)."""
        return self.observed.holder_identity if self.observed else ""

    def is_leader(self) -> bool:
        """Whether the record last observed names this candidate."""
        return self.leader == self.config.identity

    def _desired(self) -> LeaderElectionRecord:
        now = self.wall_clock()
        return LeaderElectionRecord(
            self.config.identity, duration_seconds(self.config.lease_duration), now, now, 0
        )

    def plan(self, current: Lease | None) -> Write | None:
        """Given the Lease just read (None: absent), what to write to lead (None: don't, it is
        held by another candidate and has not expired by the local clock)."""
        desired = self._desired()
        if current is None:
            return Create(new_lease(self.namespace, self.name, desired))
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
        return Update(with_record(current, desired))

    def written(self, lease: Lease) -> None:
        """The write succeeded and the server answered ``lease``: observe our own record now."""
        self.observed, self.observed_time = record_from_lease(lease), self.clock()
        self._observed_lease = lease

    def release(self) -> Update | None:
        """The write that gives up leadership: empty holder, ``leaseDurationSeconds`` 1 (None
        when not leading). Source: client-go ``LeaderElector.release``."""
        if not self.is_leader() or self._observed_lease is None or self.observed is None:
            return None
        now = self.wall_clock()
        record = LeaderElectionRecord("", 1, now, now, self.observed.leader_transitions)
        return Update(with_record(self._observed_lease, record))
