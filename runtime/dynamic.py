"""`DynamicClient` / `AsyncDynamicClient`: every verb over plain dicts, for any resource.

    client = DynamicClient(rest)
    cms = client.resource("", "v1", "configmaps", namespaced=True).namespace("demo")
    cms.create({"metadata": {"name": "x"}, "data": {"a": "1"}})
    widgets = client.resource_for_kind("example.com/v1", "Widget")  # via discovery

Where a request goes is decided by pure code (`_Target`); the sync and async resources only pick
the REST client method. `namespaced=None` (scope unknown) behaves like client-go's dynamic client:
the bound namespace, or the object's `metadata.namespace`, decides.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Any

from kubetyped.discovery import (
    AsyncDiscoveryClient,
    DiscoveryClient,
    GroupVersionResource,
    NoKindMatchError,
    NoResourceMatchError,
    RESTMapper,
    RESTMapping,
)
from kubetyped.errors import KubetypedError
from kubetyped.request import (
    DEFAULT_PAGE_SIZE,
    ApplyOptions,
    DeleteOptions,
    GetOptions,
    ListOptions,
    PatchType,
    ResourcePath,
    WriteOptions,
)
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream, RESTClient, WatchStream

Obj = dict[str, Any]


class DynamicClientError(KubetypedError):
    """A dynamic request cannot be addressed (missing name or namespace, wrong scope)."""


def _metadata(body: Obj) -> Obj:
    metadata = body.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


@dataclass(frozen=True)
class _Target:
    """One resource, its scope if known and the namespace bound with `.namespace()`."""

    gvr: GroupVersionResource
    namespaced: bool | None
    namespace: str | None = None

    def bind(self, namespace: str) -> _Target:
        if self.namespaced is False:
            raise DynamicClientError(f"{self.gvr} is cluster-scoped; it has no namespace")
        return replace(self, namespace=namespace)

    def collection(self, body: Obj | None = None) -> ResourcePath:
        """Path of the collection: for create (namespace from the object if unbound) or for
        list/watch/deletecollection (all namespaces when unbound)."""
        namespace = self.namespace
        if namespace is None and body is not None and self.namespaced is not False:
            namespace = _metadata(body).get("namespace") or None
            if namespace is None and self.namespaced:
                raise DynamicClientError(
                    f"{self.gvr} is namespaced: bind a namespace or set metadata.namespace"
                )
        g = self.gvr
        return ResourcePath(g.group, g.version, g.resource, namespace)

    def item(
        self, name: str | None, body: Obj | None = None, subresource: str | None = None
    ) -> ResourcePath:
        """Path of one object, named explicitly or by the body's `metadata.name`."""
        if name is None and body is not None:
            name = _metadata(body).get("name") or None
        if not name:
            raise DynamicClientError(f"{self.gvr}: the object has no metadata.name")
        namespace = self.namespace
        if namespace is None and body is not None and self.namespaced is not False:
            namespace = _metadata(body).get("namespace") or None
        if namespace is None and self.namespaced:
            raise DynamicClientError(
                f"{self.gvr} {name!r} is namespaced: bind a namespace with .namespace(ns)"
            )
        g = self.gvr
        return ResourcePath(g.group, g.version, g.resource, namespace, name, subresource)


def _target_from_mapping(mapping: RESTMapping) -> _Target:
    return _Target(mapping.resource, mapping.namespaced)


def _map_kind(mapper: RESTMapper, api_version: str, kind: str) -> _Target:
    return _target_from_mapping(mapper.rest_mapping_for(api_version, kind))


