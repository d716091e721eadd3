"""`AsyncMetadataClient`: get, list, watch, patch and delete any resource as
`PartialObjectMetadata` (client-go's `metadata` client).

    client = AsyncMetadataClient(rest)
    cms = client.resource(GroupVersionResource("", "v1", "configmaps")).namespace("default")
    for item in (await cms.list()).items:
        print(item.metadata.name, item.metadata.labels)

Requests are built and answers reduced by the pure functions of `common` and `negotiate`; the
classes only send them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Self

import httpx

from kubetyped import request as rq
from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.common import (
    Requests,
    UnparsedPage,
    decode_deleted,
    decode_list,
    decode_object,
    metadata_event,
    unparsed_list,
)
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream
from kubetyped.watch import WatchEvent

if TYPE_CHECKING:
    from kubetyped.api import Status

__all__ = ["AsyncMetadataClient", "AsyncMetadataResource", "AsyncMetadataWatch"]


class AsyncMetadataWatch:
    """Iterator of `WatchEvent`s of `PartialObjectMetadata` over one watch; an ERROR event
    raises its typed `ApiError`; `close()` ends it."""

    def __init__(self, open_stream: Callable[[], Awaitable[httpx.Response]]) -> None:
        self._stream = AsyncWatchStream(open_stream, raise_errors=True)

    @property
    def resource_version(self) -> str | None:
        """The last resourceVersion seen (to resume the watch)."""
        return self._stream.resource_version

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> WatchEvent[PartialObjectMetadata]:
        return metadata_event(await anext(self._stream))

    async def aclose(self) -> None:
        """End the watch (closes the connection)."""
        await self._stream.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class AsyncMetadataResource:
    """Metadata-only verbs of one resource; `namespace(ns)` narrows a namespaced one."""

    def __init__(self, rest: AsyncRESTClient, requests: Requests) -> None:
        self._rest = rest
        self._requests = requests

    @property
    def gvr(self) -> GroupVersionResource:
        """The group, version and resource this client addresses."""
        return self._requests.gvr

    def namespace(self, namespace: str) -> AsyncMetadataResource:
        """The same resource narrowed to `namespace`."""
        return AsyncMetadataResource(self._rest, Requests(self._requests.gvr, namespace))

    async def get(self, name: str, *, resource_version: str | None = None) -> PartialObjectMetadata:
        """The metadata of the object `name` (options as the typed `get`); raises
        `NotFoundError` (404) when absent."""
        request = self._requests.get(name, rq.GetOptions(resource_version))
        return decode_object(await self._rest.send(request))

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
        return decode_list(await self._rest.send(self._requests.list(options)))

    async def list_unparsed(self, options: rq.ListOptions | None = None) -> UnparsedPage:
        """One list call for caches (a reflector's `ListOptions`, as client-go's `ListWatch`
        takes them): items kept as JSON until read, and the list's metadata (`resourceVersion`,
        `continue`)."""
        return unparsed_list((await self._rest.send(self._requests.list(options))).content)

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
    ) -> AsyncMetadataWatch:
        """Events until the server ends the watch or `close()` (options as the typed `watch`);
        an ERROR event raises its typed `ApiError` (410 → `ExpiredError`)."""
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
        return self.watch_unparsed(options)

    def watch_unparsed(self, options: rq.ListOptions | None = None) -> AsyncMetadataWatch:
        """A watch for caches, with a reflector's `ListOptions` (see `list_unparsed`)."""
        request = self._requests.watch(options)
        return AsyncMetadataWatch(lambda: self._rest.send(request, stream=True))

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
        request = self._requests.patch(name, body, patch_type, options)
        return decode_object(await self._rest.send(request))

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
        return decode_deleted(await self._rest.send(self._requests.delete(name, options)))


class AsyncMetadataClient:
    """`resource(gvr)` → metadata-only verbs of that resource (client-go `metadata.Interface`)."""

    def __init__(self, rest: AsyncRESTClient) -> None:
        self.rest = rest

    def resource(self, gvr: GroupVersionResource) -> AsyncMetadataResource:
        """Metadata-only verbs of the resource `gvr`."""
        return AsyncMetadataResource(self.rest, Requests(gvr))
