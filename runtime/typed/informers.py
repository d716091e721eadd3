"""Typed per-resource informers over the cache's shared informer factories.

Generated code subclasses `TypedInformer`/`AsyncTypedInformer` once per resource (naming its
`ResourceInfo`) and `InformerFactoryBase`/`AsyncInformerFactoryBase` once per clientset.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from kubetyped.cache import (
    NAMESPACE_INDEX,
    AsyncSharedIndexInformer,
    AsyncSharedInformerFactory,
    AsyncTweakedListWatch,
    ClusterLister,
    InformerOptions,
    NamespacedLister,
    SharedIndexInformer,
    SharedInformerFactory,
    TweakedListWatch,
    namespace_index_func,
)
from kubetyped.cache.protocols import TweakListOptions
from kubetyped.cache.reflector_core import Transform
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed.clientset import AsyncClientsetBase, ClientsetBase
from kubetyped.typed.listwatch import AsyncTypedListWatch, TypedListWatch
from kubetyped.typed.resource import ResourceInfo, resolve_reference

T = TypeVar("T")
#: The generated lister class of a resource (a `NamespacedLister` or a `ClusterLister`).
L = TypeVar("L", bound="NamespacedLister[Any] | ClusterLister[Any]")
InformerT = TypeVar("InformerT", bound="SharedIndexInformer[Any] | AsyncSharedIndexInformer[Any]")
F = TypeVar("F", "InformerFactoryBase", "AsyncInformerFactoryBase")


def informer_key(info: ResourceInfo) -> Hashable:
    return (info.group, info.version, info.plural)


def _indexers(info: ResourceInfo) -> dict[str, Any]:
    return {NAMESPACE_INDEX: namespace_index_func} if info.namespaced else {}


class _TypedInformerBase(Generic[T, InformerT, L]):
    """One resource's shared informer (from the factory) and lister; mode-neutral."""

    resource: ResourceInfo
    lister_class: type[L]
    # the thread or asyncio flavour of each part, set by the two subclasses
    _list_watch: Any
    _tweaked: Any
    _informer: Any

    def __init__(self, factory: Any) -> None:
        self._factory = factory

    def informer(self) -> InformerT:
        info, rest = self.resource, self._factory.rest

        def new(options: InformerOptions) -> InformerT:
            list_watch = self._list_watch(rest, info, options.namespace)
            informer: InformerT = self._informer(
                self._tweaked(list_watch, options.tweak),
                indexers=_indexers(info),
                resync_period=options.resync_period,
                transform=options.transform,
            )
            return informer

        informer: InformerT = self._factory.informer_for(informer_key(info), new)
        return informer

    def lister(self) -> L:
        """The resource's lister over the shared cache (client-go ``<Kind>Informer.Lister``):
        a namespaced resource's has ``namespaced(ns).get(name)``, a cluster-scoped one's
        ``get(name)``; misses raise ``NotCachedError`` (a ``NotFoundError``). The objects are
        shared: do not mutate them."""
        return self.lister_class(self.informer().indexer)


class TypedInformer(_TypedInformerBase[T, SharedIndexInformer[T], L]):
    """The shared informer and lister of one resource (thread mode)."""

    _list_watch = TypedListWatch
    _tweaked = TweakedListWatch
    _informer = SharedIndexInformer

    def __init__(self, factory: InformerFactoryBase) -> None:
        super().__init__(factory)


class AsyncTypedInformer(_TypedInformerBase[T, AsyncSharedIndexInformer[T], L]):
    """The shared informer and lister of one resource (asyncio)."""

    _list_watch = AsyncTypedListWatch
    _tweaked = AsyncTweakedListWatch
    _informer = AsyncSharedIndexInformer

    def __init__(self, factory: AsyncInformerFactoryBase) -> None:
        super().__init__(factory)


class GroupInformers(Generic[F]):
    """The informers of one group-version, sharing the factory."""

    def __init__(self, factory: F) -> None:
        self._factory: F = factory


class _FactoryGroups:
    def _init_groups(self) -> None:
        self._groups: dict[str, Any] = {}

    def _group(self, reference: str) -> Any:
        group = self._groups.get(reference)
        if group is None:
            group = resolve_reference(reference)(self)
            self._groups[reference] = group
        return group


class InformerFactoryBase(SharedInformerFactory, _FactoryGroups):
    """One informer per type for a clientset; namespace and list-option tweaks apply to all."""

    def __init__(
        self,
        clientset: ClientsetBase,
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
        self.rest: RESTClient = clientset.rest
        self._init_groups()


class AsyncInformerFactoryBase(AsyncSharedInformerFactory, _FactoryGroups):
    """The asyncio twin of `InformerFactoryBase`."""

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
