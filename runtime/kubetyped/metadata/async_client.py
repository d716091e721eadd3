"""`AsyncMetadataClient`: get, list, watch, patch and delete any resource as
`PartialObjectMetadata` (client-go's `metadata` client).

    client = AsyncMetadataClient(rest)
    cms = client.resource(GroupVersionResource("", "v1", "configmaps")).namespace("default")
    for item in (await cms.list()).items:
        print(item.metadata.name, item.metadata.labels)

Every verb is a thin call of the request core (`kubetyped.resource.AsyncResourceClient`) with
the `MetadataCodec` (`common`), which negotiates and reduces the answers (`negotiate`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetyped import request as rq
from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.common import metadata_resource
from kubetyped.resource import AsyncResourceClient, CachePage
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream

if TYPE_CHECKING:
    from kubetyped.api import Status

__all__ = ["AsyncMetadataClient", "AsyncMetadataResource"]


class AsyncMetadataResource:
    """Metadata-only verbs of one resource; `namespace(ns)` narrows a namespaced one."""

    def __init__(
        self, rest: AsyncRESTClient, gvr: GroupVersionResource, namespace: str | None = None
    ) -> None:
        self.gvr = gvr
        self._client = AsyncResourceClient(rest, metadata_resource(gvr, namespace))

    def namespace(self, namespace: str) -> AsyncMetadataResource:
        """The same resource narrowed to `namespace`."""
        return AsyncMetadataResource(self._client.rest, self.gvr, namespace)

    async def get(self, name: str, *, resource_version: str | None = None) -> PartialObjectMetadata:
        """The metadata of the object `name` (options as the typed `get`); raises
        `NotFoundError` (404) when absent."""
        return await self._client.get(name, rq.GetOptions(resource_version))

    async def list(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        limit: int | None = None,
        continue_: str | None = None,
        resource_version: str | None = None,
        resource_version_match: rq.ResourceVersionMatchArg | None = None,
        timeout_seconds: int | None = None,
    ) -> PartialObjectMetadataList:
        """The metadata of every object (one page when `limit` is set); options as the typed
        `list`."""
        options = rq.ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            limit=limit,
            continue_=continue_,
            resource_version=resource_version,
            resource_version_match=resource_version_match,
            timeout_seconds=timeout_seconds,
        )
        result: PartialObjectMetadataList = await self._client.list(options)
        return result

    async def list_unparsed(self, options: rq.ListOptions | None = None) -> CachePage:
        """One list call as caches keep it (a reflector's `ListOptions`, as client-go's
        `ListWatch` takes them): items kept as JSON until read, and the list's metadata
        (`resourceVersion`, `continue`)."""
        return await self._client.list_for_cache(options)

    def watch(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        resource_version: str | None = None,
        timeout_seconds: int | None = None,
        allow_watch_bookmarks: bool | None = None,
        send_initial_events: bool | None = None,
        resource_version_match: rq.ResourceVersionMatchArg | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncWatchStream[PartialObjectMetadata]:
        """Events until the server ends the watch or `close()` (options as the typed `watch`,
        BOOKMARKs by the same rule: `kubetyped.request.watch_bookmarks`); an ERROR event raises
        its typed `ApiError` (410 → `ExpiredError`)."""
        options = rq.ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
            timeout_seconds=timeout_seconds,
            allow_watch_bookmarks=allow_watch_bookmarks,
            send_initial_events=send_initial_events,
            resource_version_match=resource_version_match,
            idle_timeout=idle_timeout,
        )
        return self._client.watch(options)

    async def patch(
        self,
        name: str,
        body: Any,
        patch_type: rq.PatchTypeArg = rq.PatchType.MERGE,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: rq.FieldValidationArg | None = None,
    ) -> PartialObjectMetadata:
        """Patch the object (e.g. its labels; options as the typed `patch`); the answer is its
        new metadata."""
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        return await self._client.patch(name, body, patch_type, options)

    async def delete(
        self,
        name: str,
        *,
        propagation_policy: rq.PropagationPolicyArg | None = None,
        grace_period_seconds: int | None = None,
        preconditions: rq.Preconditions | None = None,
        dry_run: bool = False,
    ) -> PartialObjectMetadata | Status:
        """DELETE the object `name` (options as the typed `delete`); returns the server's
        answer, as every client family does: the object's metadata (deleted, or marked for
        deletion while finalizers run) or a `kubetyped.api.Status`. Raises `NotFoundError` (404)
        when it does not exist."""
        options = rq.DeleteOptions(propagation_policy, grace_period_seconds, preconditions, dry_run)
        return await self._client.delete(name, options)


class AsyncMetadataClient:
    """`resource(gvr)` → metadata-only verbs of that resource (client-go `metadata.Interface`)."""

    def __init__(self, rest: AsyncRESTClient) -> None:
        self.rest = rest

    def resource(self, gvr: GroupVersionResource) -> AsyncMetadataResource:
        """Metadata-only verbs of the resource `gvr`."""
        return AsyncMetadataResource(self.rest, gvr)
