"""Metadata-only access to any resource (client-go `metadata` + `metadatainformer`)."""

from __future__ import annotations

from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.metadata.async_client import (
    AsyncMetadataClient,
    AsyncMetadataResource,
    AsyncMetadataWatch,
)
from kubetyped.metadata.informer import (
    AsyncMetadataInformer,
    AsyncMetadataInformerFactory,
    AsyncMetadataListWatch,
    MetadataInformer,
    MetadataInformerFactory,
    MetadataListWatch,
    new_async_filtered_metadata_informer,
    new_filtered_metadata_informer,
)
from kubetyped.metadata.negotiate import ACCEPT_LIST, ACCEPT_OBJECT
from kubetyped.metadata.sync_client import MetadataClient, MetadataResource, MetadataWatch

__all__ = [
    "ACCEPT_LIST",
    "ACCEPT_OBJECT",
    "AsyncMetadataClient",
    "AsyncMetadataInformer",
    "AsyncMetadataInformerFactory",
    "AsyncMetadataListWatch",
    "AsyncMetadataResource",
    "AsyncMetadataWatch",
    "MetadataClient",
    "MetadataInformer",
    "MetadataInformerFactory",
    "MetadataListWatch",
    "MetadataResource",
    "MetadataWatch",
    "PartialObjectMetadata",
    "PartialObjectMetadataList",
    "new_async_filtered_metadata_informer",
    "new_filtered_metadata_informer",
]
