"""Thread-safe indexed store (client-go ``cache.Indexer``).

All methods take one ``threading.RLock`` and never await, so the store is safe from many
threads and from asyncio tasks alike. ``replace`` builds the new contents off to the side and
swaps them in one step: readers see either the old or the new cache, never a mix.
Stored objects are shared with every reader: treat them as read-only.
"""

from __future__ import annotations

import builtins
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from kubetyped.cache.errors import CacheError
from kubetyped.cache.meta import meta_namespace_key, object_meta

T = TypeVar("T")

IndexFunc = Callable[[Any], list[str]]
KeyFunc = Callable[[Any], str]

NAMESPACE_INDEX = "namespace"


def namespace_index_func(obj: Any) -> builtins.list[str]:
    """Index objects by ``metadata.namespace`` (cluster-scoped objects index under "")."""
    return [object_meta(obj).namespace]


class UnknownIndexError(CacheError, LookupError):
    """A query named an index the store does not have."""


class IndexConflictError(CacheError, ValueError):
    """An index was added twice or after the store filled up."""


# Index contents: index name -> indexed value -> set of keys.
_Indices = dict[str, dict[str, set[str]]]


def _build_indices(items: Mapping[str, Any], funcs: Mapping[str, IndexFunc]) -> _Indices:
    indices: _Indices = {name: {} for name in funcs}
    for key, obj in items.items():
        for name, func in funcs.items():
            for value in func(obj):
                indices[name].setdefault(value, set()).add(key)
    return indices


class Indexer(Generic[T]):
    """Objects keyed by ``namespace/name`` with secondary indexes."""

    def __init__(
        self,
        indexers: Mapping[str, IndexFunc] | None = None,
        *,
        key_func: KeyFunc = meta_namespace_key,
        namespace_index: bool = True,
    ) -> None:
        self._lock = threading.RLock()
        self._key_func = key_func
        self._funcs: dict[str, IndexFunc] = {}
        if namespace_index:
            self._funcs[NAMESPACE_INDEX] = namespace_index_func
        self._funcs.update(indexers or {})
        self._items: dict[str, T] = {}
        self._indices: _Indices = {name: {} for name in self._funcs}

    # ---- writes -------------------------------------------------------------------------
    def key_of(self, obj: Any) -> str:
        return self._key_func(obj)

    def add(self, obj: T) -> None:
        self.update(obj)

    def update(self, obj: T) -> T | None:
        """Insert or replace ``obj``; returns the previous object under its key."""
        key = self._key_func(obj)
        with self._lock:
            old = self._items.get(key)
            if old is not None:
                self._unindex(key, old)
            self._items[key] = obj
            self._index(key, obj)
            return old

    def delete(self, obj: Any) -> T | None:
        """Remove the object with ``obj``'s key; returns what was stored."""
        return self.delete_key(self._key_func(obj))

    def delete_key(self, key: str) -> T | None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._unindex(key, old)
            return old

    def replace(self, objs: Iterable[T]) -> dict[str, T]:
        """Atomically swap the whole contents; returns the previous contents by key."""
        items = {self._key_func(obj): obj for obj in objs}
        with self._lock:
            indices = _build_indices(items, self._funcs)
            old = self._items
            self._items, self._indices = items, indices
            return old

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        with self._lock:
            clash = set(indexers) & set(self._funcs)
            if clash:
                raise IndexConflictError(f"indexer(s) already exist: {sorted(clash)}")
            self._funcs.update(indexers)
            self._indices.update(_build_indices(self._items, indexers))

    # ---- reads --------------------------------------------------------------------------
    def get(self, obj: Any) -> T | None:
        return self.get_by_key(self._key_func(obj))

    def get_by_key(self, key: str) -> T | None:
        with self._lock:
            return self._items.get(key)

    def list(self) -> builtins.list[T]:
        with self._lock:
            return list(self._items.values())

    def list_keys(self) -> builtins.list[str]:
        with self._lock:
            return list(self._items)

    def snapshot(self) -> dict[str, T]:
        """A consistent copy of ``key -> object``."""
        with self._lock:
            return dict(self._items)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def index_names(self) -> builtins.list[str]:
        with self._lock:
            return list(self._funcs)

    def by_index(self, index_name: str, value: str) -> builtins.list[T]:
        """Objects whose index ``index_name`` contains ``value``."""
        with self._lock:
            keys = self._table(index_name).get(value, set())
            return [self._items[k] for k in sorted(keys)]

    def index_keys(self, index_name: str, value: str) -> builtins.list[str]:
        """Keys of objects whose index ``index_name`` contains ``value``."""
        with self._lock:
            return sorted(self._table(index_name).get(value, set()))

    def index(self, index_name: str, obj: Any) -> builtins.list[T]:
        """Objects sharing any indexed value with ``obj`` (client-go ``Index``)."""
        with self._lock:
            func = self._func(index_name)
            keys: set[str] = set()
            for value in func(obj):
                keys |= self._table(index_name).get(value, set())
            return [self._items[k] for k in sorted(keys)]

    def list_index_func_values(self, index_name: str) -> builtins.list[str]:
        """All values currently present in index ``index_name``."""
        with self._lock:
            return sorted(v for v, keys in self._table(index_name).items() if keys)

    # ---- internals ----------------------------------------------------------------------
    def _func(self, index_name: str) -> IndexFunc:
        try:
            return self._funcs[index_name]
        except KeyError:
            raise UnknownIndexError(f"index {index_name!r} does not exist") from None

    def _table(self, index_name: str) -> dict[str, set[str]]:
        self._func(index_name)
        return self._indices[index_name]

    def _index(self, key: str, obj: Any) -> None:
        for name, func in self._funcs.items():
            index = self._indices[name]
            for value in func(obj):
                index.setdefault(value, set()).add(key)

    def _unindex(self, key: str, obj: Any) -> None:
        for name, func in self._funcs.items():
            index = self._indices[name]
            for value in func(obj):
                keys = index.get(value)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del index[value]
