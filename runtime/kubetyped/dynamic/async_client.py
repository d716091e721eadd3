"""`AsyncDynamicClient`: every verb over plain dicts, for any resource.

Where a request goes is decided by pure code (`kubetyped.dynamic.target`); this module only
picks the REST client method.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from kubetyped.discovery import (
    AsyncDiscoveryClient,
    GroupVersionResource,
    NoKindMatchError,
    NoResourceMatchError,
)
from kubetyped.dynamic.target import Obj, Target, map_kind, target_from_mapping
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
    ResourceVersionMatchArg,
    SelectorArg,
    WriteOptions,
)
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream
from kubetyped.wait import WaitFor
from kubetyped.wait.async_wait import wait_for_object

__all__ = ["AsyncDynamicClient", "AsyncDynamicResource"]


class AsyncDynamicResource:
    """Verbs on one resource (optionally bound to a namespace), over plain dicts."""

    def __init__(self, rest: AsyncRESTClient, target: Target) -> None:
        self._rest = rest
        self._target = target

    @property
    def gvr(self) -> GroupVersionResource:
        """The group, version and resource this client addresses."""
        return self._target.gvr

    @property
    def namespaced(self) -> bool | None:
        """The resource's scope when known (from discovery), else None."""
        return self._target.namespaced

    def namespace(self, namespace: str) -> AsyncDynamicResource:
        """The same resource bound to `namespace`; raises `DynamicClientError` if cluster-scoped."""
        return AsyncDynamicResource(self._rest, self._target.bind(namespace))

    async def get(
        self, name: str, *, resource_version: str | None = None, subresource: str | None = None
    ) -> Obj:
        """GET one object (or its `subresource`) by name (client-go dynamic `Get`); options as
        the typed `get`. Raises `NotFoundError` (404) when absent, else the typed `ApiError`."""
        path = self._target.item(name, subresource=subresource)
        return await self._rest.get(path, GetOptions(resource_version))

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
        return await self._rest.list(self._target.collection(), options)

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
        return self._rest.list_pages(self._target.collection(), options, page_size=page_size)

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
        return await self._rest.list_all(self._target.collection(), options, page_size=page_size)

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
    ) -> AsyncWatchStream:
        """Watch events of the resource; options as the typed `watch` (BOOKMARKs are yielded
        when requested). An ERROR event raises its typed `ApiError` unless `raise_errors` is
        False."""
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
        return self._rest.watch(self._target.collection(), options, raise_errors=raise_errors)

    async def wait_for(self, name: str, for_: WaitFor, *, timeout: float) -> Obj | None:
        """Waits until the object `name` satisfies `for_` (see `kubetyped.wait`); the object
        (None for `deleted()`). Raises `WaitTimeoutError` and typed `ApiError`s."""
        return await wait_for_object(
            self._rest, self._target.collection(), name, for_, timeout=timeout
        )

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
        return await self._rest.create(self._target.collection(body), body, options)

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
        return await self._rest.update(self._target.item(None, body), body, options)

    async def update_status(
        self, body: Obj, *, dry_run: bool = False, field_manager: str | None = None
    ) -> Obj:
        """PUT `body`'s `status` subresource."""
        options = WriteOptions(dry_run, field_manager)
        return await self._rest.update(self._target.item(None, body, "status"), body, options)

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
        path = self._target.item(name, subresource=subresource)
        return await self._rest.patch(path, body, patch_type, options)

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
        return await self._rest.apply(self._target.item(None, body, subresource), body, options)

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
        return await self._rest.delete(self._target.item(name), options)

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
        return await self._rest.delete_collection(self._target.collection(), list_options, options)


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
        return AsyncDynamicResource(
            self.rest, Target(GroupVersionResource(group, version, plural), namespaced)
        )

    async def resource_for_kind(self, api_version: str, kind: str) -> AsyncDynamicResource:
        """The resource serving `kind` in `api_version`; rediscovers once if it is unknown
        (e.g. a CRD installed after the last discovery)."""
        try:
            target = map_kind(await self.discovery.rest_mapper(), api_version, kind)
        except NoKindMatchError:
            target = map_kind(await self.discovery.rest_mapper(refresh=True), api_version, kind)
        return AsyncDynamicResource(self.rest, target)

    async def resource_for(self, partial: str) -> AsyncDynamicResource:
        """A resource by (partial) name: `deploy`, `deployments.apps`, `widgets.v1.example.com`."""
        try:
            mapping = (await self.discovery.rest_mapper()).resource_mapping(partial)
        except NoResourceMatchError:
            mapping = (await self.discovery.rest_mapper(refresh=True)).resource_mapping(partial)
        return AsyncDynamicResource(self.rest, target_from_mapping(mapping))
