"""Resources from the paths of an OpenAPI document (v2 or v3, via ``Operation`` records).

Each operation carries ``x-kubernetes-action`` and ``x-kubernetes-group-version-kind``; the
path shape gives the group-version, the scope (``/namespaces/{namespace}/``), the resource
and the subresource. Legacy ``/watch/`` paths count as the ``watch`` verb.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kubetyped_codegen.ir import GVK, Resource, Schema, Subresource

_ACTION_VERBS = {
    "get": "get",
    "list": "list",
    "watch": "watch",
    "watchlist": "watch",
    "post": "create",
    "put": "update",
    "patch": "patch",
    "delete": "delete",
    "deletecollection": "deletecollection",
}
# connect operations (exec, attach, portforward, proxy): the verb follows the HTTP method
_CONNECT_VERBS = {
    "get": "get",
    "post": "create",
    "put": "update",
    "patch": "patch",
    "delete": "delete",
}


@dataclass(frozen=True, slots=True)
class Operation:
    """The facts of one path operation the resource analysis needs."""

    path: str
    method: str
    action: str
    gvk: GVK | None
    response_ref: str | None = None
    response_is_text: bool = False
    body_ref: str | None = None


@dataclass(frozen=True, slots=True)
class PathInfo:
    """What an API path addresses: group ("" core), version, resource plural, whether it is
    namespaced, whether it names one object, its subresource, and whether it is a (deprecated)
    `/watch/` path.
    """

    group: str
    version: str
    plural: str
    namespaced: bool
    named: bool
    subresource: str | None
    watch: bool


def parse_path(path: str) -> PathInfo | None:
    """Split a resource path into its parts; None for non-resource paths."""
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        group, version, rest = "", "v1", parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    watch = rest[:1] == ["watch"]
    if watch:
        rest = rest[1:]
    namespaced = len(rest) >= 3 and rest[:2] == ["namespaces", "{namespace}"]
    if namespaced:
        rest = rest[2:]
    if not rest:
        return None
    named = len(rest) >= 2
    subresource = rest[2] if len(rest) >= 3 else None
    return PathInfo(group, version, rest[0], namespaced, named, subresource, watch)


def operation_verb(op: Operation) -> str | None:
    """The Kubernetes verb of an OpenAPI operation from its `x-kubernetes-action` (`post` → create,
    `put` → update, `watchlist` → watch…); `connect` actions (exec, attach, portforward, proxy) take
    the verb of their HTTP method. None for an action with no verb.
    """
    if op.action == "connect":
        return _CONNECT_VERBS.get(op.method)
    return _ACTION_VERBS.get(op.action)


@dataclass
class _SubFacts:
    verbs: set[str] = field(default_factory=set)
    response_kind: GVK | None = None
    request_ref: str | None = None
    text_response: bool = False


@dataclass
class _ResourceFacts:
    kind: GVK | None = None
    namespaced: bool = False
    verbs: set[str] = field(default_factory=set)
    list_ref: str | None = None
    all_namespaces_list: bool = False
    subresources: dict[str, _SubFacts] = field(default_factory=dict)


def kind_of(ref: str | None, schemas: Mapping[str, Schema]) -> GVK | None:
    """The GVK a schema declares (its only one, else None: e.g. DeleteOptions has many)."""
    schema = schemas.get(ref) if ref else None
    if schema is None or len(schema.gvks) != 1:
        return None
    return schema.gvks[0]


def model_for_kind(gvk: GVK, schemas: Mapping[str, Schema]) -> str | None:
    """The name of the definition whose `x-kubernetes-group-version-kind` includes `gvk`, None when
    no definition does.
    """
    for schema in schemas.values():
        if gvk in schema.gvks:
            return schema.name
    return None


def analyse(
    operations: Iterable[Operation], schemas: Mapping[str, Schema]
) -> dict[tuple[str, str], tuple[Resource, ...]]:
    """Resources per (group, version), sorted by plural, subresources sorted by name."""
    facts: dict[tuple[str, str, str], _ResourceFacts] = {}
    for op in operations:
        info = parse_path(op.path)
        verb = operation_verb(op)
        if info is None or verb is None:
            continue
        if info.watch:
            verb = "watch"
        res = facts.setdefault((info.group, info.version, info.plural), _ResourceFacts())
        if info.subresource is not None:
            sub = res.subresources.setdefault(info.subresource, _SubFacts())
            sub.verbs.add(verb)
            if op.gvk is not None and (sub.response_kind is None or op.action != "connect"):
                sub.response_kind = op.gvk
            if op.method in ("put", "post") and op.action != "connect" and op.body_ref:
                sub.request_ref = op.body_ref
            if op.action == "get" and op.response_is_text:
                sub.text_response = True
            continue
        res.verbs.add(verb)
        res.namespaced = res.namespaced or info.namespaced
        if op.gvk is not None and op.action not in ("delete", "deletecollection"):
            res.kind = res.kind or op.gvk
        if op.action == "list" and not info.watch:
            res.list_ref = res.list_ref or op.response_ref
            if not info.namespaced:
                res.all_namespaces_list = True
    result: dict[tuple[str, str], list[Resource]] = {}
    for (group, version, plural), res in sorted(facts.items()):
        if res.kind is None:
            continue
        list_gvk = kind_of(res.list_ref, schemas)
        list_kind = list_gvk.kind if list_gvk else None
        subresources = tuple(
            Subresource(
                name=name,
                verbs=frozenset(sub.verbs),
                response_kind=sub.response_kind,
                request_kind=kind_of(sub.request_ref, schemas),
                text_response=sub.text_response,
            )
            for name, sub in sorted(res.subresources.items())
        )
        result.setdefault((group, version), []).append(
            Resource(
                plural=plural,
                singular=res.kind.kind.lower(),
                kind=res.kind.kind,
                list_kind=list_kind,
                namespaced=res.namespaced,
                verbs=frozenset(res.verbs),
                subresources=subresources,
                has_all_namespaces_list=res.namespaced and res.all_namespaces_list,
                model_ref=model_for_kind(res.kind, schemas),
            )
        )
    return {key: tuple(value) for key, value in result.items()}
