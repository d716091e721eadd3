"""Group-versions, resources, verbs, subresources and scope: the served surface of an API."""

from __future__ import annotations

from collections.abc import Iterator

from kubetyped_codegen.diff.changes import Change, Severity
from kubetyped_codegen.ir import ApiSpec, GroupVersion, Resource, Subresource

B, N, INFO = Severity.BREAKING, Severity.NON_BREAKING, Severity.INFORMATIONAL


def by_group_version(spec: ApiSpec) -> dict[tuple[str, str], GroupVersion]:
    """``{(group, version): GroupVersion}`` of a spec (``spec.group_versions()`` by key)."""
    return {(gv.group, gv.version): gv for gv in spec.group_versions()}


def carries_short_names(spec: ApiSpec) -> bool:
    """Whether the spec came with discovery (an OpenAPI v2 swagger file has no short names)."""
    return any(r.short_names for gv in spec.group_versions() for r in gv.resources)


def compare_group_versions(old: ApiSpec, new: ApiSpec) -> Iterator[Change]:
    """Served group-versions and their resources; short names only when both sides have some."""
    before, after = by_group_version(old), by_group_version(new)
    short_names = carries_short_names(old) and carries_short_names(new)
    for key in sorted(before.keys() - after.keys()):
        gv = before[key]
        kinds = ", ".join(sorted(r.kind for r in gv.resources)) or "-"
        yield Change(
            B, "group-version-removed", *key, "", "",
            f"{gv.api_version} is no longer served (kinds: {kinds})",
            "clients and stored manifests using this group-version stop working",
        )  # fmt: skip
    for key in sorted(after.keys() - before.keys()):
        gv = after[key]
        kinds = ", ".join(sorted(r.kind for r in gv.resources)) or "-"
        yield Change(
            N, "group-version-added", *key, "", "",
            f"{gv.api_version} is newly served (kinds: {kinds})",
            "a new group-version does not affect existing clients",
        )  # fmt: skip
    for key in sorted(before.keys() & after.keys()):
        yield from compare_resources(before[key], after[key], short_names)


def compare_resources(
    old: GroupVersion, new: GroupVersion, short_names: bool = True
) -> Iterator[Change]:
    """Resources removed (breaking) and added (non-breaking) between two versions of one
    group-version, then the changes of each resource both serve, in plural order.
    """
    before = {r.plural: r for r in old.resources}
    after = {r.plural: r for r in new.resources}
    g, v = old.group, old.version
    for plural in sorted(before.keys() - after.keys()):
        yield Change(
            B, "resource-removed", g, v, before[plural].kind, "",
            f"resource {plural} ({before[plural].kind}) removed from {old.api_version}",
            "requests to the resource fail with 404",
        )  # fmt: skip
    for plural in sorted(after.keys() - before.keys()):
        yield Change(
            N, "resource-added", g, v, after[plural].kind, "",
            f"resource {plural} ({after[plural].kind}) added to {new.api_version}",
            "a new resource does not affect existing clients",
        )  # fmt: skip
    for plural in sorted(before.keys() & after.keys()):
        yield from compare_resource(g, v, before[plural], after[plural], short_names)


def compare_resource(
    group: str, version: str, old: Resource, new: Resource, short_names: bool = True
) -> Iterator[Change]:
    """The changes of one resource served on both sides: kind and scope changes (breaking), verbs
    and subresources removed (breaking) or added, and short names (informational, only when
    `short_names`).
    """
    kind = new.kind
    if old.kind != new.kind:
        yield Change(
            B, "kind-changed", group, version, kind, "",
            f"{new.plural} serves kind {new.kind} instead of {old.kind}",
            "objects decode to a different type", old.kind, new.kind,
        )  # fmt: skip
    if old.namespaced != new.namespaced:
        scope = {True: "Namespaced", False: "Cluster"}
        yield Change(
            B, "scope-changed", group, version, kind, "",
            f"{new.plural} is now {scope[new.namespaced]}-scoped",
            "request paths change between namespaced and cluster-scoped",
            scope[old.namespaced], scope[new.namespaced],
        )  # fmt: skip
    yield from _verbs(group, version, kind, "", old.verbs, new.verbs)
    yield from _subresources(group, version, kind, old.subresources, new.subresources)
    if short_names and set(old.short_names) != set(new.short_names):
        yield Change(
            INFO, "short-names-changed", group, version, kind, "",
            f"short names of {new.plural}: {_names(old.short_names)} -> {_names(new.short_names)}",
            "short names only matter to kubectl-style lookups",
            _names(old.short_names), _names(new.short_names),
        )  # fmt: skip


def _names(names: tuple[str, ...] | frozenset[str]) -> str:
    return ", ".join(sorted(names)) or "none"


def _verbs(
    group: str, version: str, kind: str, sub: str, old: frozenset[str], new: frozenset[str]
) -> Iterator[Change]:
    where = f" on {sub}" if sub else ""
    for verb in sorted(old - new):
        yield Change(
            B, "verb-removed", group, version, kind, sub, f"verb {verb} removed{where}",
            f"{verb} requests are rejected with 405 MethodNotAllowed",
        )  # fmt: skip
    for verb in sorted(new - old):
        yield Change(
            N, "verb-added", group, version, kind, sub, f"verb {verb} added{where}",
            "an additional verb does not affect existing clients",
        )  # fmt: skip


def _subresources(
    group: str,
    version: str,
    kind: str,
    old: tuple[Subresource, ...],
    new: tuple[Subresource, ...],
) -> Iterator[Change]:
    before = {s.name: s for s in old}
    after = {s.name: s for s in new}
    for name in sorted(before.keys() - after.keys()):
        yield Change(
            B, "subresource-removed", group, version, kind, name, f"subresource {name} removed",
            "requests to the subresource fail with 404",
        )  # fmt: skip
    for name in sorted(after.keys() - before.keys()):
        yield Change(
            N, "subresource-added", group, version, kind, name, f"subresource {name} added",
            "a new subresource does not affect existing clients",
        )  # fmt: skip
    for name in sorted(before.keys() & after.keys()):
        yield from _verbs(group, version, kind, name, before[name].verbs, after[name].verbs)
