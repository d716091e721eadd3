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
from typing import Any, Self

import httpx

from kubetyped import request as rq
from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.common import (
    Requests,
    UnparsedPage,
    decode_list,
    decode_object,
    metadata_event,
    unparsed_list,
)
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream
from kubetyped.watch import WatchEvent


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

    async def get(self, name: str, options: rq.GetOptions | None = None) -> PartialObjectMetadata:
        """The metadata of the object `name`; raises `NotFoundError` (404) when absent."""
        return decode_object(await self._rest.send(self._requests.get(name, options)))

    async def list(self, options: rq.ListOptions | None = None) -> PartialObjectMetadataList:
        """The metadata of every object (one page if `options.limit` is set)."""
        return decode_list(await self._rest.send(self._requests.list(options)))

    async def list_unparsed(self, options: rq.ListOptions | None = None) -> UnparsedPage:
        """One list call for caches: items kept as JSON until read, and the list's metadata
        (`resourceVersion`, `continue`)."""
        return unparsed_list((await self._rest.send(self._requests.list(options))).content)

    def watch(self, options: rq.ListOptions | None = None) -> AsyncMetadataWatch:
        """Events until the server ends the watch or `close()`; an ERROR event raises its typed
        `ApiError` (410 → `ExpiredError`)."""
        request = self._requests.watch(options)
        return AsyncMetadataWatch(lambda: self._rest.send(request, stream=True))

    async def patch(
        self,
        name: str,
        body: Any,
        patch_type: rq.PatchTypeArg = rq.PatchType.MERGE,
        options: rq.WriteOptions | None = None,
    ) -> PartialObjectMetadata:
        """Patch the object (e.g. its labels); the answer is its new metadata."""
        request = self._requests.patch(name, body, patch_type, options)
        return decode_object(await self._rest.send(request))

    async def delete(self, name: str, options: rq.DeleteOptions | None = None) -> None:
        """DELETE the object `name`."""
        await self._rest.send(self._requests.delete(name, options))


class AsyncMetadataClient:
    """`resource(gvr)` → metadata-only verbs of that resource (client-go `metadata.Interface`)."""

    def __init__(self, rest: AsyncRESTClient) -> None:
        self.rest = rest

    def resource(self, gvr: GroupVersionResource) -> AsyncMetadataResource:
        """Metadata-only verbs of the resource `gvr`."""
        return AsyncMetadataResource(self.rest, Requests(gvr))
