"""Client-side caches: stores/indexers, reflectors, shared informers, factories and listers."""

from __future__ import annotations

from kubetyped.cache.async_listwatch import AsyncListWatch, AsyncResourceListWatch
from kubetyped.cache.errors import CacheError, NotCachedError, TransformError, WatchClosedError
from kubetyped.cache.factory import (
    AsyncSharedInformerFactory,
    FactoryShutDownError,
    InformerOptions,
    SharedInformerFactory,
)
from kubetyped.cache.handlers import (
    FuncHandler,
    OnAdd,
    OnDelete,
    OnUpdate,
    Registration,
    ResourceEventHandler,
)
from kubetyped.cache.informer import (
    AsyncSharedIndexInformer,
    InformerHealth,
    InformerStateError,
    SharedIndexInformer,
)
from kubetyped.cache.lister import ClusterLister, Lister, NamespacedLister, NamespaceLister
from kubetyped.cache.meta import (
    ObjectMeta,
    ObjectMetaError,
    drop_managed_fields,
    meta_namespace_key,
    object_meta,
    split_meta_namespace_key,
)
from kubetyped.cache.protocols import ListOptions, ListResult, WatchEvent
from kubetyped.cache.reflector import AsyncReflector, Reflector
from kubetyped.cache.reflector_core import ReflectorCore, ReflectorSink, ReflectorStateError
from kubetyped.cache.selectors import Selector, SelectorParseError, parse_selector
from kubetyped.cache.store import (
    NAMESPACE_INDEX,
    IndexConflictError,
    Indexer,
    IndexFuncError,
    UnknownIndexError,
    namespace_index_func,
)
from kubetyped.cache.sync_listwatch import ListWatch, ResourceListWatch
from kubetyped.cache.sync_result import CacheSyncResult
from kubetyped.cache.tombstone import DeletedFinalStateUnknown, unwrap_tombstone

__all__ = [
    "NAMESPACE_INDEX",
    "AsyncListWatch",
    "AsyncReflector",
    "AsyncResourceListWatch",
    "AsyncSharedIndexInformer",
    "AsyncSharedInformerFactory",
    "CacheError",
    "CacheSyncResult",
    "ClusterLister",
    "DeletedFinalStateUnknown",
    "FactoryShutDownError",
    "FuncHandler",
    "IndexConflictError",
    "IndexFuncError",
    "Indexer",
    "InformerHealth",
    "InformerOptions",
    "InformerStateError",
    "ListOptions",
    "ListResult",
    "ListWatch",
    "Lister",
    "NamespaceLister",
    "NamespacedLister",
    "NotCachedError",
    "ObjectMeta",
    "ObjectMetaError",
    "OnAdd",
    "OnDelete",
    "OnUpdate",
    "Reflector",
    "ReflectorCore",
    "ReflectorSink",
    "ReflectorStateError",
    "Registration",
    "ResourceEventHandler",
    "ResourceListWatch",
    "Selector",
    "SelectorParseError",
    "SharedIndexInformer",
    "SharedInformerFactory",
    "TransformError",
    "UnknownIndexError",
    "WatchClosedError",
    "WatchEvent",
    "drop_managed_fields",
    "meta_namespace_key",
    "namespace_index_func",
    "object_meta",
    "parse_selector",
    "split_meta_namespace_key",
    "unwrap_tombstone",
]
