"""Server-side apply, simplified: each apply manager's last applied configuration is its field set.

* merging: maps merge recursively; associative lists (`x-kubernetes-list-type: map` or a patch
  merge key) merge item by item; `set` lists are unions; everything else is replaced (atomic).
* removal: a field the same manager applied last time but not now is removed from the object,
  unless another apply manager's configuration still sets it.
* conflicts: a field whose applied value differs from the value another apply manager set is a
  conflict (409) unless `force`; with `force` the field moves to the applying manager.

Not simulated: ownership by `Update` managers (plain create/update/patch take no fields, so they
never conflict with an apply), `managedFields` in the returned object, and field-type defaults.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from kubetyped.fake.schema import FieldOf, fields_of, inner_fields, list_keys

__all__: list[str] = []

Item = tuple[str, tuple[str, ...], tuple[Any, ...]]  # ("[]", key names, key values)
Step = str | Item
Path = tuple[Step, ...]

#: a leaf standing for "this list item exists" (its key fields are not separate leaves)
_ITEM = object()


def format_path(path: Path) -> str:
    """A field path as the apiserver's conflict messages write it:
    `.spec.containers[name="app"].image`.
    """
    text = ""
    for step in path:
        if isinstance(step, str):
            text += f".{step}"
        else:
            _, names, values = step
            pairs = zip(names, values, strict=True)
            text += "[" + ",".join(f"{n}={orjson.dumps(v).decode()}" for n, v in pairs) + "]"
    return text


def leaves(
    config: Mapping[str, Any], field_of: FieldOf, path: Path = ()
) -> Iterator[tuple[Path, Any]]:
    """(path, value) of every field an applied configuration sets."""
    for key, value in config.items():
        schema = field_of(key)
        here = (*path, key)
        keys = list_keys(schema)
        if isinstance(value, dict) and value:
            yield from leaves(value, inner_fields(schema), here)
        elif isinstance(value, list) and keys:
            for item in value:
                if not isinstance(item, dict):
                    continue
                step: Item = ("[]", keys, tuple(item.get(k) for k in keys))
                yield (*here, step), _ITEM
                rest = {k: v for k, v in item.items() if k not in keys}
                yield from leaves(rest, fields_of(schema.item_model), (*here, step))
        else:
            yield here, value


def _find(items: list[Any], step: Item) -> int | None:
    _, names, values = step
    for index, item in enumerate(items):
        if isinstance(item, dict) and tuple(item.get(n) for n in names) == values:
            return index
    return None


def get_at(obj: Any, path: Path) -> tuple[bool, Any]:
    """`(True, value)` of the field at `path` in `obj` (list items found by their key values),
    `(False, None)` when it is not there.
    """
    node = obj
    for step in path:
        if isinstance(step, str):
            if not isinstance(node, dict) or step not in node:
                return False, None
            node = node[step]
        else:
            index = _find(node, step) if isinstance(node, list) else None
            if index is None:
                return False, None
            node = node[index]
    return True, node


def remove_at(obj: dict[str, Any], path: Path) -> None:
    """Removes the field (or list item) at `path`, then maps left empty by the removal."""
    parents: list[tuple[Any, Step]] = []
    node: Any = obj
    for step in path:
        parents.append((node, step))
        found, node = get_at(node, (step,))
        if not found:
            return
    for depth, (parent, step) in enumerate(reversed(parents)):
        if depth > 0 and (not isinstance(node, dict | list) or node):
            return
        if isinstance(step, str):
            del parent[step]
        else:
            index = _find(parent, step)
            if index is not None:
                del parent[index]
        node = parent


def merge(live: Any, applied: Any, field_of: FieldOf) -> Any:
    """`applied` merged into a copy of `live`."""
    if not isinstance(applied, dict) or not isinstance(live, dict):
        return copy.deepcopy(applied)
    result = dict(live)
    for key, value in applied.items():
        schema = field_of(key)
        keys = list_keys(schema)
        current = result.get(key)
        if isinstance(value, dict):
            result[key] = merge(current, value, inner_fields(schema))
        elif isinstance(value, list) and keys and isinstance(current, list):
            items = list(current)
            for item in value:
                step: Item = (
                    ("[]", keys, tuple(item.get(k) for k in keys))
                    if isinstance(item, dict)
                    else ("[]", (), ())
                )
                index = _find(items, step) if isinstance(item, dict) else None
                if index is None:
                    items.append(copy.deepcopy(item))
                else:
                    items[index] = merge(items[index], item, fields_of(schema.item_model))
            result[key] = items
        elif isinstance(value, list) and schema.list_type == "set" and isinstance(current, list):
            result[key] = current + [v for v in value if v not in current]
        else:
            result[key] = copy.deepcopy(value)
    return result


def conflicts(
    applied: Mapping[str, Any], others: Mapping[str, Mapping[str, Any]], field_of: FieldOf
) -> list[tuple[str, Path]]:
    """(manager, path) of each field another apply manager set to a different value."""
    found: list[tuple[str, Path]] = []
    for path, value in leaves(applied, field_of):
        if value is _ITEM:
            continue
        for manager, config in others.items():
            present, theirs = get_at(config, path)
            if present and theirs != value:
                found.append((manager, path))
    return found


def fields_dropped(
    previous: Mapping[str, Any],
    current: Mapping[str, Any],
    others: Mapping[str, Mapping[str, Any]],
    field_of: FieldOf,
) -> list[Path]:
    """Paths the manager set before, does not set now, and no other apply manager sets."""
    now = {path for path, _ in leaves(current, field_of)}
    dropped: list[Path] = []
    for path, _ in leaves(previous, field_of):
        if path in now or any(get_at(config, path)[0] for config in others.values()):
            continue
        dropped.append(path)
    # deepest first, so a list item's fields go before the item itself
    return sorted(dropped, key=len, reverse=True)
