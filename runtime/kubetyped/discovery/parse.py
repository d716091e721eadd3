"""Sans-IO parsing of discovery documents (already decoded JSON) into the discovery model.

Aggregated discovery (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`) from `/api` and `/apis`;
legacy discovery from `/api` (`APIVersions`), `/apis` (`APIGroupList`) and per group version
`APIResourceList`. `to_group_list` and `to_resource_list` write a snapshot back in the legacy
shape, which is what the disk cache stores (the same files kubectl keeps); `from_legacy_documents`
reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kubetyped.discovery.errors import DiscoveryDocumentError
from kubetyped.discovery.model import (
    APIGroup,
    APIResource,
    APISubresource,
    Discovery,
    ServerVersion,
    group_version,
    split_group_version,
)

__all__ = ["AGGREGATED_ACCEPT"]

AGGREGATED_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
)
AGGREGATED_KIND = "APIGroupDiscoveryList"


def is_aggregated(content_type: str, document: Mapping[str, Any]) -> bool:
    """True when the server answered with aggregated discovery rather than the legacy document."""
    return f"as={AGGREGATED_KIND}" in content_type.replace(" ", "") or (
        document.get("kind") == AGGREGATED_KIND
    )


def _mapping(value: Any, document: str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DiscoveryDocumentError(
            document, f"{where} must be an object, got {type(value).__name__}"
        )
    return value


def _list(value: Any, document: str, where: str) -> Sequence[Any]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DiscoveryDocumentError(
            document, f"{where} must be a list, got {type(value).__name__}"
        )
    return value


def _str(value: Any, document: str, where: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise DiscoveryDocumentError(document, f"{where} must be a non-empty string, got {value!r}")
    return value


def _strings(value: Any, document: str, where: str) -> tuple[str, ...]:
    return tuple(
        _str(v, document, f"{where}[{i}]") for i, v in enumerate(_list(value, document, where))
    )


# -- /version --------------------------------------------------------------------------------


def parse_version(document: Any) -> ServerVersion:
    """The `/version` document as a `ServerVersion`; `DiscoveryDocumentError` when it is not an object
    or `gitVersion` is missing.
    """
    doc = _mapping(document, "/version", "document")
    return ServerVersion(
        major=_str(doc.get("major"), "/version", "major", required=False),
        minor=_str(doc.get("minor"), "/version", "minor", required=False),
        git_version=_str(doc.get("gitVersion"), "/version", "gitVersion"),
        git_commit=_str(doc.get("gitCommit"), "/version", "gitCommit", required=False),
        platform=_str(doc.get("platform"), "/version", "platform", required=False),
        raw={k: v for k, v in doc.items() if isinstance(v, str)},
    )


# -- aggregated discovery --------------------------------------------------------------------


def _response_kind(
    value: Any, document: str, where: str, group: str, version: str
) -> tuple[str, str, str]:
    kind = _mapping(value, document, where)
    return (
        kind.get("group") or group,
        kind.get("version") or version,
        _str(kind.get("kind"), document, f"{where}.kind"),
    )


def parse_aggregated(
    document: Any, source: str
) -> tuple[list[APIGroup], dict[str, tuple[APIResource, ...]], dict[str, str]]:
    """An `APIGroupDiscoveryList` → (groups, resources by group version, stale group versions)."""
    doc = _mapping(document, source, "document")
    groups: list[APIGroup] = []
    resources: dict[str, tuple[APIResource, ...]] = {}
    failed: dict[str, str] = {}
    for i, item in enumerate(_list(doc.get("items"), source, "items")):
        where = f"items[{i}]"
        item = _mapping(item, source, where)
        metadata = _mapping(item.get("metadata") or {}, source, f"{where}.metadata")
        group = _str(metadata.get("name"), source, f"{where}.metadata.name", required=False)
        versions: list[str] = []
        for j, entry in enumerate(_list(item.get("versions"), source, f"{where}.versions")):
            vwhere = f"{where}.versions[{j}]"
            entry = _mapping(entry, source, vwhere)
            version = _str(entry.get("version"), source, f"{vwhere}.version")
            versions.append(version)
            gv = group_version(group, version)
            if entry.get("freshness", "Current") == "Stale":
                failed[gv] = "the server reports stale discovery for this group version"
                continue
            resources[gv] = tuple(
                _aggregated_resource(r, source, f"{vwhere}.resources[{k}]", group, version)
                for k, r in enumerate(_list(entry.get("resources"), source, f"{vwhere}.resources"))
            )
        if versions:
            groups.append(APIGroup(group, tuple(versions)))
    return groups, resources, failed


def _aggregated_resource(
    value: Any, source: str, where: str, group: str, version: str
) -> APIResource:
    entry = _mapping(value, source, where)
    _, _, kind = _response_kind(
        entry.get("responseKind"), source, f"{where}.responseKind", group, version
    )
    scope = entry.get("scope")
    if scope not in ("Namespaced", "Cluster"):
        raise DiscoveryDocumentError(
            source, f"{where}.scope must be Namespaced or Cluster, got {scope!r}"
        )
    subresources = []
    for k, sub in enumerate(_list(entry.get("subresources"), source, f"{where}.subresources")):
        swhere = f"{where}.subresources[{k}]"
        sub = _mapping(sub, source, swhere)
        sgroup, sversion, skind = (
            _response_kind(sub["responseKind"], source, f"{swhere}.responseKind", group, version)
            if sub.get("responseKind")
            else (group, version, kind)
        )
        subresources.append(
            APISubresource(
                name=_str(sub.get("subresource"), source, f"{swhere}.subresource"),
                kind=skind,
                group=sgroup,
                version=sversion,
                verbs=_strings(sub.get("verbs"), source, f"{swhere}.verbs"),
            )
        )
    return APIResource(
        group=group,
        version=version,
        name=_str(entry.get("resource"), source, f"{where}.resource"),
        kind=kind,
        namespaced=scope == "Namespaced",
        singular_name=_str(
            entry.get("singularResource"), source, f"{where}.singularResource", required=False
        ),
        verbs=_strings(entry.get("verbs"), source, f"{where}.verbs"),
        short_names=_strings(entry.get("shortNames"), source, f"{where}.shortNames"),
        categories=_strings(entry.get("categories"), source, f"{where}.categories"),
        subresources=tuple(subresources),
    )


# -- legacy discovery ------------------------------------------------------------------------


def parse_api_versions(document: Any) -> APIGroup:
    """`/api` (`APIVersions`) → the core group."""
    doc = _mapping(document, "/api", "document")
    versions = _strings(doc.get("versions"), "/api", "versions")
    if not versions:
        raise DiscoveryDocumentError("/api", "versions is empty")
    return APIGroup("", versions)


def parse_api_group_list(document: Any, source: str = "/apis") -> list[APIGroup]:
    """`/apis` (`APIGroupList`) → groups, each with its preferred version first."""
    doc = _mapping(document, source, "document")
    groups = []
    for i, item in enumerate(_list(doc.get("groups"), source, "groups")):
        where = f"groups[{i}]"
        item = _mapping(item, source, where)
        name = _str(item.get("name"), source, f"{where}.name", required=False)
        versions = [
            _str(
                _mapping(v, source, f"{where}.versions[{j}]").get("version"),
                source,
                f"{where}.versions[{j}].version",
            )
            for j, v in enumerate(_list(item.get("versions"), source, f"{where}.versions"))
        ]
        preferred = item.get("preferredVersion") or {}
        preferred_version = _mapping(preferred, source, f"{where}.preferredVersion").get("version")
        if preferred_version in versions:
            versions.remove(preferred_version)
            versions.insert(0, preferred_version)
        if versions:
            groups.append(APIGroup(name, tuple(versions)))
    return groups


def parse_resource_list(document: Any, source: str) -> tuple[APIResource, ...]:
    """An `APIResourceList` → its resources, with `<name>/<sub>` entries folded into subresources."""
    doc = _mapping(document, source, "document")
    group, version = split_group_version(_str(doc.get("groupVersion"), source, "groupVersion"))
    top: dict[str, dict[str, Any]] = {}
    subs: list[tuple[str, APISubresource]] = []
    for i, item in enumerate(_list(doc.get("resources"), source, "resources")):
        where = f"resources[{i}]"
        item = _mapping(item, source, where)
        name = _str(item.get("name"), source, f"{where}.name")
        kind = _str(item.get("kind"), source, f"{where}.kind")
        verbs = _strings(item.get("verbs"), source, f"{where}.verbs")
        item_group = item.get("group") or group
        item_version = item.get("version") or version
        parent, slash, sub = name.partition("/")
        if slash:
            subs.append((parent, APISubresource(sub, kind, item_group, item_version, verbs)))
            continue
        top[name] = {
            "group": group,
            "version": version,
            "name": name,
            "kind": kind,
            "namespaced": bool(item.get("namespaced", False)),
            "singular_name": _str(
                item.get("singularName"), source, f"{where}.singularName", required=False
            ),
            "verbs": verbs,
            "short_names": _strings(item.get("shortNames"), source, f"{where}.shortNames"),
            "categories": _strings(item.get("categories"), source, f"{where}.categories"),
            "subresources": [],
        }
    for parent, sub_resource in subs:
        if parent in top:
            top[parent]["subresources"].append(sub_resource)
    return tuple(
        APIResource(**{**fields, "subresources": tuple(fields["subresources"])})
        for fields in top.values()
    )


def legacy_group_versions(core: APIGroup | None, groups: Sequence[APIGroup]) -> list[str]:
    """Every group version whose `APIResourceList` legacy discovery must fetch."""
    everything = ([core] if core else []) + list(groups)
    return [group_version(g.name, v) for g in everything for v in g.versions]


def resource_list_path(gv: str) -> str:
    """The legacy discovery path of `gv`: `/api/v1` for the core group, `/apis/<group>/<version>`
    otherwise.
    """
    group, version = split_group_version(gv)
    return f"/apis/{group}/{version}" if group else f"/api/{version}"


# -- back to legacy documents (the disk cache format) -----------------------------------------


def to_group_list(discovery: Discovery) -> dict[str, Any]:
    """The snapshot's groups as an `APIGroupList` (core group "" first, like kubectl's cache)."""
    return {
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [
            {
                "name": g.name,
                "versions": [
                    {"groupVersion": group_version(g.name, v), "version": v} for v in g.versions
                ],
                "preferredVersion": {
                    "groupVersion": group_version(g.name, g.preferred_version),
                    "version": g.preferred_version,
                },
            }
            for g in discovery.groups
        ],
    }


def to_resource_list(gv: str, resources: Sequence[APIResource]) -> dict[str, Any]:
    """Resources of one group version as an `APIResourceList`, subresources as `<name>/<sub>`."""
    items: list[dict[str, Any]] = []
    for r in resources:
        entry: dict[str, Any] = {
            "name": r.name,
            "singularName": r.singular_name,
            "namespaced": r.namespaced,
            "kind": r.kind,
            "verbs": list(r.verbs),
        }
        if r.short_names:
            entry["shortNames"] = list(r.short_names)
        if r.categories:
            entry["categories"] = list(r.categories)
        items.append(entry)
        for sub in r.subresources:
            sub_entry: dict[str, Any] = {
                "name": f"{r.name}/{sub.name}",
                "singularName": "",
                "namespaced": r.namespaced,
                "kind": sub.kind,
                "verbs": list(sub.verbs),
            }
            if (sub.group, sub.version) != (r.group, r.version):
                sub_entry["group"], sub_entry["version"] = sub.group, sub.version
            items.append(sub_entry)
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": items}


def from_legacy_documents(
    group_list: Any, resource_lists: Mapping[str, Any], source: str
) -> Discovery:
    """Rebuild a snapshot from an `APIGroupList` (with the core group) and `APIResourceList`s."""
    groups = parse_api_group_list(group_list, f"{source}/servergroups.json")
    resources = {
        gv: parse_resource_list(doc, f"{source}/{gv}/serverresources.json")
        for gv, doc in resource_lists.items()
    }
    return Discovery(tuple(groups), resources)


# -- OpenAPI v3 root ---------------------------------------------------------------------------


def parse_openapi_v3_root(document: Any) -> dict[str, str]:
    """`/openapi/v3` → {"api/v1": "/openapi/v3/api/v1?hash=…", "apis/apps/v1": …}."""
    doc = _mapping(document, "/openapi/v3", "document")
    paths = _mapping(doc.get("paths") or {}, "/openapi/v3", "paths")
    return {
        key: _str(
            _mapping(value, "/openapi/v3", f"paths[{key!r}]").get("serverRelativeURL"),
            "/openapi/v3",
            f"paths[{key!r}].serverRelativeURL",
        )
        for key, value in paths.items()
    }


def openapi_v3_key(gv: str) -> str:
    """`v1` / `api/v1` → `api/v1`; `apps/v1` / `apis/apps/v1` → `apis/apps/v1`."""
    gv = gv.strip("/")
    if gv.startswith(("api/", "apis/")) or gv in ("api", "apis"):
        return gv
    group, version = split_group_version(gv)
    return f"apis/{group}/{version}" if group else f"api/{version}"
