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
from kubetyped.cache.meta import meta_namespace_key, namespace_of

__all__ = [
    "NAMESPACE_INDEX",
    "IndexConflictError",
    "IndexFuncError",
    "Indexer",
    "UnknownIndexError",
    "namespace_index_func",
]

T = TypeVar("T")

IndexFunc = Callable[[Any], list[str]]
KeyFunc = Callable[[Any], str]

NAMESPACE_INDEX = "namespace"


def namespace_index_func(obj: Any) -> builtins.list[str]:
    """Index objects by ``metadata.namespace`` (cluster-scoped objects index under "")."""
    return [namespace_of(obj)]


class UnknownIndexError(CacheError, LookupError):
    """A query named an index the store does not have."""


class IndexConflictError(CacheError, ValueError):
    """An index name is already in use (`add_indexers`)."""


class IndexFuncError(CacheError):
    """An index (or key) function raised, or returned something other than a list of strings,
    for one object; the store was left unchanged. ``key`` and ``index_name`` name the culprit
    (``index_name`` is "" when the key function failed); the original error is ``__cause__``."""

    def __init__(self, key: str, index_name: str, reason: str) -> None:
        where = f"index {index_name!r}" if index_name else "the key function"
        super().__init__(f"{where} rejected object {key!r}: {reason}")
        self.key = key
        self.index_name = index_name


# Index contents: index name -> indexed value -> set of keys.
_Indices = dict[str, dict[str, set[str]]]
# What each stored key was indexed under: key -> index name -> values.
_Values = dict[str, dict[str, tuple[str, ...]]]