class DynamicResource:
    """Verbs on one resource (optionally bound to a namespace), over plain dicts."""

    def __init__(self, rest: RESTClient, target: _Target) -> None:
        self._rest = rest
        self._target = target

    @property
    def gvr(self) -> GroupVersionResource:
        return self._target.gvr

    def namespace(self, namespace: str) -> DynamicResource:
        return DynamicResource(self._rest, self._target.bind(namespace))

    def get(
        self, name: str, options: GetOptions | None = None, *, subresource: str | None = None
    ) -> Obj:
        return self._rest.get(self._target.item(name, subresource=subresource), options)

    def list(self, options: ListOptions | None = None) -> Obj:
        return self._rest.list(self._target.collection(), options)

    def list_pages(
        self, options: ListOptions | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[Obj]:
        return self._rest.list_pages(self._target.collection(), options, page_size=page_size)

    def list_all(
        self, options: ListOptions | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Obj:
        return self._rest.list_all(self._target.collection(), options, page_size=page_size)

    def watch(
        self, options: ListOptions | None = None, *, raise_errors: bool = True
    ) -> WatchStream:
        return self._rest.watch(self._target.collection(), options, raise_errors=raise_errors)

    def create(self, body: Obj, options: WriteOptions | None = None) -> Obj:
        return self._rest.create(self._target.collection(body), body, options)

    def update(self, body: Obj, options: WriteOptions | None = None) -> Obj:
        return self._rest.update(self._target.item(None, body), body, options)

    def update_status(self, body: Obj, options: WriteOptions | None = None) -> Obj:
        return self._rest.update(self._target.item(None, body, "status"), body, options)

    def patch(
        self,
        name: str,
        body: Any,
        patch_type: PatchType | str = PatchType.MERGE,
        options: WriteOptions | None = None,
        *,
        subresource: str | None = None,
    ) -> Obj:
        return self._rest.patch(
            self._target.item(name, subresource=subresource), body, patch_type, options
        )

    def apply(
        self,
        body: Obj,
        *,
        field_manager: str,
        force: bool = False,
        subresource: str | None = None,
    ) -> Obj:
        """Server-side apply of `body` (named by its metadata) as `field_manager`."""
        options = ApplyOptions(field_manager=field_manager, force=force)
        return self._rest.apply(self._target.item(None, body, subresource), body, options)

    def delete(self, name: str, options: DeleteOptions | None = None) -> Obj:
        return self._rest.delete(self._target.item(name), options)

    def delete_collection(
        self, list_options: ListOptions | None = None, delete_options: DeleteOptions | None = None
    ) -> Obj:
        return self._rest.delete_collection(self._target.collection(), list_options, delete_options)


class AsyncDynamicResource:
    """`DynamicResource` for asyncio."""

    def __init__(self, rest: AsyncRESTClient, target: _Target) -> None:
        self._rest = rest
        self._target = target

    @property
    def gvr(self) -> GroupVersionResource:
        return self._target.gvr

    def namespace(self, namespace: str) -> AsyncDynamicResource:
        return AsyncDynamicResource(self._rest, self._target.bind(namespace))

    async def get(
        self, name: str, options: GetOptions | None = None, *, subresource: str | None = None
    ) -> Obj:
        return await self._rest.get(self._target.item(name, subresource=subresource), options)

    async def list(self, options: ListOptions | None = None) -> Obj:
        return await self._rest.list(self._target.collection(), options)

    def list_pages(
        self, options: ListOptions | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[Obj]:
        return self._rest.list_pages(self._target.collection(), options, page_size=page_size)

    async def list_all(
        self, options: ListOptions | None = None, *, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Obj:
        return await self._rest.list_all(self._target.collection(), options, page_size=page_size)

    def watch(
        self, options: ListOptions | None = None, *, raise_errors: bool = True
    ) -> AsyncWatchStream:
        return self._rest.watch(self._target.collection(), options, raise_errors=raise_errors)

    async def create(self, body: Obj, options: WriteOptions | None = None) -> Obj:
        return await self._rest.create(self._target.collection(body), body, options)

    async def update(self, body: Obj, options: WriteOptions | None = None) -> Obj:
        return await self._rest.update(self._target.item(None, body), body, options)

    async def update_status(self, body: Obj, options: WriteOptions | None = None) -> Obj:
        return await self._rest.update(self._target.item(None, body, "status"), body, options)

    async def patch(
        self,
        name: str,
        body: Any,
        patch_type: PatchType | str = PatchType.MERGE,
        options: WriteOptions | None = None,
        *,
        subresource: str | None = None,
    ) -> Obj:
        path = self._target.item(name, subresource=subresource)
        return await self._rest.patch(path, body, patch_type, options)

    async def apply(
        self,
        body: Obj,
        *,
        field_manager: str,
        force: bool = False,
        subresource: str | None = None,
    ) -> Obj:
        options = ApplyOptions(field_manager=field_manager, force=force)
        return await self._rest.apply(self._target.item(None, body, subresource), body, options)

    async def delete(self, name: str, options: DeleteOptions | None = None) -> Obj:
        return await self._rest.delete(self._target.item(name), options)

    async def delete_collection(
        self, list_options: ListOptions | None = None, delete_options: DeleteOptions | None = None
    ) -> Obj:
        return await self._rest.delete_collection(
            self._target.collection(), list_options, delete_options
        )


class DynamicClient:
    """Entry point: `resource(...)` by GVR, or `resource_for_kind` / `resource_for` via discovery."""

    def __init__(self, rest: RESTClient, discovery: DiscoveryClient | None = None) -> None:
        self.rest = rest
        self.discovery = discovery if discovery is not None else DiscoveryClient(rest)

    def resource(
        self, group: str, version: str, plural: str, *, namespaced: bool | None = None
    ) -> DynamicResource:
        return DynamicResource(
            self.rest, _Target(GroupVersionResource(group, version, plural), namespaced)
        )

    def resource_for_kind(self, api_version: str, kind: str) -> DynamicResource:
        """The resource serving `kind` in `api_version`; rediscovers once if it is unknown
        (e.g. a CRD installed after the last discovery)."""
        try:
            target = _map_kind(self.discovery.rest_mapper(), api_version, kind)
        except NoKindMatchError:
            target = _map_kind(self.discovery.rest_mapper(refresh=True), api_version, kind)
        return DynamicResource(self.rest, target)

    def resource_for(self, partial: str) -> DynamicResource:
        """A resource by (partial) name: `deploy`, `deployments.apps`, `widgets.v1.example.com`."""
        try:
            mapping = self.discovery.rest_mapper().resource_mapping(partial)
        except NoResourceMatchError:
            mapping = self.discovery.rest_mapper(refresh=True).resource_mapping(partial)
        return DynamicResource(self.rest, _target_from_mapping(mapping))


class AsyncDynamicClient:
    """`DynamicClient` for asyncio."""

    def __init__(
        self, rest: AsyncRESTClient, discovery: AsyncDiscoveryClient | None = None
    ) -> None:
        self.rest = rest
        self.discovery = discovery if discovery is not None else AsyncDiscoveryClient(rest)

    def resource(
        self, group: str, version: str, plural: str, *, namespaced: bool | None = None
    ) -> AsyncDynamicResource:
        return AsyncDynamicResource(
            self.rest, _Target(GroupVersionResource(group, version, plural), namespaced)
        )

    async def resource_for_kind(self, api_version: str, kind: str) -> AsyncDynamicResource:
        try:
            target = _map_kind(await self.discovery.rest_mapper(), api_version, kind)
        except NoKindMatchError:
            target = _map_kind(await self.discovery.rest_mapper(refresh=True), api_version, kind)
        return AsyncDynamicResource(self.rest, target)

    async def resource_for(self, partial: str) -> AsyncDynamicResource:
        try:
            mapping = (await self.discovery.rest_mapper()).resource_mapping(partial)
        except NoResourceMatchError:
            mapping = (await self.discovery.rest_mapper(refresh=True)).resource_mapping(partial)
        return AsyncDynamicResource(self.rest, _target_from_mapping(mapping))


__all__ = [
    "AsyncDynamicClient",
    "AsyncDynamicResource",
    "DynamicClient",
    "DynamicClientError",
    "DynamicResource",
]
