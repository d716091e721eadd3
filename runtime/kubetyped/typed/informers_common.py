"""What the typed informer factories of both modes share: keys, indexers and group accessors."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kubetyped.cache import NAMESPACE_INDEX, namespace_index_func
from kubetyped.cache.store import IndexFunc
from kubetyped.typed.resource import ResourceInfo, resolve_reference

if TYPE_CHECKING:
    from kubetyped.typed.async_informers import AsyncInformerFactoryBase
    from kubetyped.typed.sync_informers import InformerFactoryBase

__all__ = ["FactoryGroups", "GroupInformers"]

F = TypeVar("F", "InformerFactoryBase", "AsyncInformerFactoryBase")


def informer_key(info: ResourceInfo) -> Hashable:
    """The factory key of a resource's typed informer: (group, version, plural)."""
    return (info.group, info.version, info.plural)


def informer_indexers(info: ResourceInfo) -> dict[str, IndexFunc]:
    """The indexers of a typed informer: the namespace index (client-go
    ``cache.NamespaceIndex``) for a namespaced resource, none for a cluster-scoped one."""
    return {NAMESPACE_INDEX: namespace_index_func} if info.namespaced else {}


class GroupInformers(Generic[F]):
    """The informers of one group-version, sharing the factory (generated subclasses add one
    accessor per resource, e.g. ``deployments()``)."""

    def __init__(self, factory: F) -> None:
        self._factory: F = factory


class FactoryGroups:
    """The group-version accessors of a generated informer factory, made once each."""

    def _init_groups(self) -> None:
        self._groups: dict[str, Any] = {}

    def _group(self, reference: str) -> Any:
        group = self._groups.get(reference)
        if group is None:
            group = resolve_reference(reference)(self)
            self._groups[reference] = group
        return group
