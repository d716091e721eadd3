"""Where a candidate reads and writes the election record: the ``AsyncLeaseLock``
protocol and ``AsyncRestLeaseLock``, a coordination.k8s.io/v1 Lease through the REST client.

Requests are built by the request core every client family shares (``kubetyped.resource``:
``LEASES`` bound by ``typed_resource``) and answers decoded into the ``kubetyped.api.Lease`` model. Source: client-go
``resourcelock.Interface`` and ``resourcelock.LeaseLock``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from kubetyped import request as rq
from kubetyped.errors import AlreadyExistsError, ConflictError, NotFoundError
from kubetyped.leaderelection.lock import LEASES, LockConflictError, bounded
from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.operations import typed_resource

if TYPE_CHECKING:
    from kubetyped.api import Lease

__all__ = ["AsyncLeaseLock", "AsyncRestLeaseLock"]


class AsyncLeaseLock(Protocol):
    """Where a candidate reads and writes the record (client-go ``resourcelock.Interface``).

    Implementations may also accept a ``timeout`` keyword (seconds) on each method: the elector
    then passes the time left to the renew deadline (``AsyncRestLeaseLock`` uses it as the HTTP
    timeout). ``create`` and ``update`` raise ``LockConflictError`` when another candidate wrote
    first.
    """

    namespace: str
    name: str

    async def get(self) -> Lease | None:
        """The current Lease, or None if it does not exist."""
        ...

    async def create(self, lease: Lease) -> Lease:
        """Create ``lease``; returns the stored Lease (with its ``resourceVersion``)."""
        ...

    async def update(self, lease: Lease) -> Lease:
        """Write ``lease`` (with the ``metadata.resourceVersion`` it was read at); returns it."""
        ...


class AsyncRestLeaseLock:
    """The Lease ``namespace``/``name`` (coordination.k8s.io/v1) through an ``AsyncRESTClient``."""

    def __init__(self, client: AsyncRESTClient, namespace: str, name: str) -> None:
        self.client, self.namespace, self.name = client, namespace, name
        self._ops = typed_resource(LEASES, namespace)

    async def get(self, *, timeout: float | None = None) -> Lease | None:
        """The Lease, or None when it does not exist (404); other ``ApiError``s and
        ``TransportError`` are raised. ``timeout``: seconds for the whole request."""
        try:
            response = await self.client.send(bounded(self._ops.get(self.name), timeout))
        except NotFoundError:
            return None
        lease: Lease = self._ops.codec.decode(response)
        return lease

    async def create(self, lease: Lease, *, timeout: float | None = None) -> Lease:
        """POST ``lease``; raises ``LockConflictError`` when it already exists (409)."""
        request = bounded(self._ops.create(lease, rq.WriteOptions()), timeout)
        try:
            created: Lease = self._ops.codec.decode(await self.client.send(request))
        except AlreadyExistsError as exc:
            raise LockConflictError(str(exc)) from exc
        return created

    async def update(self, lease: Lease, *, timeout: float | None = None) -> Lease:
        """PUT ``lease``; raises ``LockConflictError`` when its resourceVersion is stale (409)."""
        request = bounded(self._ops.update(lease, rq.WriteOptions()), timeout)
        try:
            updated: Lease = self._ops.codec.decode(await self.client.send(request))
        except ConflictError as exc:
            raise LockConflictError(str(exc)) from exc
        return updated
