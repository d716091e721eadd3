"""What both lease locks share: the Lease resource, the conflict error and Lease building.

Source: client-go ``tools/leaderelection/resourcelock/leaselock.go``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from kubetyped import api
from kubetyped.errors import KubetypedError
from kubetyped.leaderelection.record import LeaderElectionRecord, lease_spec
from kubetyped.typed.resource import ResourceInfo

if TYPE_CHECKING:
    from kubetyped.api import Lease

__all__ = ["LEASES", "LockConflictError"]

#: coordination.k8s.io/v1 ``leases``, as the generated ``CoordinationV1`` client names it; the
#: locks build their requests with the request core (``typed_resource`` of it).
LEASES = ResourceInfo(
    group="coordination.k8s.io",
    version="v1",
    plural="leases",
    singular="lease",
    kind="Lease",
    list_kind="LeaseList",
    namespaced=True,
    verbs=frozenset(
        {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
    ),
    model="kubetyped.api:Lease",
    list_model="kubetyped.api:LeaseList",
)


class LockConflictError(KubetypedError):
    """The Lease changed under us: 409 Conflict on update (a stale ``resourceVersion``) or 409
    AlreadyExists on create (another candidate created it first)."""


def new_lease(namespace: str, name: str, record: LeaderElectionRecord) -> Lease:
    """A new ``Lease`` ``namespace``/``name`` holding ``record`` (client-go ``LeaseLock.Create``)."""
    lease: Lease = api.Lease(
        metadata=api.ObjectMeta(name=name, namespace=namespace), spec=lease_spec(record)
    )
    return lease


def with_record(lease: Lease, record: LeaderElectionRecord) -> Lease:
    """A copy of ``lease`` (same ``metadata.resourceVersion``) whose spec holds ``record``
    (client-go ``LeaseLock.Update``)."""
    updated: Lease = lease.model_copy(update={"spec": lease_spec(record, lease.spec)})
    return updated


def bounded(request: httpx.Request, timeout: float | None) -> httpx.Request:
    """``request`` with its own timeout (seconds, every phase), as client-go passes a context
    with the renew deadline into each lock call; None keeps the client's timeout."""
    if timeout is not None:
        request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
    return request
