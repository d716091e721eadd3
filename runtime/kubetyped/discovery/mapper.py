"""RESTMapper: kinds ↔ resources over a discovery snapshot (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from kubetyped.discovery.errors import (
    AmbiguousResourceError,
    NoKindMatchError,
    NoResourceMatchError,
)
from kubetyped.discovery.model import (
    APIResource,
    Discovery,
    GroupKind,
    GroupVersionKind,
    GroupVersionResource,
    group_version,
    split_group_version,
)

__all__ = ["RESTMapper", "RESTMapping"]


@dataclass(frozen=True)
class RESTMapping:
    """How to reach objects of one kind: the resource, its kind and whether it is namespaced."""

    resource: GroupVersionResource
    gvk: GroupVersionKind
    namespaced: bool
    api_resource: APIResource

    @property
    def scope(self) -> str:
        """`"Namespaced"` or `"Cluster"`, as a CRD's `spec.scope` spells it."""
        return "Namespaced" if self.namespaced else "Cluster"


def _parse_partial(partial: str) -> list[tuple[str, str | None, str | None]]:
    """`res`, `res.group`, `res.version.group` → candidate (resource, version, group) readings.

    Like kubectl, `a.b.c` is read both as resource.version.group and resource.group."""
    name, dot, rest = partial.partition(".")
    if not dot:
        return [(name, None, None)]
    readings: list[tuple[str, str | None, str | None]] = []
    version, dot2, group = rest.partition(".")
    if dot2:
        readings.append((name, version, group))
    readings.append((name, None, rest))
    return readings


class RESTMapper:
    """Maps kinds to resources and back using one discovery snapshot.

    Versions are chosen as the server prefers them: a group's preferred version first, then the
    others in the server's order.
    """

    def __init__(self, discovery: Discovery) -> None:
        self.discovery = discovery
        self._resources = discovery.all_resources()

    def _versions_in_preference(self, group: str) -> list[str]:
        api_group = self.discovery.group(group)
        return list(api_group.versions) if api_group else []

    def rest_mappings(
        self, group_kind: GroupKind | str, version: str | None = None
    ) -> list[RESTMapping]:
        """All mappings of a kind, preferred version first."""
        gk = GroupKind.parse(group_kind) if isinstance(group_kind, str) else group_kind
        versions = [version] if version else self._versions_in_preference(gk.group)
        mappings = []
        for v in versions:
            for r in self.discovery.resources.get(group_version(gk.group, v), ()):
                if r.kind == gk.kind:
                    mappings.append(RESTMapping(r.gvr, r.gvk, r.namespaced, r))
                    break
        if not mappings:
            raise NoKindMatchError(gk.group, gk.kind, [version] if version else ())
        return mappings

    def rest_mapping(self, group_kind: GroupKind | str, version: str | None = None) -> RESTMapping:
        """The mapping of a kind in `version`, or in the group's preferred version serving it."""
        return self.rest_mappings(group_kind, version)[0]

    def rest_mapping_for(self, api_version: str, kind: str) -> RESTMapping:
        """The mapping of an object's `apiVersion` and `kind`."""
        group, version = split_group_version(api_version)
        return self.rest_mapping(GroupKind(group, kind), version)

    def kind_for(self, resource: GroupVersionResource | str) -> GroupVersionKind:
        """The kind served by a (partial) resource."""
        return self.resource_mapping(resource).gvk

    def resource_for(self, resource: GroupVersionResource | str) -> GroupVersionResource:
        """The fully qualified resource of a partial name: plural, singular or short name,
        optionally qualified as `<resource>.<group>` or `<resource>.<version>.<group>`."""
        return self.resource_mapping(resource).resource

    def resource_mapping(self, resource: GroupVersionResource | str) -> RESTMapping:
        """The `RESTMapping` of a resource named fully (`GroupVersionResource`) or partially as kubectl
        accepts it (`deploy`, `deployments.apps`, `deployments.v1.apps`; plural, singular or short
        name; exact names before short names). The server's preferred version wins when several
        serve it, and the core group wins over others, as in kubectl. Raises `NoResourceMatchError`
        when nothing matches and `AmbiguousResourceError` when the name matches resources of several
        non-core groups.
        """
        readings: list[tuple[str, str | None, str | None]]
        if isinstance(resource, GroupVersionResource):
            readings = [(resource.resource, resource.version or None, resource.group)]
            partial = str(resource)
        else:
            readings = _parse_partial(resource.lower())
            partial = resource
        for name, version, group in readings:
            found = self._match(name, version, group, partial)
            if found is not None:
                return RESTMapping(found.gvr, found.gvk, found.namespaced, found)
        raise NoResourceMatchError(partial)

    def _match(
        self, name: str, version: str | None, group: str | None, partial: str
    ) -> APIResource | None:
        exact: list[APIResource] = []
        short: list[APIResource] = []
        for r in self._resources:
            if group is not None and r.group != group:
                continue
            if version is not None and r.version != version:
                continue
            if name in (r.name, r.singular):
                exact.append(r)
            elif name in r.short_names:
                short.append(r)
        candidates = exact or short
        if not candidates:
            return None
        groups = list(dict.fromkeys(r.group for r in candidates))
        if len(groups) > 1:
            if "" not in groups:  # the core group wins, as in kubectl; otherwise refuse to guess
                names = [f"{r.name}.{r.group}" for r in candidates]
                raise AmbiguousResourceError(partial, dict.fromkeys(names))
            candidates = [r for r in candidates if r.group == ""]
        # Candidates come in preference order (all_resources walks preferred versions first).
        return candidates[0]
