"""Legacy discovery documents of the fake apiserver, built from its registry.

`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>` and `/version`, so discovery, the
RESTMapper and the dynamic client's `resource_for_kind` work against the fake. The first
registered version of a group is its preferred version.
"""

from __future__ import annotations

from typing import Any

from kubetyped.discovery.model import APIResource, APISubresource, group_version
from kubetyped.discovery.parse import to_resource_list
from kubetyped.fake.registry import ResourceRegistry
from kubetyped.typed.resource import ResourceInfo

__all__: list[str] = []

VERSION = {
    "major": "1",
    "minor": "36",
    "gitVersion": "v1.36.0-kubetyped-fake",
    "platform": "fake",
}


def _versions(registry: ResourceRegistry) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for info in registry:
        versions = groups.setdefault(info.group, [])
        if info.version not in versions:
            versions.append(info.version)
    return groups


def _api_resource(info: ResourceInfo) -> APIResource:
    subresources = tuple(
        APISubresource(sub, info.kind, info.group, info.version, ("get", "patch", "update"))
        for sub in sorted(info.subresources)
    )
    return APIResource(
        info.group,
        info.version,
        info.plural,
        info.kind,
        info.namespaced,
        singular_name=info.singular,
        verbs=tuple(sorted(info.verbs)),
        short_names=tuple(info.short_names),
        categories=tuple(info.categories),
        subresources=subresources,
    )


def discovery_document(path: str, registry: ResourceRegistry) -> dict[str, Any] | None:
    """The document at `path`, or None when `path` is not a discovery path."""
    parts = path.strip("/").split("/")
    groups = _versions(registry)
    if parts == ["version"]:
        return VERSION
    if parts == ["api"]:
        return {"kind": "APIVersions", "versions": groups.get("", [])}
    if parts == ["apis"]:
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [
                {
                    "name": group,
                    "versions": [{"groupVersion": f"{group}/{v}", "version": v} for v in versions],
                    "preferredVersion": {
                        "groupVersion": f"{group}/{versions[0]}",
                        "version": versions[0],
                    },
                }
                for group, versions in sorted(groups.items())
                if group
            ],
        }
    if len(parts) == 2 and parts[0] == "api":
        group, version = "", parts[1]
    elif len(parts) == 3 and parts[0] == "apis":
        group, version = parts[1], parts[2]
    else:
        return None
    if version not in groups.get(group, []):
        return None
    served = [info for info in registry if info.group == group and info.version == version]
    return to_resource_list(group_version(group, version), [_api_resource(i) for i in served])
