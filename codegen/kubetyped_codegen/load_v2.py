"""OpenAPI v2 (swagger) -> IR.

Differences from the v3 snapshot loader, by nature of the input:
- v2 has no short names or categories: they stay empty unless discovery documents are given.
- v2 has no preferred-version information: the kube-aware version priority decides.
- The Kubernetes version comes from the caller or a ``swagger-<major>.<minor>.json`` file name
  (``info.version`` is ``unversioned``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from kubetyped_codegen import discovery
from kubetyped_codegen.assemble import build_groups
from kubetyped_codegen.errors import SpecError
from kubetyped_codegen.fixups import apply_fixups
from kubetyped_codegen.ir import GVK, ApiSpec, VersionInfo
from kubetyped_codegen.naming import ref_name
from kubetyped_codegen.resources import Operation, analyse
from kubetyped_codegen.schemas import DEFINITIONS_PREFIX, build_schemas

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_FILE_VERSION = re.compile(r"(\d+)\.(\d+)")
UNKNOWN_VERSION = VersionInfo("0", "0", "unknown")


def read_json(path: Path) -> Any:
    """The JSON of a spec file; ``SpecError`` naming the file when unreadable or invalid."""
    try:
        return orjson.loads(path.read_bytes())
    except OSError as error:
        raise SpecError(f"cannot read: {error.strerror}", source=str(path)) from None
    except orjson.JSONDecodeError as error:
        raise SpecError(f"invalid JSON: {error}", source=str(path)) from None


def version_from_filename(path: Path) -> VersionInfo | None:
    """``swagger-1.36.json`` -> Kubernetes 1.36; None when the name carries no version."""
    match = _FILE_VERSION.search(path.name)
    if not match:
        return None
    major, minor = match.groups()
    return VersionInfo(major, minor, f"v{major}.{minor}")


def operation_gvk(op: Mapping[str, Any]) -> GVK | None:
    """The ``x-kubernetes-group-version-kind`` of an operation, None without one."""
    raw = op.get("x-kubernetes-group-version-kind")
    if not raw:
        return None
    return GVK(str(raw.get("group", "")), str(raw["version"]), str(raw["kind"]))


def schema_ref(schema: Any, prefix: str) -> str | None:
    """The definition a ``{"$ref": "<prefix><name>"}`` schema names, None for anything else."""
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return ref_name(schema["$ref"], prefix)
    return None


def ok_response(op: Mapping[str, Any]) -> Mapping[str, Any]:
    """An operation's 200 (else 201) response object, ``{}`` without one."""
    responses = op.get("responses", {})
    ok: Mapping[str, Any] = responses.get("200") or responses.get("201") or {}
    return ok


def kubernetes_operations(
    paths: Mapping[str, Any],
    response_schema: Callable[[Mapping[str, Any]], Any],
    body_schema: Callable[[Mapping[str, Any]], Any],
    ref_prefix: str,
) -> Iterator[Operation]:
    """The operations that carry `x-kubernetes-action`; the two OpenAPI versions differ only in
    where an operation keeps its response and body schemas and how their `$ref`s start."""
    for path, item in paths.items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if not op or "x-kubernetes-action" not in op:
                continue
            schema = response_schema(op)
            yield Operation(
                path=path,
                method=method,
                action=str(op["x-kubernetes-action"]),
                gvk=operation_gvk(op),
                response_ref=schema_ref(schema, ref_prefix),
                response_is_text=isinstance(schema, Mapping) and schema.get("type") == "string",
                body_ref=schema_ref(body_schema(op), ref_prefix),
            )


def _v2_body_schema(op: Mapping[str, Any]) -> Any:
    body = next((p for p in op.get("parameters", ()) if p.get("in") == "body"), None)
    return body.get("schema") if body else None


def v2_operations(paths: Mapping[str, Any]) -> Iterator[Operation]:
    """The Kubernetes operations (``x-kubernetes-action``) of a swagger document's ``paths``."""
    return kubernetes_operations(
        paths, lambda op: ok_response(op).get("schema"), _v2_body_schema, DEFINITIONS_PREFIX
    )


def load_v2_document(
    document: dict[str, Any],
    version: VersionInfo | None = None,
    discovery_documents: Sequence[Mapping[str, Any]] = (),
    source: str = "swagger",
) -> ApiSpec:
    """The IR of a parsed swagger (OpenAPI v2) document; ``version`` overrides its
    ``info.version``, ``discovery_documents`` (aggregated discovery) add what swagger lacks
    (short names, categories, preferred versions). ``SpecError`` names ``source`` on bad input.
    """
    if not isinstance(document.get("definitions"), dict) or "paths" not in document:
        raise SpecError("not an OpenAPI v2 document (no definitions/paths)", source=source)
    definitions = document["definitions"]
    apply_fixups(definitions, version)
    schemas = build_schemas(definitions)
    path_resources = analyse(v2_operations(document["paths"]), schemas)
    if discovery_documents:
        found = discovery.parse(discovery_documents, path_resources, schemas, source)
        groups = build_groups(found.resources, found.version_order)
    else:
        groups = build_groups(path_resources)
    return ApiSpec(version or UNKNOWN_VERSION, groups, schemas)


def load_v2(
    path: Path,
    version: VersionInfo | None = None,
    discovery_documents: Sequence[Mapping[str, Any]] = (),
) -> ApiSpec:
    """Load a swagger file; the version defaults to the one in its file name."""
    document = read_json(path)
    return load_v2_document(
        document, version or version_from_filename(path), discovery_documents, str(path)
    )
