"""Where the election record lives: the ``LeaseLock`` protocol and REST adapters."""

from __future__ import annotations

import copy
from typing import Any, Protocol

import httpx

from kubetyped.errors import AlreadyExistsError, ConflictError, KubetypedError, NotFoundError
from kubetyped.leaderelection.record import Lease
from kubetyped.request import get_request, write_request
from kubetyped.rest import AsyncRESTClient, RESTClient


class LockConflictError(KubetypedError):
    """The Lease changed under us (409 Conflict / 409 AlreadyExists)."""


class LeaseLock(Protocol):
    """Where a candidate reads and writes the record. Implementations may also accept a
    ``timeout`` keyword (seconds) on each method: the elector then passes the time left to the
    renew deadline (the Rest locks use it as the HTTP timeout)."""

    namespace: str
    name: str

    def get(self) -> Lease | None:
        """The current Lease, or None if it does not exist."""
        ...

    def create(self, lease: Lease) -> Lease: ...

    def update(self, lease: Lease) -> Lease:
        """Write ``lease`` (with the ``metadata.resourceVersion`` it was read at)."""
        ...


class AsyncLeaseLock(Protocol):
    namespace: str
    name: str

    async def get(self) -> Lease | None: ...

    async def create(self, lease: Lease) -> Lease: ...

    async def update(self, lease: Lease) -> Lease: ...


def new_lease(namespace: str, name: str, spec: dict[str, Any]) -> Lease:
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


def with_spec(lease: Lease, spec: dict[str, Any]) -> Lease:
    out = copy.deepcopy(lease)
    out["spec"] = {**(out.get("spec") or {}), **spec}
    return out


def leases_path(namespace: str) -> str:
    return f"/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases"


def _bounded(request: httpx.Request, timeout: float | None) -> httpx.Request:
    """Give the request its own timeout (every phase), as client-go's per-request context."""
    if timeout is not None:
        request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
    return request


class RestLeaseLock:
    """A ``coordination.k8s.io/v1`` Lease through a ``RESTClient``."""

    def __init__(self, client: RESTClient, namespace: str, name: str) -> None:
        self.client, self.namespace, self.name = client, namespace, name
        self.path = f"{leases_path(namespace)}/{name}"

    def get(self, *, timeout: float | None = None) -> Lease | None:
        try:
            return self.client.request_json(_bounded(get_request(self.path), timeout))
        except NotFoundError:
            return None

    def create(self, lease: Lease, *, timeout: float | None = None) -> Lease:
        request = _bounded(write_request("POST", leases_path(self.namespace), lease), timeout)
        try:
            return self.client.request_json(request)
        except AlreadyExistsError as exc:
            raise LockConflictError(str(exc)) from exc

    def update(self, lease: Lease, *, timeout: float | None = None) -> Lease:
        request = _bounded(write_request("PUT", self.path, lease), timeout)
        try:
            return self.client.request_json(request)
        except ConflictError as exc:
            raise LockConflictError(str(exc)) from exc


class AsyncRestLeaseLock:
    """A ``coordination.k8s.io/v1`` Lease through an ``AsyncRESTClient``."""

    def __init__(self, client: AsyncRESTClient, namespace: str, name: str) -> None:
        self.client, self.namespace, self.name = client, namespace, name
        self.path = f"{leases_path(namespace)}/{name}"

    async def get(self, *, timeout: float | None = None) -> Lease | None:
        try:
            return await self.client.request_json(_bounded(get_request(self.path), timeout))
        except NotFoundError:
            return None

    async def create(self, lease: Lease, *, timeout: float | None = None) -> Lease:
        request = _bounded(write_request("POST", leases_path(self.namespace), lease), timeout)
        try:
            return await self.client.request_json(request)
        except AlreadyExistsError as exc:
            raise LockConflictError(str(exc)) from exc

    async def update(self, lease: Lease, *, timeout: float | None = None) -> Lease:
        request = _bounded(write_request("PUT", self.path, lease), timeout)
        try:
            return await self.client.request_json(request)
        except ConflictError as exc:
            raise LockConflictError(str(exc)) from exc
