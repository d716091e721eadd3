"""Where a spec comes from: a path (snapshot folder or archive, swagger file) or a version name.

The package ships one snapshot archive per supported Kubernetes minor
(``kubetyped_openapi/<major.minor>.tar.xz``, provenance in ``openapi/README.md``), so every
command that takes a snapshot path also takes ``1.31`` (or ``v1.31``, ``1.31.4``) and finds the
shipped one, like k8s-openapi's per-version features and lightkube-models' per-minor releases.
"""

from __future__ import annotations

import re
from pathlib import Path

import kubetyped_openapi
from kubetyped_codegen.errors import CodegenError
from kubetyped_codegen.layout import ARCHIVE_SUFFIX, is_snapshot, snapshot_name

#: The folder of the shipped snapshots (in a checkout: ``openapi/``).
SNAPSHOTS = Path(kubetyped_openapi.__file__).resolve().parent

_VERSION_NAME = re.compile(r"v?(\d+)\.(\d+)(?:\.\d+)?")


def version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split("."))


def snapshots_in(folder: Path) -> dict[str, Path]:
    """``{major.minor: path}`` of the snapshot folders and archives directly in ``folder``."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        name = snapshot_name(path)
        if re.fullmatch(r"\d+\.\d+", name) and is_snapshot(path):
            found.setdefault(name, path)
    return dict(sorted(found.items(), key=lambda item: version_key(item[0])))


def shipped_versions() -> list[str]:
    """The Kubernetes minors with a shipped snapshot, oldest first (``["1.30", ...]``)."""
    return list(snapshots_in(SNAPSHOTS))


def version_name(value: str) -> str | None:
    """``"1.31"``, ``"v1.31"``, ``"1.31.4"`` -> ``"1.31"``; anything else -> ``None``."""
    match = _VERSION_NAME.fullmatch(value.strip())
    return f"{match.group(1)}.{match.group(2)}" if match else None


def shipped_snapshot(version: str) -> Path:
    """The shipped snapshot of a Kubernetes minor; ``CodegenError`` lists the shipped ones."""
    name = version_name(version)
    shipped = snapshots_in(SNAPSHOTS)
    if name is None or name not in shipped:
        raise CodegenError(
            f"no shipped snapshot for Kubernetes {version!r}; shipped: "
            f"{', '.join(shipped) or 'none'} (or snapshot your cluster: `kubetyped snapshot`)"
        )
    return shipped[name]


def latest_snapshot() -> Path:
    """The newest shipped snapshot."""
    shipped = snapshots_in(SNAPSHOTS)
    if not shipped:
        raise CodegenError(
            f"no snapshot under {SNAPSHOTS}; run `kubetyped snapshot` or pass --spec"
        )
    return shipped[max(shipped, key=version_key)]


def resolve_spec(value: str | Path) -> Path:
    """A spec argument -> a path: an existing path as given, else a shipped version name.

    A folder that holds snapshots but is not one raises ``CodegenError`` naming them.
    """
    path = Path(value)
    if path.exists():
        if path.is_dir() and not is_snapshot(path):
            inside = snapshots_in(path)
            if inside:
                raise CodegenError(
                    f"{path}: not a snapshot folder but holds the snapshots "
                    f"{', '.join(inside)}; pass one of: "
                    + ", ".join(str(p) for p in inside.values())
                )
        return path
    if version_name(str(value)) is not None:
        return shipped_snapshot(str(value))
    if not path.name.endswith(ARCHIVE_SUFFIX):
        raise CodegenError(
            f"{path}: no such file or folder, and not a Kubernetes version "
            f"(shipped: {', '.join(shipped_versions())})"
        )
    raise CodegenError(f"{path}: no such file")


__all__ = [
    "SNAPSHOTS",
    "latest_snapshot",
    "resolve_spec",
    "shipped_snapshot",
    "shipped_versions",
    "snapshots_in",
    "version_name",
]
