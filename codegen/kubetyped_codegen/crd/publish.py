"""A CRD from YAML -> what an apiserver would publish for it: OpenAPI v3 components, the
aggregated-discovery entry and the facts of its paths (mirrors apiextensions-apiserver's
``controller/openapi/builder``), so YAML and cluster input go through one pipeline.
"""

from __future__ import annotations

from typing import Any

from kubetyped_codegen.assemble import sort_versions
from kubetyped_codegen.crd.source import CrdInfo, CrdVersion
from kubetyped_codegen.ir import GVK, Resource, Subresource

COMPONENTS = "#/components/schemas/"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"
SCALE_GVK = GVK("autoscaling", "v1", "Scale")
CRD_VERBS = ("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")
SUBRESOURCE_VERBS = ("get", "patch", "update")
_CONVENTIONS = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"
API_VERSION_DOC = (
    "APIVersion defines the versioned schema of this representation of an object. Servers should "
    "convert recognized schemas to the latest internal value, and may reject unrecognized "
    f"values. More info: {_CONVENTIONS}#resources"
)
KIND_DOC = (
    "Kind is a string value representing the REST resource this object represents. Servers may "
    "infer this from the endpoint the client submits requests to. Cannot be updated. In "
    f"CamelCase. More info: {_CONVENTIONS}#types-kinds"
)


def definition_name(group: str, version: str, kind: str) -> str:
    """``cert-manager.io``/``v1``/``Certificate`` -> ``io.cert-manager.v1.Certificate``."""
    return ".".join([*reversed(group.split(".")), version, kind])


def _gvk(group: str, version: str, kind: str) -> list[dict[str, str]]:
    return [{"group": group, "kind": kind, "version": version}]


def _common(properties: dict[str, Any], meta: str, meta_doc: str) -> None:
    properties["apiVersion"] = {"description": API_VERSION_DOC, "type": "string"}
    properties["kind"] = {"description": KIND_DOC, "type": "string"}
    properties["metadata"] = {"description": meta_doc, "allOf": [{"$ref": COMPONENTS + meta}]}


def published_schemas(crd: CrdInfo, version: CrdVersion) -> dict[str, dict[str, Any]]:
    """The Kind and KindList components of one served version."""
    name = definition_name(crd.group, version.name, crd.kind)
    root = dict(version.schema)  # only the top level is changed below
    properties = dict(root.get("properties") or {})
    _common(
        properties, OBJECT_META, f"Standard object's metadata. More info: {_CONVENTIONS}#metadata"
    )
    root["properties"] = properties
    root["type"] = "object"
    root["x-kubernetes-group-version-kind"] = _gvk(crd.group, version.name, crd.kind)
    list_properties: dict[str, Any] = {
        "items": {
            "description": f"List of {crd.plural}. More info: {_CONVENTIONS}",
            "type": "array",
            "items": {"$ref": COMPONENTS + name},
        }
    }
    _common(
        list_properties, LIST_META, f"Standard list metadata. More info: {_CONVENTIONS}#types-kinds"
    )
    listing = {
        "description": f"{crd.list_kind} is a list of {crd.kind}",
        "type": "object",
        "required": ["items"],
        "properties": list_properties,
        "x-kubernetes-group-version-kind": _gvk(crd.group, version.name, crd.list_kind),
    }
    return {name: root, definition_name(crd.group, version.name, crd.list_kind): listing}


def discovery_resource(crd: CrdInfo, version: CrdVersion) -> dict[str, Any]:
    """The aggregated-discovery (apidiscovery.k8s.io/v2) entry of one served version."""
    kind = {"group": crd.group, "kind": crd.kind, "version": version.name}
    entry: dict[str, Any] = {
        "resource": crd.plural,
        "responseKind": kind,
        "scope": "Namespaced" if crd.namespaced else "Cluster",
        "singularResource": crd.singular,
        "verbs": list(CRD_VERBS),
    }
    if crd.short_names:
        entry["shortNames"] = list(crd.short_names)
    if crd.categories:
        entry["categories"] = list(crd.categories)
    subresources = []
    if version.status:
        subresources.append(
            {"subresource": "status", "responseKind": kind, "verbs": list(SUBRESOURCE_VERBS)}
        )
    if version.scale:
        scale = {"group": SCALE_GVK.group, "kind": SCALE_GVK.kind, "version": SCALE_GVK.version}
        subresources.append(
            {"subresource": "scale", "responseKind": scale, "verbs": list(SUBRESOURCE_VERBS)}
        )
    if subresources:
        entry["subresources"] = subresources
    return entry


def discovery_document(crds: list[CrdInfo]) -> dict[str, Any]:
    """An ``/apis`` APIGroupDiscoveryList for the CRDs' groups (versions by kube priority)."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for crd in crds:
        for version in crd.served_versions():
            entries = groups.setdefault(crd.group, {}).setdefault(version.name, [])
            entries.append(discovery_resource(crd, version))
    items = [
        {
            "metadata": {"name": group},
            "versions": [
                {"version": v, "freshness": "Current", "resources": versions[v]}
                for v in sort_versions(list(versions))
            ],
        }
        for group, versions in sorted(groups.items())
    ]
    return {"apiVersion": "apidiscovery.k8s.io/v2", "kind": "APIGroupDiscoveryList", "items": items}


def path_facts(crds: list[CrdInfo]) -> dict[tuple[str, str], tuple[Resource, ...]]:
    """What the apiserver's paths would add to discovery: list kind, request kinds."""
    facts: dict[tuple[str, str], list[Resource]] = {}
    for crd in crds:
        for version in crd.served_versions():
            own = GVK(crd.group, version.name, crd.kind)
            subresources = []
            if version.scale:
                subresources.append(
                    Subresource("scale", frozenset(SUBRESOURCE_VERBS), SCALE_GVK, SCALE_GVK)
                )
            if version.status:
                subresources.append(Subresource("status", frozenset(SUBRESOURCE_VERBS), own, own))
            facts.setdefault((crd.group, version.name), []).append(
                Resource(
                    plural=crd.plural,
                    singular=crd.singular,
                    kind=crd.kind,
                    list_kind=crd.list_kind,
                    namespaced=crd.namespaced,
                    verbs=frozenset(CRD_VERBS),
                    subresources=tuple(subresources),
                    has_all_namespaces_list=crd.namespaced,
                )
            )
    return {key: tuple(value) for key, value in facts.items()}
