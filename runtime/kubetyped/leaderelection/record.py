"""The leader election record and its place in a coordination.k8s.io/v1 ``Lease``.

Source: client-go ``tools/leaderelection/resourcelock`` (``LeaderElectionRecord``,
``LeaseSpecToLeaderElectionRecord``, ``LeaderElectionRecordToLeaseSpec``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kubetyped import api
from kubetyped.model import MicroTime

if TYPE_CHECKING:
    from kubetyped.api import Lease, LeaseSpec

__all__ = ["LeaderElectionRecord"]


@dataclass(frozen=True, slots=True)
class LeaderElectionRecord:
    """Who holds the lock and since when (client-go ``resourcelock.LeaderElectionRecord``).

    ``holder_identity`` is "" when nobody holds it; ``lease_duration_seconds`` is how long
    (seconds) a candidate waits after last seeing the record change before taking over;
    ``acquire_time``/``renew_time`` are the holder's wall-clock times (informational only, expiry
    is judged on the local monotonic clock); ``leader_transitions`` counts changes of holder.
    """

    holder_identity: str
    lease_duration_seconds: int
    acquire_time: datetime | None
    renew_time: datetime | None
    leader_transitions: int


def record_from_lease(lease: Lease) -> LeaderElectionRecord:
    """The record stored in ``lease.spec`` (absent fields read as ""/0/None).

    Source: client-go ``LeaseSpecToLeaderElectionRecord``."""
    spec = lease.spec
    if spec is None:
        return LeaderElectionRecord("", 0, None, None, 0)
    return LeaderElectionRecord(
        holder_identity=spec.holder_identity or "",
        lease_duration_seconds=spec.lease_duration_seconds or 0,
        acquire_time=spec.acquire_time,
        renew_time=spec.renew_time,
        leader_transitions=spec.lease_transitions or 0,
    )


def lease_spec(record: LeaderElectionRecord, current: LeaseSpec | None = None) -> LeaseSpec:
    """``current`` (or an empty ``LeaseSpec``) with the record's five fields written over it;
    other fields (``strategy``, ``preferredHolder``) are kept.

    Source: client-go ``LeaderElectionRecordToLeaseSpec``."""
    spec: LeaseSpec = api.LeaseSpec(
        holder_identity=record.holder_identity,
        lease_duration_seconds=record.lease_duration_seconds,
        acquire_time=micro_time(record.acquire_time),
        renew_time=micro_time(record.renew_time),
        lease_transitions=record.leader_transitions,
    )
    if current is None:
        return spec
    updated: LeaseSpec = current.model_copy(
        update={name: getattr(spec, name) for name in spec.model_fields_set}
    )
    return updated


def micro_time(value: datetime | None) -> MicroTime | None:
    """``value`` as a ``metav1.MicroTime`` (None stays None)."""
    if value is None or isinstance(value, MicroTime):
        return value
    return MicroTime.combine(value.date(), value.timetz())


def duration_seconds(seconds: float) -> int:
    """``leaseDurationSeconds`` for a duration in seconds: rounded up, at least 1."""
    return max(1, math.ceil(seconds))
