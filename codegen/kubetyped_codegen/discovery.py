"""Aggregated discovery documents (``apidiscovery.k8s.io/v2``): read into IR, write from IR.

Discovery is authoritative for scope, verbs, singular names, short names, categories and the
subresource list; the OpenAPI paths add what discovery lacks (list kind, all-namespaces list,
request kinds, text responses). ``synthesise`` writes the documents for a v2 import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kubetyped_codegen.errors import SpecError
from kubetyped_codegen.ir import GVK, Group, Resource, Schema, Subresource
from kubetyped_codegen.resources import model_for_kind

DISCOVERY_ACCEPT = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
)


@dataclass(frozen=True, slots=True)
class DiscoveredGroups:
    """What aggregated discovery says about a server: the resources of each `(group, version)`, and
    each group's versions in the server's preference order (preferred first).
    """

    resources: dict[tuple[str, str], tuple[Resource, ...]]
    version_order: dict[str, tuple[str, ...]]


def _gvk(raw: Mapping[str, Any] | None, default_group: str, default_version: str) -> GVK | None:
    """A discovery ``responseKind``; empty group and version mean the enclosing group-version."""
    if not raw or not raw.get("kind"):
        return None
    if not raw.get("version"):
        return GVK(default_group, default_version, str(raw["kind"]))
    return GVK(str(raw.get("group", "")), str(raw["version"]), str(raw["kind"]))


def _find_path_fact(
    path_resources: Mapping[tuple[str, str], tuple[Resource, ...]],
    group: str,
    version: str,
    plural: str,
) -> Resource | None:
    return next((r for r in path_resources.get((group, version), ()) if r.plural == plural), None)


def parse(
    documents: Iterable[Mapping[str, Any]],
    path_resources: Mapping[tuple[str, str], tuple[Resource, ...]],
    schemas: Mapping[str, Schema],
    source: str = "discovery",
) -> DiscoveredGroups:
    """Resources from aggregated discovery, completed with facts from the OpenAPI paths."""
    resources: dict[tuple[str, str], tuple[Resource, ...]] = {}
    order: dict[str, tuple[str, ...]] = {}
    for document in documents:
        if document.get("kind") != "APIGroupDiscoveryList":
            raise SpecError(
                f"expected APIGroupDiscoveryList, got {document.get('kind')!r}", source=source
            )
        for item in document.get("items", ()):
            group = str(item.get("metadata", {}).get("name", ""))
            versions = item.get("versions", ())
            order[group] = tuple(str(v["version"]) for v in versions)
            for entry in versions:
                version = str(entry["version"])
                found = [
                    _resource(raw, group, version, path_resources, schemas, source)
                    for raw in entry.get("resources", ())
                ]
                resources[(group, version)] = tuple(sorted(found, key=lambda r: r.plural))
    return DiscoveredGroups(resources, order)


def _resource(
    raw: Mapping[str, Any],
    group: str,
    version: str,
    path_resources: Mapping[tuple[str, str], tuple[Resource, ...]],
    schemas: Mapping[str, Schema],
    source: str,
) -> Resource:
    plural = str(raw["resource"])
    kind = _gvk(raw.get("responseKind"), group, version)
    if kind is None:
        raise SpecError(f"{group}/{version} {plural}: no responseKind", source=source)
    from_paths = _find_path_fact(path_resources, group, version, plural)
    verbs = frozenset(str(v) for v in raw.get("verbs", ()))
    namespaced = raw.get("scope") == "Namespaced"
    subresources = []
    for sub in sorted(raw.get("subresources", ()), key=lambda s: str(s["subresource"])):
        name = str(sub["subresource"])
        path_sub = from_paths.subresource(name) if from_paths else None
        subresources.append(
            Subresource(
                name=name,
                verbs=frozenset(str(v) for v in sub.get("verbs", ())),
                response_kind=_gvk(sub.get("responseKind"), group, version),
                request_kind=path_sub.request_kind if path_sub else None,
                text_response=path_sub.text_response if path_sub else False,
            )
        )
    if from_paths is not None:
        list_kind = from_paths.list_kind
        all_namespaces = from_paths.has_all_namespaces_list
    else:  # no paths for this resource: apiserver conventions
        list_kind = f"{kind.kind}List" if "list" in verbs else None
        all_namespaces = namespaced and "list" in verbs
    return Resource(
        plural=plural,
        singular=str(raw.get("singularResource") or kind.kind.lower()),
        kind=kind.kind,
        list_kind=list_kind,
        namespaced=namespaced,
        verbs=verbs,
        subresources=tuple(subresources),
        short_names=tuple(str(s) for s in raw.get("shortNames", ())),
        categories=tuple(str(c) for c in raw.get("categories", ())),
        has_all_namespaces_list=all_namespaces,
        model_ref=model_for_kind(kind, schemas),
    )


def _kind_json(gvk: GVK | None) -> dict[str, str]:
    return {} if gvk is None else {"group": gvk.group, "kind": gvk.kind, "version": gvk.version}


def _resource_json(resource: Resource, group: str, version: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": resource.plural,
        "responseKind": _kind_json(GVK(group, version, resource.kind)),
        "scope": "Namespaced" if resource.namespaced else "Cluster",
        "singularResource": resource.singular,
        "verbs": sorted(resource.verbs),
    }
    if resource.short_names:
        entry["shortNames"] = list(resource.short_names)
    if resource.categories:
        entry["categories"] = list(resource.categories)
    if resource.subresources:
        entry["subresources"] = [
            {
                "subresource": sub.name,
                "responseKind": _kind_json(sub.response_kind),
                "verbs": sorted(sub.verbs),
            }
            for sub in resource.subresources
        ]
    return entry


def synthesise(groups: Iterable[Group]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (``/api``, ``/apis``) aggregated discovery documents describing ``groups``."""
    documents: tuple[dict[str, Any], dict[str, Any]] = (
        {"apiVersion": "apidiscovery.k8s.io/v2", "kind": "APIGroupDiscoveryList", "items": []},
        {"apiVersion": "apidiscovery.k8s.io/v2", "kind": "APIGroupDiscoveryList", "items": []},
    )
    for group in groups:
        item = {
            "metadata": {"name": group.name} if group.name else {},
            "versions": [
                {
                    "version": gv.version,
                    "freshness": "Current",
                    "resources": [_resource_json(r, gv.group, gv.version) for r in gv.resources],
                }
                for gv in group.versions
            ],
        }
        documents[0 if group.name == "" else 1]["items"].append(item)
    return documents
