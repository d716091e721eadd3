"""A snapshot folder or archive (OpenAPI v3 per group-version + aggregated discovery) -> IR.

The documents are read and normalised to the v2 shape by ``openapi_v3``; enums are kept
(``Property.enum``), defaults are not part of the IR.

Components with nested anonymous object schemas (the CRDs a cluster serves) are flattened by
the CRD hoister, so their nested types get the names CRD generation gives them
(``Certificate.spec.privateKey`` -> ``CertificateSpecPrivateKey``).

Without discovery documents resources come from the paths alone, as for v2.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kubetyped_codegen import discovery
from kubetyped_codegen.assemble import build_groups
from kubetyped_codegen.crd.spec import hoist_crds
from kubetyped_codegen.fixups import apply_fixups
from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.layout import DISCOVERY_DIR, DISCOVERY_FILES, read_snapshot
from kubetyped_codegen.openapi_v3 import parse_json, read_version, v3_documents, v3_operations
from kubetyped_codegen.resources import Operation, analyse
from kubetyped_codegen.schemas import build_schemas


def _nests_objects(schema: Any) -> bool:
    """Whether ``schema`` is or contains an object schema with properties."""
    if not isinstance(schema, Mapping):
        return False
    if schema.get("properties"):
        return True
    parts = [schema.get("items"), schema.get("additionalProperties"), *(schema.get("allOf") or ())]
    return any(_nests_objects(p) for p in parts)


def needs_hoisting(raw: Mapping[str, Any]) -> bool:
    """Whether a component has inline object schemas below it (CRDs do; built-in types never)."""
    parts = [raw, *(p for p in raw.get("allOf") or () if isinstance(p, Mapping))]
    return any(
        _nests_objects(prop) for part in parts for prop in (part.get("properties") or {}).values()
    )


def flatten(
    components: Mapping[str, Mapping[str, Any]], sources: Mapping[str, str]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """v2-shaped definitions of every component (nested object schemas hoisted) and the
    modules of the CRD definitions (by their group and version)."""
    roots = [name for name, raw in components.items() if needs_hoisting(raw)]
    origins = {name: (sources.get(name, ""), name) for name in roots}
    result = hoist_crds(components, roots, origins)
    return result.definitions, result.modules


def load_v3(snapshot: Path) -> ApiSpec:
    """Load a snapshot folder or archive written by ``kubetyped snapshot``."""
    files = read_snapshot(snapshot)
    components: dict[str, Mapping[str, Any]] = {}
    sources: dict[str, str] = {}
    operations: list[Operation] = []
    for source, document in v3_documents(snapshot, files):
        for name, raw in document.get("components", {}).get("schemas", {}).items():
            components.setdefault(name, raw)
            sources.setdefault(name, source)
        operations.extend(v3_operations(document.get("paths", {})))
    definitions, modules = flatten(components, sources)
    version = read_version(snapshot, files)
    apply_fixups(definitions, version)
    schemas = build_schemas(definitions, modules)
    path_resources = analyse(operations, schemas)
    discovery_names = [f"{DISCOVERY_DIR}/{n}" for n in DISCOVERY_FILES]
    if all(n in files for n in discovery_names):
        docs = [parse_json(files[n], str(snapshot / n)) for n in discovery_names]
        found = discovery.parse(docs, path_resources, schemas, str(snapshot / DISCOVERY_DIR))
        groups = build_groups(found.resources, found.version_order)
    else:
        groups = build_groups(path_resources)
    return ApiSpec(version, groups, schemas)
