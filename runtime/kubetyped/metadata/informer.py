"""Metadata informers (client-go ``metadatainformer``): cache any resource as
``PartialObjectMetadata``, a fraction of the memory of full objects.

    factory = MetadataInformerFactory(MetadataClient(rest), namespace="default")
    configmaps = factory.for_resource(GroupVersionResource("", "v1", "configmaps"))
    configmaps.informer().add_event_handler(on_add=...)
    factory.start(); factory.wait_for_cache_sync(10)
    names = [m.metadata.name for m in configmaps.lister().list()]

The asyncio classes are in ``async_informer`` (the source); the blocking ones in
``sync_informer``, generated from it by ``make unasync``.
"""

from kubetyped.metadata.async_informer import (
    AsyncMetadataInformer,
    AsyncMetadataInformerFactory,
    new_async_filtered_metadata_informer,
)
from kubetyped.metadata.sync_informer import (
    MetadataInformer,
    MetadataInformerFactory,
    new_filtered_metadata_informer,
)

__all__ = [
    "AsyncMetadataInformer",
    "AsyncMetadataInformerFactory",
    "MetadataInformer",
    "MetadataInformerFactory",
    "new_async_filtered_metadata_informer",
    "new_filtered_metadata_informer",
]
