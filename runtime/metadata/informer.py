"""Metadata informers (client-go `metadatainformer`): cache any resource as
`PartialObjectMetadata`, a fraction of the memory of full objects.

    factory = MetadataInformerFactory(MetadataClient(rest), namespace="default")
    configmaps = factory.for_resource(GroupVersionResource("", "v1", "configmaps"))
    configmaps.informer().add_event_handler(on_add=...)
    factory.start(); factory.wait_for_cache_sync(10)
    names = [m.metadata.name for m in configmaps.lister().list()]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from typing import Any, Generic, TypeVar

import orjson

from kubetyped.api import PartialObjectMetadata
from kubetyped.cache import (
    NAMESPACE_INDEX,
    AsyncSharedIndexInformer,
    AsyncSharedInformerFactory,
    AsyncTweakedListWatch,
    InformerOptions,
    Lister,
    ListOptions,
    ListResult,
    SharedIndexInformer,
    SharedInformerFactory,
    TweakedListWatch,
    namespace_index_func,
)
from kubetyped.cache.protocols import TweakListOptions
from kubetyped.cache.reflector_core import Transform
from kubetyped.cache.store import IndexFunc
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.async_client import (
    AsyncMetadataClient,
    AsyncMetadataResource,
    AsyncMetadataWatch,
)
from kubetyped.metadata.common import UnparsedPage
from kubetyped.metadata.sync_client import MetadataClient, MetadataResource, MetadataWatch
from kubetyped.watch import WatchEvent

Item = PartialObjectMetadata
InformerT = TypeVar("InformerT", bound="SharedIndexInformer[Item] | AsyncSharedIndexInformer[Item]")


def _unparsed(obj: Any) -> Any:
    """The object as the cache keeps it: its JSON, parsed again on first read (a parsed
    `PartialObjectMetadata` costs several times its JSON; see `KubeModel.from_unparsed`)."""
    raw = obj.raw_view() if isinstance(obj, PartialObjectMetadata) else None
    if raw is None:
        return obj
    # orjson's output keeps its >= 4 KiB buffer: cache an exact-size copy
    return PartialObjectMetadata.from_unparsed(bytes(memoryview(orjson.dumps(raw))))


class _UnparsedEvents:
    """A metadata watch whose event objects are kept as JSON; closes like the stream it wraps."""

    def __init__(self, inner: MetadataWatch) -> None:
        self._inner = inner

    def __iter__(self) -> _UnparsedEvents:
        return self

    def __next__(self) -> WatchEvent[Item]:
        event = next(self._inner)
        return dataclasses.replace(event, object=_unparsed(event.object))

    def close(self) -> None:
        self._inner.close()


class _AsyncUnparsedEvents:
    """The asyncio twin of `_UnparsedEvents`."""

    def __init__(self, inner: AsyncMetadataWatch) -> None:
        self._inner = inner

    def __aiter__(self) -> _AsyncUnparsedEvents:
        return self

    async def __anext__(self) -> WatchEvent[Item]:
        event = await anext(self._inner)
        return dataclasses.replace(event, object=_unparsed(event.object))

    async def aclose(self) -> None:
        await self._inner.aclose()


def _list_result(page: UnparsedPage) -> ListResult[Item]:
    items, meta = page
    return ListResult(
        items=items,
        resource_version=str(meta.get("resourceVersion") or ""),
        continue_token=meta.get("continue") or None,
    )


class MetadataListWatch:
    """The cache's `ListWatch` over a `MetadataResource` (already scoped to a namespace)."""

    def __init__(self, resource: MetadataResource) -> None:
        self.resource = resource

    def list(self, options: ListOptions) -> ListResult[Item]:
        return _list_result(self.resource.list_unparsed(options))

    def watch(self, options: ListOptions) -> _UnparsedEvents:
        return _UnparsedEvents(self.resource.watch_unparsed(options))


class AsyncMetadataListWatch:
    """The cache's `AsyncListWatch` over an `AsyncMetadataResource`."""

    def __init__(self, resource: AsyncMetadataResource) -> None:
        self.resource = resource

    async def list(self, options: ListOptions) -> ListResult[Item]:
        return _list_result(await self.resource.list_unparsed(options))

    def watch(self, options: ListOptions) -> _AsyncUnparsedEvents:
        return _AsyncUnparsedEvents(self.resource.watch_unparsed(options))


