"""One side of a diff -> IR: a snapshot folder, a swagger file, CRD YAML, or a live cluster."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kubetyped.codegen.errors import CodegenError
from kubetyped.codegen.ir import ApiSpec, Schema
from kubetyped.codegen.layout import OPENAPI_V3_DIR, is_snapshot
from kubetyped.codegen.load_v2 import load_v2, read_json
from kubetyped.codegen.load_v3 import load_v3

YAML_SUFFIXES = (".yaml", ".yml")


def attach_enums(spec: ApiSpec, snapshot: Path) -> ApiSpec:
    """``load_v3`` drops enums; put the v3 documents' property enums back into the IR."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for file in sorted((snapshot / OPENAPI_V3_DIR).glob("*.json")):
        schemas: Mapping[str, Any] = read_json(file).get("components", {}).get("schemas", {})
        for name, raw in schemas.items():
            for wire, prop in (raw.get("properties") or {}).items():
                if isinstance(prop, Mapping) and isinstance(prop.get("enum"), list):
                    found.setdefault(name, {})[wire] = tuple(str(v) for v in prop["enum"])
    schemas_out: dict[str, Schema] = dict(spec.schemas)
    for name, enums in found.items():
        schema = schemas_out.get(name)
        if schema is None:
            continue
        properties = tuple(
            dataclasses.replace(p, enum=enums[p.wire_name]) if p.wire_name in enums else p
            for p in schema.properties
        )
        schemas_out[name] = dataclasses.replace(schema, properties=properties)
    return ApiSpec(spec.version_info, spec.groups, schemas_out)


def load_snapshot(path: Path) -> ApiSpec:
    return attach_enums(load_v3(path), path)


def load_side(path: Path) -> ApiSpec:
    """A snapshot folder, a swagger JSON file, or CRD YAML (a file or a folder of files)."""
    if path.is_dir():
        if is_snapshot(path):
            return load_snapshot(path)
        if any(p.suffix in YAML_SUFFIXES for p in path.iterdir()):
            return _load_crds(path)
        raise CodegenError(f"{path}: neither a snapshot folder (openapi-v3/) nor CRD YAML files")
    if not path.is_file():
        raise CodegenError(f"{path}: no such file or folder")
    if path.suffix in YAML_SUFFIXES:
        return _load_crds(path)
    return load_v2(path)


def _load_crds(path: Path) -> ApiSpec:
    from kubetyped.codegen.crd.spec import spec_from_crd_files

    return spec_from_crd_files([path])


def load_cluster(kubeconfig: Path, context: str | None) -> ApiSpec:
    """Snapshot a live apiserver into a temporary folder and load it."""
    from kubetyped.codegen.snapshot import snapshot_from_cluster

    with tempfile.TemporaryDirectory(prefix="kubetyped-diff-") as tmp:
        snapshot = snapshot_from_cluster(kubeconfig, context, Path(tmp) / "snapshot", Path(tmp))
        return load_snapshot(snapshot)
