"""The leader election record and its mapping onto a coordination.k8s.io/v1 Lease dict."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kubetyped.model import MicroTime, format_time

Lease = dict[str, Any]


@dataclass(frozen=True, slots=True)
class LeaderElectionRecord:
    holder_identity: str
    lease_duration_seconds: int
    acquire_time: datetime | None
    renew_time: datetime | None
    leader_transitions: int


def format_micro_time(t: datetime | None) -> str | None:
    """A `metav1.MicroTime` on the wire (the model's one formatter), or None."""
    return None if t is None else format_time(t, micro=True)


def parse_micro_time(value: Any) -> datetime | None:
    """A wire `MicroTime` as a timezone-aware datetime, or None when absent."""
    if not isinstance(value, str) or not value:
        return None
    return MicroTime.from_wire(value)


def record_from_lease(lease: Lease) -> LeaderElectionRecord:
    spec = lease.get("spec") or {}
    return LeaderElectionRecord(
        holder_identity=str(spec.get("holderIdentity") or ""),
        lease_duration_seconds=int(spec.get("leaseDurationSeconds") or 0),
        acquire_time=parse_micro_time(spec.get("acquireTime")),
        renew_time=parse_micro_time(spec.get("renewTime")),
        leader_transitions=int(spec.get("leaseTransitions") or 0),
    )


def lease_spec(record: LeaderElectionRecord) -> dict[str, Any]:
    return {
        "holderIdentity": record.holder_identity,
        "leaseDurationSeconds": record.lease_duration_seconds,
        "acquireTime": format_micro_time(record.acquire_time),
        "renewTime": format_micro_time(record.renew_time),
        "leaseTransitions": record.leader_transitions,
    }


def duration_seconds(seconds: float) -> int:
    return max(1, math.ceil(seconds))