def _indexers(extra: Mapping[str, IndexFunc] | None) -> dict[str, IndexFunc]:
    return {NAMESPACE_INDEX: namespace_index_func, **(extra or {})}


def new_filtered_metadata_informer(
    client: MetadataClient,
    gvr: GroupVersionResource,
    namespace: str | None = None,
    *,
    resync_period: float = 0.0,
    indexers: Mapping[str, IndexFunc] | None = None,
    tweak_list_options: TweakListOptions | None = None,
    transform: Transform | None = None,
) -> SharedIndexInformer[Item]:
    """An unshared metadata informer of `gvr` (`namespace=None`: all namespaces)."""
    resource = client.resource(gvr)
    if namespace:
        resource = resource.namespace(namespace)
    list_watch = MetadataListWatch(resource)
    return SharedIndexInformer(
        TweakedListWatch(list_watch, tweak_list_options or (lambda o: o)),
        indexers=_indexers(indexers),
        resync_period=resync_period,
        transform=transform,
    )


def new_async_filtered_metadata_informer(
    client: AsyncMetadataClient,
    gvr: GroupVersionResource,
    namespace: str | None = None,
    *,
    resync_period: float = 0.0,
    indexers: Mapping[str, IndexFunc] | None = None,
    tweak_list_options: TweakListOptions | None = None,
    transform: Transform | None = None,
) -> AsyncSharedIndexInformer[Item]:
    """The asyncio twin of `new_filtered_metadata_informer`."""
    resource = client.resource(gvr)
    if namespace:
        resource = resource.namespace(namespace)
    list_watch = AsyncMetadataListWatch(resource)
    return AsyncSharedIndexInformer(
        AsyncTweakedListWatch(list_watch, tweak_list_options or (lambda o: o)),
        indexers=_indexers(indexers),
        resync_period=resync_period,
        transform=transform,
    )


def _key(gvr: GroupVersionResource) -> Hashable:
    return ("metadata", gvr)


class _MetadataInformerBase(Generic[InformerT]):
    """One resource's shared metadata informer (from the factory) and lister; mode-neutral."""

    _build: Any  # new_filtered_metadata_informer or its asyncio twin

    def __init__(self, factory: Any, gvr: GroupVersionResource) -> None:
        self._factory = factory
        self.gvr = gvr

    def informer(self) -> InformerT:
        client, gvr = self._factory.client, self.gvr

        def new(options: InformerOptions) -> InformerT:
            informer: InformerT = self._build(
                client,
                gvr,
                options.namespace,
                resync_period=options.resync_period,
                tweak_list_options=options.tweak,
                transform=options.transform,
            )
            return informer

        informer: InformerT = self._factory.informer_for(_key(gvr), new)
        return informer

    def lister(self) -> Lister[Item]:
        return Lister(self.informer().indexer)


class MetadataInformer(_MetadataInformerBase[SharedIndexInformer[Item]]):
    """The shared metadata informer and lister of one resource (client-go `GenericInformer`)."""

    _build = staticmethod(new_filtered_metadata_informer)

    def __init__(self, factory: MetadataInformerFactory, gvr: GroupVersionResource) -> None:
        super().__init__(factory, gvr)


class AsyncMetadataInformer(_MetadataInformerBase[AsyncSharedIndexInformer[Item]]):
    """The asyncio twin of `MetadataInformer`."""

    _build = staticmethod(new_async_filtered_metadata_informer)

    def __init__(self, factory: AsyncMetadataInformerFactory, gvr: GroupVersionResource) -> None:
        super().__init__(factory, gvr)


class MetadataInformerFactory(SharedInformerFactory):
    """One shared metadata informer per resource; start, sync and shut down as one."""

    def __init__(self, client: MetadataClient, **options: Any) -> None:
        """`options`: `namespace`, `tweak_list_options`, `default_resync`, `transform`,
        `custom_resync` (as `kubetyped.cache.SharedInformerFactory`)."""
        super().__init__(**options)
        self.client = client

    def for_resource(self, gvr: GroupVersionResource) -> MetadataInformer:
        return MetadataInformer(self, gvr)


class AsyncMetadataInformerFactory(AsyncSharedInformerFactory):
    """The asyncio twin of `MetadataInformerFactory`."""

    def __init__(self, client: AsyncMetadataClient, **options: Any) -> None:
        super().__init__(**options)
        self.client = client

    def for_resource(self, gvr: GroupVersionResource) -> AsyncMetadataInformer:
        return AsyncMetadataInformer(self, gvr)
