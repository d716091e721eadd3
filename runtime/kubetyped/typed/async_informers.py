"""Typed per-resource informers run as asyncio tasks, over the cache's shared informer factory.

Generated code subclasses ``AsyncTypedInformer`` once per resource (naming its ``ResourceInfo``
and lister class) and ``AsyncInformerFactoryBase`` once per clientset. Source: client-go
``informers`` (informer-gen: ``<Kind>Informer.Informer``/``Lister``, ``sharedInformerFactory``).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from kubetyped.cache import (
    AsyncResourceListWatch,
    AsyncSharedIndexInformer,
    AsyncSharedInformerFactory,
    ClusterLister,
    InformerOptions,
    NamespacedLister,
)
from kubetyped.cache.protocols import TweakListOptions
from kubetyped.cache.reflector_core import Transform
from kubetyped.resource import AsyncResourceClient
from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.clientset import AsyncClientsetBase
from kubetyped.typed.informers_common import FactoryGroups, informer_indexers, informer_key
from kubetyped.typed.operations import typed_resource
from kubetyped.typed.resource import ALL_NAMESPACES, ResourceInfo

__all__ = ["AsyncInformerFactoryBase", "AsyncTypedInformer"]

T = TypeVar("T")
#: The generated lister class of a resource (a `NamespacedLister` or a `ClusterLister`).
L = TypeVar("L", bound="NamespacedLister[Any] | ClusterLister[Any]")


class AsyncTypedInformer(Generic[T, L]):
    """The shared informer and lister of one resource; generated subclasses set ``resource``
    (its ``ResourceInfo``) and ``lister_class``."""

    resource: ResourceInfo
    lister_class: type[L]

    def __init__(self, factory: AsyncInformerFactoryBase) -> None:
        self._factory = factory

    def informer(self) -> AsyncSharedIndexInformer[T]:
        """The resource's shared informer (client-go ``<Kind>Informer.Informer``): made on first
        request with the factory's namespace, list-option tweak, resync period and transform,
        then shared by every caller of the factory."""
        info, rest = self.resource, self._factory.rest

        def new(options: InformerOptions) -> AsyncSharedIndexInformer[T]:
            scope = (options.namespace or ALL_NAMESPACES) if info.namespaced else None
            client: AsyncResourceClient[T] = AsyncResourceClient(rest, typed_resource(info, scope))
            return AsyncSharedIndexInformer(
                AsyncResourceListWatch(client, options.tweak),
                indexers=informer_indexers(info),
                resync_period=options.resync_period,
                transform=options.transform,
            )

        return self._factory.informer_for(informer_key(info), new)

    def lister(self) -> L:
        """The resource's lister over the shared cache (client-go ``<Kind>Informer.Lister``):
        a namespaced resource's has ``namespaced(ns).get(name)``, a cluster-scoped one's
        ``get(name)``; misses raise ``NotCachedError`` (a ``NotFoundError``). The objects are
        shared: do not mutate them."""
        return self.lister_class(self.informer().indexer)


class AsyncInformerFactoryBase(AsyncSharedInformerFactory, FactoryGroups):
    """One informer per type for a clientset (client-go ``informers.SharedInformerFactory``);
    ``namespace``, ``tweak_list_options``, ``default_resync`` (seconds) and ``transform``
    apply to all of them. Generated subclasses add one accessor per group-version."""

    def __init__(
        self,
        clientset: AsyncClientsetBase,
        *,
        namespace: str | None = None,
        tweak_list_options: TweakListOptions | None = None,
        default_resync: float = 0.0,
        transform: Transform | None = None,
    ) -> None:
        super().__init__(
            namespace=namespace,
            tweak_list_options=tweak_list_options,
            default_resync=default_resync,
            transform=transform,
        )
        self.rest: AsyncRESTClient = clientset.rest
        self._init_groups()
