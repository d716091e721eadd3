"""Resources per group-version -> ordered ``Group``/``GroupVersion`` IR."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kubetyped_codegen.ir import Group, GroupVersion, Resource
from kubetyped_codegen.naming import (
    NameRegistry,
    group_python_names,
    group_version_python_name,
)

_KUBE_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")
_STABILITY = {None: 3, "beta": 2, "alpha": 1}


def version_priority(version: str) -> tuple[int, int, int, int, str]:
    """Sort key: GA before beta before alpha, higher numbers first (kube-aware order)."""
    match = _KUBE_VERSION.match(version)
    if not match:
        return (1, 0, 0, 0, version)  # non-kube versions last, alphabetically
    major, stability, minor = match.groups()
    return (0, -_STABILITY[stability], -int(major), -int(minor or 0), "")


def sort_versions(versions: Sequence[str]) -> list[str]:
    """Versions in Kubernetes preference order (``v1``, ``v1beta2``, ``v1beta1``, ``v1alpha1``)."""
    return sorted(versions, key=version_priority)


def build_groups(
    resources: Mapping[tuple[str, str], tuple[Resource, ...]],
    version_order: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Group, ...]:
    """Groups sorted by name (core first); versions in preference order, the first preferred.

    ``version_order`` (from discovery) gives each group's versions in server preference
    order; without it the kube-aware version priority decides.
    """
    by_group: dict[str, list[str]] = {}
    for group, version in resources:
        by_group.setdefault(group, []).append(version)
    names = group_python_names(by_group)
    accessors = NameRegistry("group-version modules")
    groups = []
    for group in sorted(by_group):
        order = list((version_order or {}).get(group, ()))
        known = [v for v in order if v in by_group[group]]
        rest = sort_versions([v for v in by_group[group] if v not in known])
        ordered = known + rest
        versions = []
        for index, version in enumerate(ordered):
            python = group_version_python_name(names[group], version)
            accessors.claim(python, f"{group}/{version}" if group else version)
            versions.append(
                GroupVersion(
                    group=group,
                    version=version,
                    python_name=python,
                    resources=resources[(group, version)],
                    preferred=index == 0,
                )
            )
        groups.append(Group(name=group, python_name=names[group], versions=tuple(versions)))
    return tuple(groups)
