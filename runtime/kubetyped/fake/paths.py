"""Request paths → the resource, namespace, name and subresource they address."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from kubetyped.fake import errors
from kubetyped.fake.registry import ResourceRegistry
from kubetyped.typed.resource import ResourceInfo

__all__: list[str] = []


@dataclass(frozen=True, slots=True)
class Target:
    """What a request path addresses: the resource, the namespace (None: cluster-scoped or all
    namespaces), the object's name (None: the collection) and the subresource.
    """

    info: ResourceInfo
    namespace: str | None
    name: str | None
    subresource: str | None


def parse_path(path: str, registry: ResourceRegistry) -> Target:
    """`/api/v1/namespaces/ns/configmaps/x/status`, `/apis/g/v/...`; 404 for anything else."""
    parts = [unquote(p) for p in path.strip("/").split("/")]
    if len(parts) >= 2 and parts[0] == "api":
        group, version, rest = "", parts[1], parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        raise errors.no_such_resource()
    namespace: str | None = None
    # /namespaces/<ns>/<plural>... addresses a namespaced resource; /namespaces/<ns>[/<sub>]
    # addresses the Namespace object itself.
    if len(rest) >= 3 and rest[0] == "namespaces":
        inner = registry.by_gvr(group, version, rest[2])
        if inner is not None and inner.namespaced:
            namespace, rest = rest[1], rest[2:]
    if not rest or len(rest) > 3:
        raise errors.no_such_resource()
    info = registry.by_gvr(group, version, rest[0])
    if info is None or (info.namespaced is False and namespace is not None):
        raise errors.no_such_resource()
    name = rest[1] if len(rest) >= 2 else None
    subresource = rest[2] if len(rest) == 3 else None
    if subresource is not None and subresource not in info.subresources:
        raise errors.no_such_resource()
    return Target(info, namespace, name, subresource)
