"""`AsyncDynamicClient`: every verb over plain dicts, for any resource.

Every verb is a thin call of the request core (`kubetyped.resource`: a `BoundResource` with the
`JSONCodec`, sent by `AsyncResourceClient`), which every client family shares. An unbound client
of a resource whose scope is unknown addresses the cluster, or a body's `metadata.namespace`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, cast

from kubetyped.discovery import (
    AsyncDiscoveryClient,
    GroupVersionResource,
    NoKindMatchError,
    NoResourceMatchError,
    RESTMapping,
)
from kubetyped.request import (
    DEFAULT_PAGE_SIZE,
    ApplyOptions,
    DeleteOptions,
    FieldValidationArg,
    GetOptions,
    ListOptions,
    PatchType,
    PatchTypeArg,
    Preconditions,
    PropagationPolicyArg,
    ResourcePath,
    ResourceVersionMatchArg,
    SelectorArg,
    WriteOptions,
)
from kubetyped.resource import AsyncResourceClient, BoundResource, JSONCodec
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream
from kubetyped.wait import WaitFor
from kubetyped.wait.async_wait import wait_for_object

if TYPE_CHECKING:  # informers import the cache only when used
    from kubetyped.cache import AsyncResourceListWatch
    from kubetyped.cache.protocols import TweakListOptions

__all__ = ["AsyncDynamicClient", "AsyncDynamicResource"]

Obj = dict[str, Any]


def dynamic_resource(gvr: GroupVersionResource, namespaced: bool | None) -> BoundResource[Obj]:
    """The unbound `BoundResource` of `gvr` over plain dicts (`namespaced` None: scope unknown)."""
    path = ResourcePath(gvr.group, gvr.version, gvr.resource)
    return BoundResource(path, JSONCodec(), namespaced, namespace_from_body=True)


def _from_mapping(mapping: RESTMapping) -> BoundResource[Obj]:
    return dynamic_resource(mapping.resource, mapping.namespaced)


class AsyncDynamicResource:
    """Verbs on one resource (optionally bound to a namespace), over plain dicts."""

    def __init__(self, rest: AsyncRESTClient, resource: BoundResource[Obj]) -> None:
        self._client = AsyncResourceClient(rest, resource)

    @property
    def gvr(self) -> GroupVersionResource:
        """The group, version and resource this client addresses."""
        path = self._client.resource.path
        return GroupVersionResource(path.group, path.version, path.resource)

    @property
    def namespaced(self) -> bool | None:
        """The resource's scope when known (from discovery), else None."""
        return self._client.resource.namespaced

    def namespace(self, namespace: str) -> AsyncDynamicResource:
        """The same resource bound to `namespace`; raises `DynamicClientError` (the core's
        `RequestBuildError`) if it is cluster-scoped."""
        return AsyncDynamicResource(self._client.rest, self._client.resource.bind(namespace))

    async def get(
        self, name: str, *, resource_version: str | None = None, subresource: str | None = None
    ) -> Obj:
        """GET one object (or its `subresource`) by name (client-go dynamic `Get`); options as
        the typed `get`. Raises `NotFoundError` (404) when absent, else the typed `ApiError`."""
        return await self._client.get(name, GetOptions(resource_version), subresource)

    async def list(
        self,
        *,
        label_selector: SelectorArg | None = None,
        field_selector: SelectorArg | None = None,
        limit: int | None = None,
        continue_: str | None = None,
        resource_version: str | None = None,
        resource_version_match: ResourceVersionMatchArg | None = None,
        timeout_seconds: int | None = None,
    ) -> Obj:
        """One list call (one page when `limit` is set); options as the typed `list`. Returns the
        list object (`items`, `metadata.continue`)."""
        options = ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            limit=limit,
            continue_=continue_,
            resource_version=resource_version,
            resource_version_match=resource_version_match,
            timeout_seconds=timeout_seconds,
        )
        result: Obj = await self._client.list(options)
        return result

    def list_pages(
        self,
        *,
        label_selector: SelectorArg | None = None,
        field_selector: SelectorArg | None = None,
        resource_version: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Obj]:
        """Each page of a paginated list (`limit`/`continue`); see `AsyncRESTClient.list_pages`."""
        options = ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
        )
        return self._client.pages(options, page_size=page_size)

    async def list_all(
        self,
        *,
        label_selector: SelectorArg | None = None,
        field_selector: SelectorArg | None = None,
        resource_version: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Obj:
        """Every item, page by page, joined into one list object (client-go `pager.List`)."""
        options = ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
        )
        return await self._client.list_all(options, page_size=page_size)

    def watch(
        self,
        *,
        label_selector: SelectorArg | None = None,
        field_selector: SelectorArg | None = None,
        resource_version: str | None = None,
        timeout_seconds: int | None = None,
        allow_watch_bookmarks: bool | None = None,
        send_initial_events: bool | None = None,
        resource_version_match: ResourceVersionMatchArg | None = None,
        idle_timeout: float | None = None,
        raise_errors: bool = True,
    ) -> AsyncWatchStream[Obj]:
        """Watch events of the resource; options as the typed `watch` (BOOKMARKs by the same
        rule: yielded only when asked for, `kubetyped.request.watch_bookmarks`). An ERROR event
        raises its typed `ApiError` unless `raise_errors` is False."""
        options = ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
            timeout_seconds=timeout_seconds,
            allow_watch_bookmarks=allow_watch_bookmarks,
            send_initial_events=send_initial_events,
            resource_version_match=resource_version_match,
            idle_timeout=idle_timeout,
        )
        return self._client.watch(options, raise_errors=raise_errors)

    def list_watch(self, tweak: TweakListOptions | None = None) -> AsyncResourceListWatch[Obj]:
        """The informers' ListWatch of this resource over plain dicts (client-go
        `dynamicinformer` over `cache.NewFilteredListWatchFromClient`); `tweak` edits every
        list and watch's options."""
        from kubetyped.cache import AsyncResourceListWatch

        return AsyncResourceListWatch(self._client, tweak)

    async def wait_for(self, name: str, for_: WaitFor, *, timeout: float) -> Obj | None:
        """Waits until the object `name` satisfies `for_` (see `kubetyped.wait`); the object
        (None for `deleted()`). Raises `WaitTimeoutError` and typed `ApiError`s."""
        path = self._client.resource.path
        return await wait_for_object(self._client.rest, path, name, for_, timeout=timeout)

    async def create(
        self,
        body: Obj,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: FieldValidationArg | None = None,
    ) -> Obj:
        """POST `body`; the namespace comes from the binding or `metadata.namespace`. Options as
        the typed `create`; returns the created object."""
        options = WriteOptions(dry_run, field_manager, field_validation)
        return await self._client.create(body, options)

    async def update(
        self,
        body: Obj,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: FieldValidationArg | None = None,
    ) -> Obj:
        """PUT `body` (named by its metadata); `ConflictError` (409) on a stale resourceVersion.
        Options as the typed `update`."""
        options = WriteOptions(dry_run, field_manager, field_validation)
        return await self._client.update(body, options)

    async def update_status(
        self, body: Obj, *, dry_run: bool = False, field_manager: str | None = None
    ) -> Obj:
        """PUT `body`'s `status` subresource."""
        options = WriteOptions(dry_run, field_manager)
        return await self._client.update(body, options, "status")

    async def patch(
        self,
        name: str,
        body: Any,
        patch_type: PatchTypeArg = PatchType.MERGE,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: FieldValidationArg | None = None,
        subresource: str | None = None,
    ) -> Obj:
        """Patch the object (or a `subresource`): JSON, merge (default) or strategic merge patch.
        Options as the typed `patch`; returns the patched object."""
        options = WriteOptions(dry_run, field_manager, field_validation)
        return await self._client.patch(name, body, patch_type, options, subresource)

    async def apply(
        self,
        body: Obj,
        *,
        field_manager: str,
        force: bool = False,
        dry_run: bool = False,
        field_validation: FieldValidationArg | None = None,
        subresource: str | None = None,
    ) -> Obj:
        """Server-side apply of `body` (named by its metadata) as `field_manager`; `dry_run`
        returns what the server would store without storing it."""
        options = ApplyOptions(field_manager, force, dry_run, field_validation)
        return await self._client.apply(body, options, subresource)

    async def delete(
        self,
        name: str,
        *,
        propagation_policy: PropagationPolicyArg | None = None,
        grace_period_seconds: int | None = None,
        preconditions: Preconditions | None = None,
        dry_run: bool = False,
    ) -> Obj:
        """DELETE the object `name`; returns the server's answer, as every client family does:
        the object (deleted, or marked for deletion) or a `Status`. Options as the typed
        `delete`; raises `NotFoundError` (404) when it does not exist."""
        options = DeleteOptions(propagation_policy, grace_period_seconds, preconditions, dry_run)
        return cast(Obj, await self._client.delete(name, options))  # the JSONCodec's dict

    async def delete_collection(
        self,
        *,
        label_selector: SelectorArg | None = None,
        field_selector: SelectorArg | None = None,
        propagation_policy: PropagationPolicyArg | None = None,
        grace_period_seconds: int | None = None,
        dry_run: bool = False,
    ) -> Obj:
        """DELETE every object matching the selectors; returns the server's answer (the list of
        deleted objects or a `Status`). Options as the typed `delete_collection`."""
        list_options = ListOptions(label_selector=label_selector, field_selector=field_selector)
        options = DeleteOptions(propagation_policy, grace_period_seconds, None, dry_run)
        result: Obj = await self._client.delete_collection(list_options, options)
        return result


