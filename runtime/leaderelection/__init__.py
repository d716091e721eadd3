"""Leader election on a coordination.k8s.io/v1 Lease (client-go ``tools/leaderelection``)."""

from __future__ import annotations

from kubetyped.leaderelection.config import (
    Callbacks,
    LeaderElectionConfig,
    LeaderElectionConfigError,
)
from kubetyped.leaderelection.core import ElectionCore
from kubetyped.leaderelection.elector import AsyncLeaderElector, LeaderElector
from kubetyped.leaderelection.lock import (
    AsyncLeaseLock,
    AsyncRestLeaseLock,
    LeaseLock,
    LockConflictError,
    RestLeaseLock,
)
from kubetyped.leaderelection.record import LeaderElectionRecord

__all__ = [
    "AsyncLeaderElector",
    "AsyncLeaseLock",
    "AsyncRestLeaseLock",
    "Callbacks",
    "ElectionCore",
    "LeaderElectionConfig",
    "LeaderElectionConfigError",
    "LeaderElectionRecord",
    "LeaderElector",
    "LeaseLock",
    "LockConflictError",
    "RestLeaseLock",
]
