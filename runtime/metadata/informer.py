"""Metadata informers (client-go `metadatainformer`): cache any resource as
`PartialObjectMetadata`, a fraction of the memory of full objects.

    factory = MetadataInformerFactory(MetadataClient(rest), namespace="default")
    configmaps = factory.for_resource(GroupVersionResource("", "v1", "configmaps"))
    configmaps.informer().add_event_handler(on_add=...)
    factory.start(); factory.wait_for_cache_sync(10)
    names = [m.metadata.name for m in configmaps.lister().list()]
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Generic, TypeVar

from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
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
from kubetyped.metadata.sync_client import MetadataClient, MetadataResource, MetadataWatch

Item = PartialObjectMetadata
InformerT = TypeVar("InformerT", bound="SharedIndexInformer[Item] | AsyncSharedIndexInformer[Item]")


def _list_result(page: PartialObjectMetadataList) -> ListResult[Item]:
    meta = page.metadata
    return ListResult(
        items=page.items or [],  # an empty list may come with `items: null`
        resource_version=(meta.resource_version or "") if meta else "",
        continue_token=(meta.continue_ or None) if meta else None,
    )


class MetadataListWatch:
    """The cache's `ListWatch` over a `MetadataResource` (already scoped to a namespace)."""

    def __init__(self, resource: MetadataResource) -> None:
        self.resource = resource

    def list(self, options: ListOptions) -> ListResult[Item]:
        return _list_result(self.resource.list(options))

    def watch(self, options: ListOptions) -> MetadataWatch:
        return self.resource.watch(options)


class AsyncMetadataListWatch:
    """The cache's `AsyncListWatch` over an `AsyncMetadataResource`."""

    def __init__(self, resource: AsyncMetadataResource) -> None:
        self.resource = resource

    async def list(self, options: ListOptions) -> ListResult[Item]:
        return _list_result(await self.resource.list(options))

    def watch(self, options: ListOptions) -> AsyncMetadataWatch:
        return self.resource.watch(options)


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
