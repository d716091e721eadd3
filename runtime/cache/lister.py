"""Listers: read-only queries over an informer's indexer.

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

T = TypeVar("T")


class Lister(Generic[T]):
    """Lists and gets cached objects, across all namespaces or within one (``namespaced``)."""

    def __init__(self, indexer: Indexer[T], namespace: str | None = None) -> None:
        self.indexer = indexer
        self.namespace = namespace

    def namespaced(self, namespace: str) -> Lister[T]:
        """A view restricted to ``namespace``."""
        return Lister(self.indexer, namespace)

    def list(self, selector: str | Mapping[str, str] | Selector | None = None) -> builtins.list[T]:
        """Cached objects matching a label selector (``"app=web,tier in (a,b),!canary"``, or
        ``{"app": "web"}``)."""
        sel = parse_selector(selector)
        if self.namespace is not None and NAMESPACE_INDEX in self.indexer.index_names():
            objs = self.indexer.by_index(NAMESPACE_INDEX, self.namespace)
        else:
            objs = self.indexer.list()
            if self.namespace is not None:
                objs = [o for o in objs if object_meta(o).namespace == self.namespace]
        if sel.empty():
            return objs
        return [o for o in objs if sel.matches(object_meta(o).labels)]

    def get(self, name: str) -> T:
        """The cached object; raises ``NotCachedError`` (a ``KeyError``) when absent."""
        key = f"{self.namespace}/{name}" if self.namespace else name
        obj = self.indexer.get_by_key(key)
        if obj is None:
            raise NotCachedError(key)
        return obj

    def get_or_none(self, name: str) -> T | None:
        key = f"{self.namespace}/{name}" if self.namespace else name
        return self.indexer.get_by_key(key)

    def by_index(self, index_name: str, value: str) -> builtins.list[T]:
        objs = self.indexer.by_index(index_name, value)
        if self.namespace is None:
            return objs
        return [o for o in objs if object_meta(o).namespace == self.namespace]
