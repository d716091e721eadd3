"""Compare two APIs (IR) into a sorted ``DiffResult``."""

from __future__ import annotations

from kubetyped_codegen.diff.changes import Change, DiffResult
from kubetyped_codegen.diff.compare_api import by_group_version, compare_group_versions
from kubetyped_codegen.diff.compare_schemas import compare_schemas
from kubetyped_codegen.ir import ApiSpec


def version_label(spec: ApiSpec) -> str:
    """How a report names the API version of `spec`: its `/version` gitVersion (`v1.35.0`), else
    `major.minor`.
    """
    info = spec.version_info
    return info.git_version or info.major_minor


def diff_specs(old: ApiSpec, new: ApiSpec) -> DiffResult:
    """Every change from ``old`` to ``new``, sorted by group, version, kind and path."""
    changes: list[Change] = list(compare_group_versions(old, new))
    before, after = by_group_version(old), by_group_version(new)
    one_sided = set(before.keys() ^ after.keys())
    changes += compare_schemas(old, new, one_sided)
    return DiffResult(
        version_label(old), version_label(new), tuple(sorted(changes, key=Change.sort_key))
    )
