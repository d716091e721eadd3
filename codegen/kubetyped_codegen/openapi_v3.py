"""OpenAPI v3 documents of a snapshot: reading them, their operations, and the v2 shape.

v3 schemas are normalised to the v2 shape before the shared schema builder sees them
(``normalise``): ``#/components/schemas/X`` refs become ``#/definitions/X``, a single-``$ref``
``allOf`` wrapper (v3's way of attaching a description or default to a ref) is unwrapped, and
the v3 ``oneOf`` spellings of IntOrString / Quantity become their v2 ``type``/``format`` form.
Defaults and examples are dropped (the IR has no defaults for built-in types).

Both the snapshot loader (``load_v3``) and the CRD pipeline (``crd.spec``, ``crd.cluster``)
read documents through this module, which imports neither of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from kubetyped_codegen.errors import SpecError
from kubetyped_codegen.ir import VersionInfo
from kubetyped_codegen.layout import OPENAPI_V3_DIR, VERSION_FILE, read_snapshot
from kubetyped_codegen.load_v2 import kubernetes_operations, ok_response
from kubetyped_codegen.resources import Operation
from kubetyped_codegen.schemas import DEFINITIONS_PREFIX

COMPONENTS_PREFIX = "#/components/schemas/"
_DROPPED = frozenset({"default", "example"})


def _oneof_types(raw: Mapping[str, Any]) -> set[str] | None:
    """The types of a ``oneOf``/``anyOf`` made only of distinct ``{"type": T}`` options."""
    options = raw.get("oneOf") or raw.get("anyOf")
    if not isinstance(options, list) or not options:
        return None
    types = [o.get("type") if isinstance(o, Mapping) else None for o in options]
    if not all(isinstance(t, str) for t in types) or len(set(types)) != len(types):
        return None
    return {str(t) for t in types}


def normalise(value: Any) -> Any:
    """A v3 schema fragment in its v2 shape (see the module docstring)."""
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in _DROPPED:
            continue
        if key == "$ref" and isinstance(item, str) and item.startswith(COMPONENTS_PREFIX):
            out[key] = DEFINITIONS_PREFIX + item[len(COMPONENTS_PREFIX) :]
        elif key in ("properties", "definitions") and isinstance(item, Mapping):
            out[key] = {k: normalise(v) for k, v in item.items()}
        else:
            out[key] = normalise(item)
    all_of = out.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and set(all_of[0]) == {"$ref"}:
        del out["allOf"]
        out["$ref"] = all_of[0]["$ref"]
    types = _oneof_types(out)
    if types in ({"integer", "string"}, {"number", "string"}) and "type" not in out:
        for key in ("oneOf", "anyOf"):
            out.pop(key, None)
        out["type"] = "string"
        if types == {"integer", "string"}:
            out["format"] = "int-or-string"
    return out


def _content_schema(content: Any) -> Any:
    if not isinstance(content, Mapping) or not content:
        return None
    for mime in ("application/json", "*/*", "text/plain"):
        if mime in content:
            return content[mime].get("schema")
    return next(iter(content.values())).get("schema")


def _v3_response_schema(op: Mapping[str, Any]) -> Any:
    return _content_schema(ok_response(op).get("content"))


def _v3_body_schema(op: Mapping[str, Any]) -> Any:
    return _content_schema(op.get("requestBody", {}).get("content"))


def v3_operations(paths: Mapping[str, Any]) -> Iterator[Operation]:
    """The Kubernetes operations (``x-kubernetes-action``) of a v3 document's ``paths``."""
    return kubernetes_operations(paths, _v3_response_schema, _v3_body_schema, COMPONENTS_PREFIX)


def parse_json(data: bytes, source: str) -> Any:
    """The JSON value of a snapshot file; ``SpecError`` naming ``source`` when invalid."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise SpecError(f"invalid JSON: {error}", source=source) from None


def read_version(snapshot: Path, files: Mapping[str, bytes] | None = None) -> VersionInfo:
    """The Kubernetes version a snapshot (folder or archive) was taken from."""
    files = read_snapshot(snapshot) if files is None else files
    source = str(snapshot / VERSION_FILE)
    if VERSION_FILE not in files:
        raise SpecError("no version.json", source=str(snapshot))
    raw = parse_json(files[VERSION_FILE], source)
    try:
        return VersionInfo(
            str(raw["major"]), str(raw["minor"]).rstrip("+"), str(raw.get("gitVersion", ""))
        )
    except (KeyError, TypeError):
        raise SpecError("version.json lacks major/minor", source=source) from None


def v3_documents(snapshot: Path, files: Mapping[str, bytes]) -> Iterator[tuple[str, Any]]:
    """``(source, document)`` of each OpenAPI v3 document of a snapshot, in name order."""
    prefix = OPENAPI_V3_DIR + "/"
    names = sorted(n for n in files if n.startswith(prefix) and n.endswith(".json"))
    if not names:
        raise SpecError("no OpenAPI v3 documents", source=str(snapshot / OPENAPI_V3_DIR))
    for name in names:
        source = str(snapshot / name)
        document = parse_json(files[name], source)
        if not str(document.get("openapi", "")).startswith("3."):
            raise SpecError("not an OpenAPI v3 document", source=source)
        yield source, document
