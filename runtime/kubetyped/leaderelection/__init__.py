"""Leader election on a coordination.k8s.io/v1 Lease (client-go ``tools/leaderelection``).

``LeaderElector`` (threads) and ``AsyncLeaderElector`` (asyncio) campaign through a lease lock:
``RestLeaseLock``/``AsyncRestLeaseLock`` read and write the ``kubetyped.api.Lease`` model through
the typed clients' request builder. The blocking modules are generated from their asyncio
sources (``async_elector``, ``async_lease_lock``) by ``make unasync``; ``core`` holds the IO-free
decisions.
"""

from __future__ import annotations

from kubetyped.leaderelection.async_elector import AsyncLeaderElector
from kubetyped.leaderelection.async_lease_lock import AsyncLeaseLock, AsyncRestLeaseLock
from kubetyped.leaderelection.config import (
    Callbacks,
    LeaderElectionConfig,
    LeaderElectionConfigError,
)
from kubetyped.leaderelection.core import ElectionCore
from kubetyped.leaderelection.lock import LEASES, LockConflictError
from kubetyped.leaderelection.record import LeaderElectionRecord
from kubetyped.leaderelection.sync_elector import LeaderElector
from kubetyped.leaderelection.sync_lease_lock import LeaseLock, RestLeaseLock

__all__ = [
    "LEASES",
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