class AsyncDynamicClient:
    """Entry point: `resource(...)` by GVR, or `resource_for_kind` / `resource_for` via discovery."""

    def __init__(
        self, rest: AsyncRESTClient, discovery: AsyncDiscoveryClient | None = None
    ) -> None:
        self.rest = rest
        self.discovery = discovery if discovery is not None else AsyncDiscoveryClient(rest)

    def resource(
        self, group: str, version: str, plural: str, *, namespaced: bool | None = None
    ) -> AsyncDynamicResource:
        """The client of one resource by group, version and plural (`namespaced` None: unknown)."""
        gvr = GroupVersionResource(group, version, plural)
        return AsyncDynamicResource(self.rest, dynamic_resource(gvr, namespaced))

    async def resource_for_kind(self, api_version: str, kind: str) -> AsyncDynamicResource:
        """The resource serving `kind` in `api_version`; rediscovers once if it is unknown
        (e.g. a CRD installed after the last discovery)."""
        try:
            mapping = (await self.discovery.rest_mapper()).rest_mapping_for(api_version, kind)
        except NoKindMatchError:
            mapper = await self.discovery.rest_mapper(refresh=True)
            mapping = mapper.rest_mapping_for(api_version, kind)
        return AsyncDynamicResource(self.rest, _from_mapping(mapping))

    async def resource_for(self, partial: str) -> AsyncDynamicResource:
        """A resource by (partial) name: `deploy`, `deployments.apps`, `widgets.v1.example.com`."""
        try:
            mapping = (await self.discovery.rest_mapper()).resource_mapping(partial)
        except NoResourceMatchError:
            mapping = (await self.discovery.rest_mapper(refresh=True)).resource_mapping(partial)
        return AsyncDynamicResource(self.rest, _from_mapping(mapping))
