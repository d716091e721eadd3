"""One side of a diff -> IR: a snapshot (folder, archive or shipped version name such as
``1.35``), a swagger file, CRD YAML, or a live cluster."""

from __future__ import annotations

import tempfile
from pathlib import Path

from kubetyped.codegen.errors import CodegenError
from kubetyped.codegen.ir import ApiSpec
from kubetyped.codegen.layout import is_snapshot
from kubetyped.codegen.load_v2 import load_v2
from kubetyped.codegen.load_v3 import load_v3
from kubetyped.codegen.specs import resolve_spec

YAML_SUFFIXES = (".yaml", ".yml")


def load_snapshot(path: Path) -> ApiSpec:
    """A snapshot folder or archive (``load_v3`` keeps the enums the diff compares)."""
    return load_v3(path)


def load_side(value: Path | str) -> ApiSpec:
    """A snapshot (folder, archive, version name), a swagger JSON file, or CRD YAML."""
    path = Path(value)
    if not path.exists() and path.suffix not in YAML_SUFFIXES:
        path = resolve_spec(value)
    if is_snapshot(path):
        return load_snapshot(path)
    if path.is_dir():
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