def _index_values(key: str, obj: Any, funcs: Mapping[str, IndexFunc]) -> dict[str, tuple[str, ...]]:
    """Every index function applied to ``obj``; raises ``IndexFuncError`` naming the index.

    An object still held as its JSON stays so: index functions that read more than its
    metadata get a throwaway parsed twin (the cache keeps the JSON, not the parse)."""
    out: dict[str, tuple[str, ...]] = {}
    twin: Any = None
    for name, func in funcs.items():
        if func is namespace_index_func:  # ours: one string, from metadata only
            try:
                out[name] = (namespace_of(obj),)
            except Exception as exc:
                raise IndexFuncError(key, name, f"{type(exc).__name__}: {exc}") from exc
            continue
        if twin is None:
            twin = _parsed_twin(obj)
        try:
            values = func(twin)
        except Exception as exc:
            raise IndexFuncError(key, name, f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(values, list | tuple | set | frozenset) or not all(
            isinstance(v, str) for v in values
        ):
            raise IndexFuncError(key, name, f"returned {values!r}, not a list of strings")
        out[name] = tuple(values)
    return out


def _parsed_twin(obj: Any) -> Any:
    """A parsed copy of an object held as its JSON (to run user functions on), else ``obj``."""
    unparsed_json = getattr(obj, "unparsed_json", None)
    data = unparsed_json() if unparsed_json is not None else None
    return obj if data is None else type(obj).from_unparsed(bytes(data))


def _build_indices(values: _Values, names: Iterable[str]) -> _Indices:
    indices: _Indices = {name: {} for name in names}
    for key, per_index in values.items():
        for name, index_values in per_index.items():
            for value in index_values:
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
        self._values: _Values = {}
        self._indices: _Indices = {name: {} for name in self._funcs}

    # ---- writes -------------------------------------------------------------------------
    # Index values are computed before anything changes, and remembered per key, so an index
    # function that raises leaves the store as it was (``IndexFuncError``) and removal never
    # calls the functions again.
    def key_of(self, obj: Any) -> str:
        """The object's key; raises ``IndexFuncError`` when the key function fails."""
        try:
            return self._key_func(obj)
        except Exception as exc:
            raise IndexFuncError(_describe(obj), "", f"{type(exc).__name__}: {exc}") from exc

    def add(self, obj: T) -> None:
        """Insert or replace `obj` (client-go `Indexer.Add`); raises `IndexFuncError` (store
        unchanged) when a key or index function rejects it.
        """
        self.update(obj)

    def update(self, obj: T) -> T | None:
        """Insert or replace ``obj``; returns the previous object under its key."""
        key = self.key_of(obj)
        with self._lock:
            values = _index_values(key, obj, self._funcs)
            old = self._items.get(key)
            self._items[key] = obj
            if old is not None:
                if self._values.get(key) == values:  # client-go updateIndices: unchanged
                    return old
                self._unindex(key)
            self._index(key, values)
            return old

    def delete(self, obj: Any) -> T | None:
        """Remove the object with ``obj``'s key; returns what was stored."""
        return self.delete_key(self.key_of(obj))

    def delete_key(self, key: str) -> T | None:
        """Remove the object stored under `key` (`namespace/name`, or `name` when cluster-scoped);
        returns it, None when there was none.
        """
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._unindex(key)
            return old

    def replace(
        self,
        objs: Iterable[T],
        *,
        on_reject: Callable[[IndexFuncError], None] | None = None,
    ) -> dict[str, T]:
        """Atomically swap the whole contents; returns the previous contents by key.

        When a key or index function rejects an object: with ``on_reject`` the object is left
        out and its ``IndexFuncError`` handed to ``on_reject`` (the rest is stored; informers
        use this so one bad object cannot keep a list out of the cache); without it,
        ``IndexFuncError`` is raised and the store is unchanged."""
        items: dict[str, T] = {}
        values: _Values = {}
        with self._lock:
            for obj in objs:  # key and index values together: metadata is read once
                try:
                    key = self.key_of(obj)
                    obj_values = _index_values(key, obj, self._funcs)
                except IndexFuncError as exc:
                    if on_reject is None:
                        raise
                    on_reject(exc)
                    continue
                items[key] = obj
                values[key] = obj_values
            indices = _build_indices(values, self._funcs)
            old = self._items
            self._items, self._values, self._indices = items, values, indices
            return old

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        """Add index functions; raises ``IndexConflictError`` for a name in use and
        ``IndexFuncError`` (store unchanged) when a new function rejects a stored object."""
        with self._lock:
            clash = set(indexers) & set(self._funcs)
            if clash:
                raise IndexConflictError(f"indexer(s) already exist: {sorted(clash)}")
            added = {key: _index_values(key, obj, indexers) for key, obj in self._items.items()}
            self._funcs.update(indexers)
            for key, per_index in added.items():
                self._values.setdefault(key, {}).update(per_index)
            self._indices.update(_build_indices(added, indexers))

    # ---- reads --------------------------------------------------------------------------
    def get(self, obj: Any) -> T | None:
        """The stored object with `obj`'s key (from the store's key function), None when absent
        (client-go `Indexer.Get`).
        """
        return self.get_by_key(self._key_func(obj))

    def get_by_key(self, key: str) -> T | None:
        """The object stored under `key` (`namespace/name`, or `name` when cluster-scoped), None
        when absent.
        """
        with self._lock:
            return self._items.get(key)

    def list(self) -> builtins.list[T]:
        """Every stored object, in no particular order (shared: treat as read-only)."""
        with self._lock:
            return list(self._items.values())

    def list_keys(self) -> builtins.list[str]:
        """Every stored key."""
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
        """The names of the indexes (`namespace` first unless disabled)."""
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

    def _index(self, key: str, values: dict[str, tuple[str, ...]]) -> None:
        self._values[key] = values
        for name, index_values in values.items():
            index = self._indices[name]
            for value in index_values:
                index.setdefault(value, set()).add(key)

    def _unindex(self, key: str) -> None:
        for name, index_values in self._values.pop(key, {}).items():
            index = self._indices[name]
            for value in index_values:
                keys = index.get(value)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del index[value]


def _describe(obj: Any) -> str:
    """A short name for an object whose key could not be computed (no secrets: type only)."""
    return f"<{type(obj).__name__}>"
