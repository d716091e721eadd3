"""Patch and apply metadata of a field, read from the generated models.

Generated models carry the OpenAPI extensions in `json_schema_extra`
(`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`,
`x-kubernetes-list-map-keys`); the nested model class comes from the model's field plan.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, ForwardRef

__all__: list[str] = []

Model = Any  # a KubeModel subclass, or None when the schema is unknown


@dataclass(frozen=True, slots=True)
class FieldSchema:
    """What a strategic merge patch and an apply need to know about one field."""

    container: str  # "model", "list", "map" (dict of values) or "scalar"
    item_model: Model  # the model of the value, the list items or the map values
    patch_strategy: frozenset[str] = frozenset()
    patch_merge_key: str | None = None
    list_type: str | None = None
    list_map_keys: tuple[str, ...] = ()

    @property
    def merges_by_key(self) -> bool:
        """True for a list merged item by item in a strategic merge patch (`patch_strategy` has
        `merge` and there is a merge key).
        """
        return "merge" in self.patch_strategy and self.patch_merge_key is not None


UNKNOWN = FieldSchema("scalar", None)


@cache
def field_schema(model: Model, wire_name: str) -> FieldSchema:
    """The schema of `model`'s field `wire_name`; `UNKNOWN` when there is none."""
    if model is None or not hasattr(model, "_plan"):
        return UNKNOWN
    plan = model._plan().by_wire.get(wire_name)
    if plan is None:
        return UNKNOWN
    info = model.__pydantic_fields__[plan.python_name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    strategy = str(extra.get("x-kubernetes-patch-strategy") or "")
    merge_key = extra.get("x-kubernetes-patch-merge-key")
    map_keys = extra.get("x-kubernetes-list-map-keys") or ()
    list_type = extra.get("x-kubernetes-list-type")
    return FieldSchema(
        container=_container(info.annotation, bool(plan.models)),
        item_model=plan.models[0] if plan.models else None,
        patch_strategy=frozenset(s for s in strategy.split(",") if s),
        patch_merge_key=merge_key if isinstance(merge_key, str) else None,
        list_type=list_type if isinstance(list_type, str) else None,
        list_map_keys=tuple(str(k) for k in map_keys) if isinstance(map_keys, list) else (),
    )


def _container(annotation: Any, has_model: bool) -> str:
    text = annotation.__forward_arg__ if isinstance(annotation, ForwardRef) else None
    if text is None:
        origin = typing.get_origin(annotation)
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is not None and args and typing.get_origin(args[0]) is not None:
            origin = typing.get_origin(args[0])  # Optional[list[...]]
        text = origin.__name__ if isinstance(origin, type) else str(annotation)
    text = text.replace("typing.", "").strip()
    if text.startswith(("list", "List")):
        return "list"
    if text.startswith(("dict", "Dict")):
        return "map"
    return "model" if has_model else "scalar"


FieldOf = Callable[[str], FieldSchema]


def fields_of(model: Model) -> FieldOf:
    """Field lookup in an object of `model` (everything unknown when model is None)."""
    if model is None:
        return lambda key: UNKNOWN
    return lambda key: field_schema(model, key)


def inner_fields(schema: FieldSchema) -> FieldOf:
    """Field lookup inside the value of a field: a nested model, or the values of a map field."""
    if schema.container == "map":
        item = schema.item_model
        return (lambda key: FieldSchema("model", item)) if item is not None else fields_of(None)
    return fields_of(schema.item_model if schema.container == "model" else None)


def list_keys(schema: FieldSchema) -> tuple[str, ...]:
    """The keys identifying items of an associative list (empty for atomic and set lists)."""
    if schema.list_type == "map" and schema.list_map_keys:
        return schema.list_map_keys
    if schema.merges_by_key and schema.patch_merge_key:
        return (schema.patch_merge_key,)
    return ()
