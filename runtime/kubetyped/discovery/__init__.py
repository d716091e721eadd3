"""Discovery: server version, groups and resources (aggregated or legacy), OpenAPI, RESTMapper."""

from __future__ import annotations

from kubetyped.discovery.async_client import AsyncDiscoveryClient
from kubetyped.discovery.cache import (
    DEFAULT_TTL,
    DiskCache,
    default_cache_root,
    discovery_cache_dir,
)
from kubetyped.discovery.common import DEFAULT_CACHE
from kubetyped.discovery.errors import (
    AmbiguousResourceError,
    DiscoveryDocumentError,
    DiscoveryError,
    NoKindMatchError,
    NoResourceMatchError,
)
from kubetyped.discovery.mapper import RESTMapper, RESTMapping
from kubetyped.discovery.model import (
    APIGroup,
    APIResource,
    APISubresource,
    Discovery,
    GroupKind,
    GroupResource,
    GroupVersionKind,
    GroupVersionResource,
    ServerVersion,
)
from kubetyped.discovery.parse import AGGREGATED_ACCEPT
from kubetyped.discovery.sync_client import DiscoveryClient

__all__ = [
    "AGGREGATED_ACCEPT",
    "DEFAULT_CACHE",
    "DEFAULT_TTL",
    "APIGroup",
    "APIResource",
    "APISubresource",
    "AmbiguousResourceError",
    "AsyncDiscoveryClient",
    "Discovery",
    "DiscoveryClient",
    "DiscoveryDocumentError",
    "DiscoveryError",
    "DiskCache",
    "GroupKind",
    "GroupResource",
    "GroupVersionKind",
    "GroupVersionResource",
    "NoKindMatchError",
    "NoResourceMatchError",
    "RESTMapper",
    "RESTMapping",
    "ServerVersion",
    "default_cache_root",
    "discovery_cache_dir",
]
