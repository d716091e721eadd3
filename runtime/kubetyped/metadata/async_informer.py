"""Metadata informers run as asyncio tasks (client-go ``metadatainformer``): cache any resource
as ``PartialObjectMetadata``, a fraction of the memory of full objects.

    factory = AsyncMetadataInformerFactory(AsyncMetadataClient(rest), namespace="default")
    configmaps = factory.for_resource(GroupVersionResource("", "v1", "configmaps"))
    configmaps.informer().add_event_handler(on_add=...)
    factory.start(); await factory.wait_for_cache_sync(10)
    names = [m.metadata.name for m in configmaps.lister().list()]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubetyped.api import PartialObjectMetadata
from kubetyped.cache import (
    AsyncResourceListWatch,
    AsyncSharedIndexInformer,
    AsyncSharedInformerFactory,
    InformerOptions,
    Lister,
)
from kubetyped.cache.protocols import TweakListOptions
from kubetyped.cache.reflector_core import Transform
from kubetyped.cache.store import IndexFunc
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.async_client import AsyncMetadataClient
from kubetyped.metadata.common import metadata_indexers, metadata_informer_key, metadata_resource
from kubetyped.resource import AsyncResourceClient

__all__ = [
    "AsyncMetadataInformer",
    "AsyncMetadataInformerFactory",
    "new_async_filtered_metadata_informer",
]

Item = PartialObjectMetadata


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
    """An unshared metadata informer of ``gvr`` (client-go
    ``metadatainformer.NewFilteredMetadataInformer``).

    ``namespace`` None watches all namespaces; ``resync_period`` in seconds (0: none);
    ``indexers`` are added to the namespace index; ``tweak_list_options`` edits every list and
    watch's options; ``transform`` edits each object before it is cached.
    """
    resource = AsyncResourceClient(client.rest, metadata_resource(gvr, namespace))
    return AsyncSharedIndexInformer(
        AsyncResourceListWatch(resource, tweak_list_options),
        indexers=metadata_indexers(indexers),
        resync_period=resync_period,
        transform=transform,
    )


class AsyncMetadataInformer:
    """The shared metadata informer and lister of one resource (client-go ``GenericInformer``)."""

    def __init__(self, factory: AsyncMetadataInformerFactory, gvr: GroupVersionResource) -> None:
        self._factory = factory
        self.gvr = gvr

    def informer(self) -> AsyncSharedIndexInformer[Item]:
        """The resource's informer, made on first request and shared through the factory."""
        client, gvr = self._factory.client, self.gvr

        def new(options: InformerOptions) -> AsyncSharedIndexInformer[Item]:
            return new_async_filtered_metadata_informer(
                client,
                gvr,
                options.namespace,
                resync_period=options.resync_period,
                tweak_list_options=options.tweak,
                transform=options.transform,
            )

        return self._factory.informer_for(metadata_informer_key(gvr), new)

    def lister(self) -> Lister[Item]:
        """A lister over the informer's cache (``list``, by namespace index); its objects are
        shared: do not mutate them."""
        return Lister(self.informer().indexer)


class AsyncMetadataInformerFactory(AsyncSharedInformerFactory):
    """One shared metadata informer per resource; start, sync and shut down as one (client-go
    ``metadatainformer.NewFilteredSharedInformerFactory``)."""

    def __init__(self, client: AsyncMetadataClient, **options: Any) -> None:
        """``options``: ``namespace``, ``tweak_list_options``, ``default_resync``,
        ``transform``, ``custom_resync`` (as ``kubetyped.cache.SharedInformerFactory``)."""
        super().__init__(**options)
        self.client = client

    def for_resource(self, gvr: GroupVersionResource) -> AsyncMetadataInformer:
        """The metadata informer of ``gvr`` (client-go ``ForResource``)."""
        return AsyncMetadataInformer(self, gvr)
