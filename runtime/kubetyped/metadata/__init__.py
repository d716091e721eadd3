"""Metadata-only access to any resource (client-go `metadata` + `metadatainformer`)."""

from __future__ import annotations

from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.metadata.async_client import (
    AsyncMetadataClient,
    AsyncMetadataResource,
)
from kubetyped.metadata.informer import (
    AsyncMetadataInformer,
    AsyncMetadataInformerFactory,
    MetadataInformer,
    MetadataInformerFactory,
    new_async_filtered_metadata_informer,
    new_filtered_metadata_informer,
)
from kubetyped.metadata.negotiate import ACCEPT_LIST, ACCEPT_OBJECT
from kubetyped.metadata.sync_client import MetadataClient, MetadataResource

__all__ = [
    "ACCEPT_LIST",
    "ACCEPT_OBJECT",
    "AsyncMetadataClient",
    "AsyncMetadataInformer",
    "AsyncMetadataInformerFactory",
    "AsyncMetadataResource",
    "MetadataClient",
    "MetadataInformer",
    "MetadataInformerFactory",
    "MetadataResource",
    "PartialObjectMetadata",
    "PartialObjectMetadataList",
    "new_async_filtered_metadata_informer",
    "new_filtered_metadata_informer",
]
