"""The three patch flavours as pure functions over JSON values: JSON patch (RFC 6902), JSON merge
patch (RFC 7386) and strategic merge patch (Kubernetes).

Inputs are never mutated; results may share unchanged sub-structures with the inputs (the
tracker stores deep copies).

Strategic merge patch follows the generated models' `x-kubernetes-patch-strategy` /
`x-kubernetes-patch-merge-key`: lists with strategy `merge` and a merge key are merged item by
item, `merge` lists of scalars are unions, other lists are replaced. Directives supported:
`$patch: replace|delete|merge` (maps and list items), `$retainKeys`,
`$deleteFromPrimitiveList/<field>`. `$setElementOrder/<field>` is accepted and ignored (items
keep the server's order, new ones are appended).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from kubetyped.errors import KubetypedError
from kubetyped.fake.schema import FieldSchema, Model, fields_of, inner_fields

__all__: list[str] = []


class PatchError(KubetypedError, ValueError):
    """A patch cannot be applied to the object (the fake answers 422)."""


class PatchFormatError(KubetypedError, ValueError):
    """A patch is malformed (the fake answers 400)."""


# --- RFC 7386 ------------------------------------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    """`target` with the JSON merge patch `patch` applied (RFC 7386: objects merge, null removes a
    key, anything else replaces). Inputs are not changed; the result may share unchanged parts with them.
    """
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


# --- RFC 6902 ------------------------------------------------------------------------------


def _pointer(path: Any) -> list[str]:
    if not isinstance(path, str) or (path and not path.startswith("/")):
        raise PatchFormatError(f"invalid JSON pointer {path!r}")
    if path == "":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _index(container: list[Any], token: str, path: str, *, for_add: bool) -> int:
    if for_add and token == "-":
        return len(container)
    if not token.isdigit() or (token != "0" and token.startswith("0")):
        raise PatchError(f"{path}: {token!r} is not an array index")
    index = int(token)
    if index > len(container) or (index == len(container) and not for_add):
        raise PatchError(f"{path}: index {index} is out of range")
    return index


def _parent(doc: Any, tokens: list[str], path: str) -> Any:
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict):
            if token not in node:
                raise PatchError(f"{path}: {token!r} does not exist")
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token, path, for_add=False)]
        else:
            raise PatchError(f"{path}: {token!r} is inside a scalar")
    return node


def _get(doc: Any, path: str) -> Any:
    tokens = _pointer(path)
    if not tokens:
        return doc
    parent, last = _parent(doc, tokens, path), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"{path}: does not exist")
        return parent[last]
    if isinstance(parent, list):
        return parent[_index(parent, last, path, for_add=False)]
    raise PatchError(f"{path}: parent is a scalar")


def _add(doc: Any, path: str, value: Any) -> Any:
    tokens = _pointer(path)
    if not tokens:
        return value
    parent, last = _parent(doc, tokens, path), tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, path, for_add=True), value)
    else:
        raise PatchError(f"{path}: parent is a scalar")
    return doc


def _remove(doc: Any, path: str) -> Any:
    tokens = _pointer(path)
    if not tokens:
        raise PatchError("cannot remove the whole document")
    parent, last = _parent(doc, tokens, path), tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchError(f"{path}: does not exist")
        del parent[last]
    elif isinstance(parent, list):
        del parent[_index(parent, last, path, for_add=False)]
    else:
        raise PatchError(f"{path}: parent is a scalar")
    return doc


def _replace(doc: Any, path: str, value: Any) -> Any:
    tokens = _pointer(path)
    if not tokens:
        return value
    _get(doc, path)  # must exist
    parent, last = _parent(doc, tokens, path), tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    else:
        parent[_index(parent, last, path, for_add=False)] = value
    return doc


def json_patch(doc: Any, operations: Any) -> Any:
    """Applies the operations in order to a copy of `doc`; all or nothing."""
    if not isinstance(operations, list):
        raise PatchFormatError("a JSON patch must be a list of operations")
    result = copy.deepcopy(doc)
    for number, op in enumerate(operations):
        if not isinstance(op, dict) or not isinstance(op.get("op"), str):
            raise PatchFormatError(f"operation {number} has no 'op'")
        kind, path = op["op"], op.get("path")
        if path is None:
            raise PatchFormatError(f"operation {number} ({kind}) has no 'path'")
        if kind in ("add", "replace", "test") and "value" not in op:
            raise PatchFormatError(f"operation {number} ({kind}) has no 'value'")
        if kind == "add":
            result = _add(result, path, copy.deepcopy(op["value"]))
        elif kind == "remove":
            result = _remove(result, path)
        elif kind == "replace":
            result = _replace(result, path, copy.deepcopy(op["value"]))
        elif kind in ("move", "copy"):
            source = op.get("from")
            if source is None:
                raise PatchFormatError(f"operation {number} ({kind}) has no 'from'")
            value = copy.deepcopy(_get(result, source))
            if kind == "move":
                if path != source and path.startswith(source + "/"):
                    raise PatchError(f"cannot move {source} into its own child {path}")
                result = _remove(result, source)
            result = _add(result, path, value)
        elif kind == "test":
            if _get(result, path) != op["value"]:
                raise PatchError(f"testing value {path} failed")
        else:
            raise PatchFormatError(f"operation {number}: unknown op {kind!r}")
    return result


# --- strategic merge patch ----------------------------------------------------------------


def strip_directives(value: Any) -> Any:
    """A patch fragment as plain data (directives dropped), for values added whole."""
    if isinstance(value, dict):
        return {
            k: strip_directives(v)
            for k, v in value.items()
            if not k.startswith("$") and v is not None
        }
    if isinstance(value, list):
        return [strip_directives(v) for v in value]
    return value


_DELETE = object()


def strategic_merge_patch(original: dict[str, Any], patch: Any, model: Model) -> dict[str, Any]:
    """`original` with the strategic merge patch `patch` applied, by the model's
    `x-kubernetes-patch-strategy`/`-merge-key` (apimachinery `strategicpatch.StrategicMergePatch`;
    directives as in the module docstring). Inputs are not changed. Raises `PatchFormatError` (the
    fake answers 400) for a patch that is not an object or has an unknown `$patch` directive.
    """
    if not isinstance(patch, dict):
        raise PatchFormatError("a strategic merge patch must be a JSON object")
    result = _merge_map(original, patch, fields_of(model))
    return {} if result is _DELETE else result


def _merge_map(original: Any, patch: dict[str, Any], field_of: Callable[[str], FieldSchema]) -> Any:
    directive = patch.get("$patch")
    if directive == "delete":
        return _DELETE
    if directive == "replace":
        return strip_directives(patch)
    if directive not in (None, "merge"):
        raise PatchFormatError(f"unknown $patch directive {directive!r}")
    result = dict(original) if isinstance(original, dict) else {}
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys") or key.startswith("$setElementOrder/"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            name = key.partition("/")[2]
            if isinstance(result.get(name), list) and isinstance(value, list):
                result[name] = [item for item in result[name] if item not in value]
            continue
        if value is None:
            result.pop(key, None)
            continue
        schema = field_of(key)
        if isinstance(value, dict):
            merged = _merge_map(result.get(key), value, inner_fields(schema))
            if merged is _DELETE:
                result.pop(key, None)
            else:
                result[key] = merged
        elif isinstance(value, list):
            result[key] = _merge_list(result.get(key), value, schema)
        else:
            result[key] = value
    retain = patch.get("$retainKeys")
    if isinstance(retain, list):
        result = {k: v for k, v in result.items() if k in retain}
    return result


def _merge_list(original: Any, patch: list[Any], schema: FieldSchema) -> list[Any]:
    current = list(original) if isinstance(original, list) else []
    if schema.merges_by_key:
        key = schema.patch_merge_key
        if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
            return [strip_directives(i) for i in patch if not _is_directive_only(i)]
        for item in patch:
            if not isinstance(item, dict):
                raise PatchError(f"list merged by {key!r} has a non-object item {item!r}")
            position = next(
                (
                    i
                    for i, old in enumerate(current)
                    if isinstance(old, dict) and old.get(key) == item.get(key)
                ),
                None,
            )
            if item.get("$patch") == "delete":
                if position is not None:
                    del current[position]
            elif position is not None:
                current[position] = _merge_map(
                    current[position], item, fields_of(schema.item_model)
                )
            else:
                current.append(strip_directives(item))
        return current
    if "merge" in schema.patch_strategy:  # a set of scalars
        return current + [item for item in patch if item not in current]
    return [strip_directives(i) for i in patch]


def _is_directive_only(item: Any) -> bool:
    return isinstance(item, dict) and set(item) == {"$patch"}
