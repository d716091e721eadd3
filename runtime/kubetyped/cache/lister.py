"""Listers: read-only queries over an informer's indexer, shaped like client-go's listers.

- ``NamespacedLister`` (a namespaced resource, e.g. ``DeploymentLister``): ``list`` and
  ``by_index`` across namespaces, ``namespaced(ns)`` for the ``NamespaceLister`` that ``get``s;
  it has no ``get`` of its own, since a namespaced object is named by namespace and name.
- ``ClusterLister`` (a cluster-scoped resource): ``list``, ``by_index`` and ``get``.
- ``Lister``: both, for informers that do not know the scope (``get`` takes the store key).

A miss raises ``NotCachedError``, a ``NotFoundError`` (client-go ``errors.NewNotFound``).
Returned objects are the cached instances shared by every reader and handler: do not mutate
them (copy first, e.g. ``model.model_copy(deep=True)`` or ``copy.deepcopy(d)``).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Generic, TypeVar

from kubetyped.cache.errors import NotCachedError
from kubetyped.cache.meta import object_meta
from kubetyped.cache.selectors import Selector, parse_selector
from kubetyped.cache.store import NAMESPACE_INDEX, Indexer

__all__ = ["ClusterLister", "Lister", "NamespaceLister", "NamespacedLister"]

T = TypeVar("T")
#: a label selector: its string form, an equality map (``{"app": "web"}``), or parsed
SelectorLike = str | Mapping[str, str] | Selector | None


def _matching(objs: builtins.list[T], selector: SelectorLike) -> builtins.list[T]:
    sel = parse_selector(selector)
    if sel.empty():
        return objs
    return [o for o in objs if sel.matches(object_meta(o).labels)]


def _get(indexer: Indexer[T], key: str) -> T:
    obj = indexer.get_by_key(key)
    if obj is None:
        raise NotCachedError(key)
    return obj


class _ListerBase(Generic[T]):
    def __init__(self, indexer: Indexer[T]) -> None:
        self.indexer = indexer

    def list(self, selector: SelectorLike = None) -> builtins.list[T]:
        """Cached objects (every namespace) matching a label selector (``"app=web,tier in
        (a,b),!canary"``; None: all)."""
        return _matching(self.indexer.list(), selector)

    def by_index(self, index_name: str, value: str) -> builtins.list[T]:
        """Cached objects whose index ``index_name`` holds ``value`` (client-go ``ByIndex``)."""
        return self.indexer.by_index(index_name, value)


class NamespaceLister(Generic[T]):
    """Cached objects of one namespace (client-go ``<Kind>NamespaceLister``)."""

    def __init__(self, indexer: Indexer[T], namespace: str) -> None:
        self.indexer = indexer
        self.namespace = namespace

    def list(self, selector: SelectorLike = None) -> builtins.list[T]:
        """Cached objects of the namespace matching a label selector (None: all)."""
        if NAMESPACE_INDEX in self.indexer.index_names():
            objs = self.indexer.by_index(NAMESPACE_INDEX, self.namespace)
        else:
            objs = [o for o in self.indexer.list() if object_meta(o).namespace == self.namespace]
        return _matching(objs, selector)

    def get(self, name: str) -> T:
        """The cached object ``name``; raises ``NotCachedError`` (a ``NotFoundError``)."""
        return _get(self.indexer, f"{self.namespace}/{name}")

    def get_or_none(self, name: str) -> T | None:
        """The cached object ``name``, or None."""
        return self.indexer.get_by_key(f"{self.namespace}/{name}")

    def by_index(self, index_name: str, value: str) -> builtins.list[T]:
        """Cached objects of the namespace whose index ``index_name`` holds ``value``."""
        objs = self.indexer.by_index(index_name, value)
        return [o for o in objs if object_meta(o).namespace == self.namespace]


class NamespacedLister(_ListerBase[T]):
    """The lister of a namespaced resource (client-go ``<Kind>Lister``)."""

    def namespaced(self, namespace: str) -> NamespaceLister[T]:
        """The objects of ``namespace`` (client-go ``<Kind>Lister.<Kinds>(namespace)``)."""
        return NamespaceLister(self.indexer, namespace)


class ClusterLister(_ListerBase[T]):
    """The lister of a cluster-scoped resource (client-go ``<Kind>Lister``)."""

    def get(self, name: str) -> T:
        """The cached object ``name``; raises ``NotCachedError`` (a ``NotFoundError``)."""
        return _get(self.indexer, name)

    def get_or_none(self, name: str) -> T | None:
        """The cached object ``name``, or None."""
        return self.indexer.get_by_key(name)


class Lister(NamespacedLister[T], ClusterLister[T]):
    """A lister for an informer that does not know its resource's scope (client-go
    ``GenericLister``): ``get`` takes the store key (``"ns/name"``, or ``"name"``)."""
