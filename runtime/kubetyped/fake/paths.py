"""Request paths → the resource they address: the inverse of `kubetyped.request.ResourcePath`
(the clients' request core builds the path; the fake apiserver parses it back)."""

from __future__ import annotations

from urllib.parse import unquote

from kubetyped.fake import errors
from kubetyped.fake.registry import ResourceRegistry
from kubetyped.request import ResourcePath
from kubetyped.typed.resource import ResourceInfo

__all__: list[str] = []


def parse_path(path: str, registry: ResourceRegistry) -> tuple[ResourceInfo, ResourcePath]:
    """The resource of `/api/v1/namespaces/ns/configmaps/x/status` (or `/apis/g/v/...`) and the
    `ResourcePath` that renders that path (namespace None: cluster-scoped or all namespaces;
    name None: the collection); 404 for anything else."""
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
    return info, ResourcePath(group, version, info.plural, namespace, name, subresource)
