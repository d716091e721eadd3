"""What discovery knows about a server: groups, versions and resources (immutable values)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "APIGroup",
    "APIResource",
    "APISubresource",
    "Discovery",
    "GroupKind",
    "GroupResource",
    "GroupVersionKind",
    "GroupVersionResource",
    "ServerVersion",
]


def group_version(group: str, version: str) -> str:
    """`v1` for the core group, `<group>/<version>` otherwise."""
    return f"{group}/{version}" if group else version


def split_group_version(value: str) -> tuple[str, str]:
    """`v1` → ("", "v1"); `apps/v1` → ("apps", "v1")."""
    group, _, version = value.rpartition("/")
    return group, version


@dataclass(frozen=True)
class GroupKind:
    """A kind without a version: `GroupKind("apps", "Deployment")`; "" is the core group (client-go
    `schema.GroupKind`).
    """

    group: str
    kind: str

    @classmethod
    def parse(cls, value: str) -> GroupKind:
        """`Deployment.apps` → GroupKind("apps", "Deployment"); `Pod` → core."""
        kind, _, group = value.partition(".")
        return cls(group, kind)

    def __str__(self) -> str:
        return f"{self.kind}.{self.group}" if self.group else self.kind


@dataclass(frozen=True)
class GroupResource:
    """A resource without a version: `GroupResource("apps", "deployments")`; "" is core."""

    group: str
    resource: str

    @classmethod
    def parse(cls, value: str) -> GroupResource:
        """`deployments.apps` → ("apps", "deployments"); `replicationcontrollers` → core."""
        resource, _, group = value.partition(".")
        return cls(group, resource)

    def __str__(self) -> str:
        return f"{self.resource}.{self.group}" if self.group else self.resource


@dataclass(frozen=True)
class GroupVersionKind:
    """A kind in one group-version (client-go `schema.GroupVersionKind`); "" is the core group."""

    group: str
    version: str
    kind: str

    @property
    def api_version(self) -> str:
        """The `apiVersion` of objects of this kind: `"apps/v1"`, or `"v1"` for the core group."""
        return group_version(self.group, self.version)

    @property
    def group_kind(self) -> GroupKind:
        """The `GroupKind` without the version."""
        return GroupKind(self.group, self.kind)


@dataclass(frozen=True)
class GroupVersionResource:
    """A resource (plural, lower case) in one group-version (client-go `schema.GroupVersionResource`);
    "" is the core group. `str()` gives `deployments.v1.apps`, the form kubectl accepts.
    """

    group: str
    version: str
    resource: str

    @property
    def group_version(self) -> str:
        """`"apps/v1"`, or `"v1"` for the core group."""
        return group_version(self.group, self.version)

    def __str__(self) -> str:
        return (
            f"{self.resource}.{self.version}.{self.group}"
            if self.group
            else (f"{self.resource}.{self.version}")
        )


@dataclass(frozen=True)
class APISubresource:
    """A subresource of a resource as discovery lists it (`status`, `scale`, `log`…): its kind, the
    group-version of that kind and its verbs.
    """

    name: str
    kind: str
    group: str
    version: str
    verbs: tuple[str, ...] = ()


@dataclass(frozen=True)
class APIResource:
    """One served resource (not a subresource) of one group version."""

    group: str
    version: str
    name: str
    kind: str
    namespaced: bool
    singular_name: str = ""
    verbs: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: tuple[APISubresource, ...] = ()

    @property
    def gvr(self) -> GroupVersionResource:
        """The resource's `GroupVersionResource`."""
        return GroupVersionResource(self.group, self.version, self.name)

    @property
    def gvk(self) -> GroupVersionKind:
        """The resource's `GroupVersionKind`."""
        return GroupVersionKind(self.group, self.version, self.kind)

    @property
    def singular(self) -> str:
        """The singular name; older servers leave it empty, then it is the lower-cased kind."""
        return self.singular_name or self.kind.lower()


@dataclass(frozen=True)
class APIGroup:
    """A group and its served versions, preferred version first."""

    name: str
    versions: tuple[str, ...]

    @property
    def preferred_version(self) -> str:
        """The version the server prefers (the first listed), as client-go's `PreferredVersion`."""
        return self.versions[0]


@dataclass(frozen=True)
class Discovery:
    """A snapshot of a server's discovery information.

    `groups` are in server priority order (the core group "" first); `resources` maps a group
    version (`v1`, `apps/v1`) to its resources; `failed` maps group versions whose resources
    could not be discovered to the reason.
    """

    groups: tuple[APIGroup, ...]
    resources: Mapping[str, tuple[APIResource, ...]]
    failed: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "resources", MappingProxyType(dict(self.resources)))
        object.__setattr__(self, "failed", MappingProxyType(dict(self.failed)))

    def group(self, name: str) -> APIGroup | None:
        """The group called `name` ("" is core), None when the server does not serve it."""
        return next((g for g in self.groups if g.name == name), None)

    def all_resources(self) -> list[APIResource]:
        """Every resource of every group version, in server priority order."""
        ordered: list[APIResource] = []
        for api_group in self.groups:
            for version in api_group.versions:
                ordered.extend(self.resources.get(group_version(api_group.name, version), ()))
        return ordered


@dataclass(frozen=True)
class ServerVersion:
    """The `/version` document."""

    major: str
    minor: str
    git_version: str
    git_commit: str = ""
    platform: str = ""
    raw: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
