"""`AsyncResourceClient`: sends the requests of a `BoundResource` and decodes the answers with
its codec (client-go `gentype.Client`). Typed, dynamic, metadata and scale clients, and the
informers' `AsyncResourceListWatch`, are thin users of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kubetyped import request as rq
from kubetyped.resource.core import BoundResource, CachePage
from kubetyped.rest import AsyncRESTClient, AsyncWatchStream

if TYPE_CHECKING:
    from kubetyped.api import Status

__all__ = ["AsyncResourceClient"]

T = TypeVar("T")


class AsyncResourceClient(Generic[T]):
    """The verbs of one `BoundResource` over an `AsyncRESTClient`; every answer goes through
    the resource's codec. Raises the typed `ApiError` of a refused request and
    `TransportError` when no answer arrives."""

    __slots__ = ("resource", "rest")

    def __init__(self, rest: AsyncRESTClient, resource: BoundResource[T]) -> None:
        self.rest = rest
        self.resource = resource

    def bind(self, namespace: str | None) -> AsyncResourceClient[T]:
        """The same resource bound to `namespace` (see `BoundResource.bind`)."""
        return AsyncResourceClient(self.rest, self.resource.bind(namespace))

    def with_codec(self, codec: Any) -> AsyncResourceClient[Any]:
        """The same binding answering through `codec` (a subresource of another kind)."""
        return AsyncResourceClient(self.rest, self.resource.with_codec(codec))

    async def get(
        self, name: str, options: rq.GetOptions | None = None, subresource: str | None = None
    ) -> T:
        """The object `name` (or its `subresource`)."""
        return self.resource.codec.decode(
            await self.rest.send(self.resource.get(name, options, subresource))
        )

    async def list(self, options: rq.ListOptions | None = None) -> Any:
        """One list call: the codec's list object."""
        return self.resource.codec.decode_list(await self.rest.send(self.resource.list(options)))

    async def list_for_cache(self, options: rq.ListOptions | None = None) -> CachePage:
        """One list call as caches keep it (`Codec.cache_page`): items and list metadata."""
        response = await self.rest.send(self.resource.list(options))
        return self.resource.codec.cache_page(response.content)

    def pages(
        self, options: rq.ListOptions | None = None, *, page_size: int = rq.DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[dict[str, Any]]:
        """Each page (plain JSON) of a paginated list; see `AsyncRESTClient.list_pages`."""
        return self.rest.list_pages(self.resource.path, options, page_size=page_size)

    async def list_all(
        self, options: rq.ListOptions | None = None, *, page_size: int = rq.DEFAULT_PAGE_SIZE
    ) -> dict[str, Any]:
        """Every item, page by page, joined into one list object (client-go `pager.List`)."""
        return await self.rest.list_all(self.resource.path, options, page_size=page_size)

    def watch(
        self, options: rq.ListOptions | None = None, *, raise_errors: bool = True
    ) -> AsyncWatchStream[T]:
        """The events of the collection, decoded by the codec; BOOKMARKs reach the caller by
        the one rule of `request.watch_bookmarks`. Opened on first iteration."""
        send, bookmarks = rq.watch_bookmarks(options or rq.ListOptions())
        request = self.resource.watch(send)
        return AsyncWatchStream(
            lambda: self.rest.send(request, stream=True),
            raise_errors,
            decode=self.resource.codec.event,
            bookmarks=bookmarks,
        )

    def watch_for_cache(self, options: rq.ListOptions) -> AsyncWatchStream[T]:
        """A watch as caches keep its objects (`Codec.cache_event`), same bookmark rule."""
        send, bookmarks = rq.watch_bookmarks(options)
        request = self.resource.watch(send)
        codec = self.resource.codec
        return AsyncWatchStream(
            lambda: self.rest.send(request, stream=True),
            True,
            unparsed=codec.unparsed_watch,
            decode=codec.cache_event,
            bookmarks=bookmarks,
        )

    async def create(
        self,
        obj: Any,
        options: rq.WriteOptions | None = None,
        *,
        name: str | None = None,
        subresource: str | None = None,
    ) -> T:
        """POST `obj` to the collection, or to the `subresource` of `name` (a token request);
        the created object."""
        request = self.resource.create(obj, options, name=name, subresource=subresource)
        return self.resource.codec.decode(await self.rest.send(request))

    async def update(
        self,
        obj: Any,
        options: rq.WriteOptions | None = None,
        subresource: str | None = None,
        *,
        name: str | None = None,
    ) -> T:
        """PUT `obj` (or its `subresource`); the stored object."""
        request = self.resource.update(obj, options, subresource, name=name)
        return self.resource.codec.decode(await self.rest.send(request))

    async def patch(
        self,
        name: str,
        patch: Any,
        patch_type: rq.PatchTypeArg,
        options: rq.WriteOptions | None = None,
        subresource: str | None = None,
    ) -> T:
        """PATCH `name` (or its `subresource`); the patched object."""
        request = self.resource.patch(name, patch, patch_type, options, subresource)
        return self.resource.codec.decode(await self.rest.send(request))

    async def apply(
        self,
        obj: Any,
        options: rq.ApplyOptions,
        subresource: str | None = None,
        *,
        name: str | None = None,
    ) -> T:
        """Server-side apply of `obj` (or to its `subresource`); the stored object."""
        request = self.resource.apply(obj, options, subresource, name=name)
        return self.resource.codec.decode(await self.rest.send(request))

    async def delete(self, name: str, options: rq.DeleteOptions | None = None) -> T | Status:
        """DELETE `name`: the server's answer, the object or a `Status`."""
        response = await self.rest.send(self.resource.delete(name, options))
        return self.resource.codec.decode_deleted(response)

    async def delete_collection(
        self, list_options: rq.ListOptions | None, options: rq.DeleteOptions | None
    ) -> Any:
        """DELETE the selected objects: the list of deleted objects or a `Status`."""
        request = self.resource.delete_collection(list_options, options)
        return self.resource.codec.decode_deleted_collection(await self.rest.send(request))
