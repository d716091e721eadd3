"""Convert an OpenAPI v2 (swagger) document into per-group-version OpenAPI v3 documents.

The result mirrors what ``/openapi/v3/<gv>`` serves: each document holds the paths of one
group-version and the component schemas reachable from them; refs point to
``#/components/schemas/``; a ref carrying a description is wrapped in ``allOf``; a body
parameter becomes ``requestBody``; responses list one content entry per produced MIME type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubetyped_codegen.layout import gv_openapi_path
from kubetyped_codegen.load_v2 import HTTP_METHODS

V2_PREFIX = "#/definitions/"
V3_PREFIX = "#/components/schemas/"


def to_v3_schema(value: Any) -> Any:
    """A swagger (v2) schema rewritten for OpenAPI v3: `$ref`s point to `#/components/schemas/`, and
    a ref with sibling keys (a description) becomes `allOf: [{$ref}]` as the apiserver's v3
    documents write it. Recurses through lists and maps; the input is not changed.
    """
    if isinstance(value, list):
        return [to_v3_schema(v) for v in value]
    if not isinstance(value, Mapping):
        return value
    out = {
        k: {n: to_v3_schema(p) for n, p in v.items()} if k == "properties" else to_v3_schema(v)
        for k, v in value.items()
        if k != "$ref"
    }
    ref = value.get("$ref")
    if isinstance(ref, str):
        target = V3_PREFIX + ref[len(V2_PREFIX) :] if ref.startswith(V2_PREFIX) else ref
        if out:
            out["allOf"] = [{"$ref": target}]
        else:
            out["$ref"] = target
    return out


def _parameter(raw: Mapping[str, Any], shared: Mapping[str, Any]) -> dict[str, Any]:
    ref = raw.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/parameters/"):
        raw = shared[ref[len("#/parameters/") :]]
    param = {k: raw[k] for k in ("name", "in", "description", "required") if k in raw}
    schema = {k: raw[k] for k in ("type", "format", "items", "uniqueItems") if k in raw}
    param["schema"] = to_v3_schema(raw.get("schema", schema))
    return param


def _operation(op: Mapping[str, Any], shared: Mapping[str, Any]) -> dict[str, Any]:
    out = {
        k: v
        for k, v in op.items()
        if k not in ("parameters", "responses", "consumes", "produces", "schemes")
    }
    params = [_parameter(p, shared) for p in op.get("parameters", ())]
    body = next((p for p in params if p["in"] == "body"), None)
    if body is not None:
        params.remove(body)
        content = {mime: {"schema": body["schema"]} for mime in op.get("consumes", ("*/*",))}
        out["requestBody"] = {"content": content, "required": bool(body.get("required"))}
    if params:
        out["parameters"] = params
    responses: dict[str, Any] = {}
    for code, response in op.get("responses", {}).items():
        entry: dict[str, Any] = {"description": response.get("description", "")}
        if "schema" in response:
            schema = to_v3_schema(response["schema"])
            entry["content"] = {
                mime: {"schema": schema} for mime in op.get("produces", ("application/json",))
            }
        responses[code] = entry
    out["responses"] = responses
    return out


def _reachable(value: Any, definitions: Mapping[str, Any], seen: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _reachable(item, definitions, seen)
    elif isinstance(value, Mapping):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(V3_PREFIX):
            name = ref[len(V3_PREFIX) :]
            if name not in seen and name in definitions:
                seen.add(name)
                _reachable(definitions[name], definitions, seen)
        for item in value.values():
            _reachable(item, definitions, seen)


_ROOT_DOCUMENTS = {"/api/": "api", "/apis/": "apis", "/version/": "version"}


def document_for_path(path: str) -> str | None:
    """The ``/openapi/v3`` document serving ``path``; None for those not snapshotted."""
    if path in _ROOT_DOCUMENTS:
        return _ROOT_DOCUMENTS[path]
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"] or (parts[:1] == ["apis"] and len(parts) >= 3):
        return gv_openapi_path(*(("", "v1") if parts[0] == "api" else (parts[1], parts[2])))
    return None


def convert(swagger: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"apis/apps/v1": <v3 document>, ...}`` per group-version, plus ``api``, ``apis``, ``version``."""
    shared = swagger.get("parameters", {})
    definitions = {k: to_v3_schema(v) for k, v in swagger["definitions"].items()}
    paths_by_gv: dict[str, dict[str, Any]] = {}
    for path, item in sorted(swagger["paths"].items()):
        document = document_for_path(path)
        if document is None:
            continue
        converted: dict[str, Any] = {}
        for method in HTTP_METHODS:
            if method in item:
                converted[method] = _operation(item[method], shared)
        if "parameters" in item:
            converted["parameters"] = [_parameter(p, shared) for p in item["parameters"]]
        paths_by_gv.setdefault(document, {})[path] = converted
    documents: dict[str, dict[str, Any]] = {}
    for gv_path, paths in paths_by_gv.items():
        seen: set[str] = set()
        _reachable(paths, definitions, seen)
        documents[gv_path] = {
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": "unversioned"},
            "paths": paths,
            "components": {"schemas": {name: definitions[name] for name in sorted(seen)}},
        }
    return documents
