"""Uniform access to object metadata for plain dicts and typed models."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from kubetyped.cache.tombstone import DeletedFinalStateUnknown
from kubetyped.errors import KubetypedError
from kubetyped.watch import _metadata_decoder as _watch_metadata_decoder
from kubetyped.watch import _recall_metadata, _remember_metadata

__all__ = [
    "ObjectMeta",
    "ObjectMetaError",
    "drop_managed_fields",
    "meta_namespace_key",
    "object_meta",
    "split_meta_namespace_key",
]


class ObjectMetaError(KubetypedError, ValueError):
    """An object handed to the cache has no usable ``metadata`` (names what is missing)."""


@dataclass(frozen=True, slots=True)
class ObjectMeta:
    """The metadata fields the cache machinery needs."""

    name: str
    namespace: str
    resource_version: str
    uid: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]


def _field(meta: Any, snake: str, camel: str) -> Any:
    cls = type(meta)
    if cls is dict:
        return meta.get(camel, meta.get(snake))
    if cls is _metadata_type():  # metadata decoded from unparsed JSON: wire names only
        return getattr(meta, camel)
    if isinstance(meta, Mapping):
        return meta.get(camel, meta.get(snake))
    value = getattr(meta, snake, None)
    return getattr(meta, camel, None) if value is None else value


@cache
def _metadata_type() -> type:
    """The struct ``_metadata_decoder`` decodes ``metadata`` into."""
    import msgspec

    head = _watch_metadata_decoder().type
    field_type = msgspec.structs.fields(head)[0].type
    return next(t for t in field_type.__args__ if t is not type(None))  # type: ignore[no-any-return]


#: The metadata decoder of unparsed objects (shared with the watch decoder).
_metadata_decoder = _watch_metadata_decoder


def _unparsed_metadata(obj: Any, data: memoryview) -> Any:
    """``metadata`` of an object still held as JSON, decoded on its own (the rest is skipped
    and nothing is kept on the object, so it stays unparsed). The last decode is remembered by
    JSON buffer, so a watch event's metadata is decoded once (``kubetyped.watch``)."""
    buffer = data.obj
    meta = _recall_metadata(buffer)
    if meta is not None:
        return meta
    try:
        head = _metadata_decoder().decode(data)
    except Exception as exc:  # msgspec.DecodeError/ValidationError: metadata of the wrong shape
        raise ObjectMetaError(f"object of type {type(obj).__name__}: {exc}") from None
    meta = head.metadata
    if meta is None:
        raise ObjectMetaError(f"object of type {type(obj).__name__} has no metadata")
    _remember_metadata(buffer, meta)
    return meta


def _raw_metadata(obj: Any) -> Any:
    unparsed_json = getattr(obj, "unparsed_json", None)  # a model still held as its JSON
    if unparsed_json is not None and (data := unparsed_json()) is not None:
        return _unparsed_metadata(obj, data)
    raw_view = getattr(obj, "raw_view", None)  # a lazily decoded model: read its JSON as is
    if raw_view is not None and (raw := raw_view()) is not None:
        obj = raw
    meta = obj.get("metadata") if isinstance(obj, Mapping) else getattr(obj, "metadata", None)
    if meta is None:
        raise ObjectMetaError(f"object of type {type(obj).__name__} has no metadata")
    return meta


def object_meta(obj: Any) -> ObjectMeta:
    """Read name/namespace/resourceVersion/uid/labels/annotations from a dict or a model."""
    meta = _raw_metadata(obj)
    return ObjectMeta(
        name=_field(meta, "name", "name") or "",
        namespace=_field(meta, "namespace", "namespace") or "",
        resource_version=str(_field(meta, "resource_version", "resourceVersion") or ""),
        uid=str(_field(meta, "uid", "uid") or ""),
        labels=dict(_field(meta, "labels", "labels") or {}),
        annotations=dict(_field(meta, "annotations", "annotations") or {}),
    )


def namespace_of(obj: Any) -> str:
    """The object's ``metadata.namespace`` ("" for cluster-scoped objects)."""
    return str(_field(_raw_metadata(obj), "namespace", "namespace") or "")


def resource_version_of(obj: Any) -> str:
    """The object's ``metadata.resourceVersion`` ("" when absent)."""
    return str(_field(_raw_metadata(obj), "resource_version", "resourceVersion") or "")


def meta_namespace_key(obj: Any) -> str:
    """The cache key: ``namespace/name``, or ``name`` for cluster-scoped objects."""
    if isinstance(obj, DeletedFinalStateUnknown):
        return obj.key
    meta = _raw_metadata(obj)
    name = _field(meta, "name", "name")
    if not name:
        raise ObjectMetaError(f"object of type {type(obj).__name__} has no metadata.name")
    namespace = _field(meta, "namespace", "namespace")
    return f"{namespace}/{name}" if namespace else str(name)


def split_meta_namespace_key(key: str) -> tuple[str, str]:
    """Split a cache key into ``(namespace, name)``; namespace is "" for cluster scope."""
    parts = key.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ObjectMetaError(f"unexpected cache key format: {key!r}")


def drop_managed_fields(obj: Any) -> Any:
    """Transform hook: remove ``metadata.managedFields`` before caching (saves memory).

    Dicts are shallow-copied so the caller's object is left untouched; models are copied
    with ``model_copy`` when they provide it.
    """
    if isinstance(obj, Mapping):
        meta = obj.get("metadata")
        if not isinstance(meta, Mapping) or "managedFields" not in meta:
            return obj
        new_meta = {k: v for k, v in meta.items() if k != "managedFields"}
        return {**obj, "metadata": new_meta}
    unparsed_json = getattr(obj, "unparsed_json", None)
    if unparsed_json is not None and (data := unparsed_json()) is not None:  # stays unparsed
        import orjson

        parsed = orjson.loads(data)
        slim = drop_managed_fields(parsed)
        if slim is parsed:
            return obj
        # orjson's output keeps its >= 4 KiB buffer: cache an exact-size copy
        return type(obj).from_unparsed(bytes(memoryview(orjson.dumps(slim))))
    raw_view = getattr(obj, "raw_view", None)
    if raw_view is not None and (raw := raw_view()) is not None:  # lazy model: stays lazy
        slim = drop_managed_fields(raw)
        return obj if slim is raw else type(obj).from_raw(slim)
    meta = getattr(obj, "metadata", None)
    if meta is None or getattr(meta, "managed_fields", None) is None:
        return obj
    if hasattr(obj, "model_copy") and hasattr(meta, "model_copy"):
        slim_meta = meta.model_copy()
        slim_meta.managed_fields = None
        slim_meta.model_fields_set.discard("managed_fields")  # unset, not null, on the wire
        slim_obj = obj.model_copy()
        slim_obj.metadata = slim_meta
        return slim_obj
    clone: Any = copy.copy(obj)
    meta_copy: Any = copy.copy(meta)
    meta_copy.managed_fields = None
    clone.metadata = meta_copy
    return clone
