"""Where the election record lives: the ``LeaseLock`` protocol and REST adapters."""

from __future__ import annotations

import copy
from typing import Any, Protocol

from kubetyped.errors import AlreadyExistsError, ConflictError, KubetypedError, NotFoundError
from kubetyped.leaderelection.record import Lease
from kubetyped.rest import AsyncRESTClient, RESTClient


class LockConflictError(KubetypedError):
    """The Lease changed under us (409 Conflict / 409 AlreadyExists)."""


class LeaseLock(Protocol):
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


class RestLeaseLock:
    def __init__(self, client: RESTClient, namespace: str, name: str) -> None:
        self.client, self.namespace, self.name = client, namespace, name
        self.path = f"{leases_path(namespace)}/{name}"

    def get(self) -> Lease | None:
        try:
            return self.client.get(self.path)
        except NotFoundError:
            return None

    def create(self, lease: Lease) -> Lease:
        try:
            return self.client.create(leases_path(self.namespace), lease)
        except AlreadyExistsError as exc:
            raise LockConflictError(str(exc)) from exc

    def update(self, lease: Lease) -> Lease:
        try:
            return self.client.update(self.path, lease)
        except ConflictError as exc:
            raise LockConflictError(str(exc)) from exc


class AsyncRestLeaseLock:
    def __init__(self, client: AsyncRESTClient, namespace: str, name: str) -> None:
        self.client, self.namespace, self.name = client, namespace, name
        self.path = f"{leases_path(namespace)}/{name}"

    async def get(self) -> Lease | None:
        try:
            return await self.client.get(self.path)
        except NotFoundError:
            return None

    async def create(self, lease: Lease) -> Lease:
        try:
            return await self.client.create(leases_path(self.namespace), lease)
        except AlreadyExistsError as exc:
            raise LockConflictError(str(exc)) from exc

    async def update(self, lease: Lease) -> Lease:
        try:
            return await self.client.update(self.path, lease)
        except ConflictError as exc:
            raise LockConflictError(str(exc)) from exc
