"""Where the scale subresource of a resource lives (pure resolution through discovery); its
requests are built by the request core (`kubetyped.resource`) with the `Scale` model's codec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubetyped import api
from kubetyped import request as rq
from kubetyped.discovery import (
    APIResource,
    GroupResource,
    GroupVersionResource,
    NoResourceMatchError,
    RESTMapper,
)
from kubetyped.discovery.model import group_version
from kubetyped.errors import KubetypedError
from kubetyped.resource import BoundResource, ModelCodec

if TYPE_CHECKING:
    from kubetyped.api import Scale

__all__ = ["NoScaleSubresourceError", "ScaleNamespaceError", "ScaleTarget", "resolve_scale_target"]

SCALE = "scale"


class NoScaleSubresourceError(KubetypedError, LookupError):
    """The resource exists but no served version of it has a `scale` subresource."""

    def __init__(self, resource: GroupResource) -> None:
        self.resource = resource
        super().__init__(f"{resource} has no scale subresource")


#: A namespaced resource was addressed without a namespace: the request core's
#: `NamespaceRequiredError`, under the scale client's public name.
ScaleNamespaceError = rq.NamespaceRequiredError


ResourceLike = GroupResource | str


@dataclass(frozen=True)
class ScaleTarget:
    """Where the scale subresource of one resource lives: the served version with `scale`, and
    the scope (what discovery says; client-go `scale.ScaleKindResolver`)."""

    resource: GroupVersionResource
    namespaced: bool

    def bind(self, namespace: str | None) -> BoundResource[Scale]:
        """The resource bound to `namespace` for its `scale` subresource, answering `Scale`
        models (the request core, `kubetyped.resource`). A cluster-scoped resource ignores
        `namespace` (client-go `NamespaceIfScoped`); an unbound namespaced one takes a body's
        `metadata.namespace`, else raises `ScaleNamespaceError` (`NamespaceRequiredError`)."""
        r = self.resource
        scope = (namespace or None) if self.namespaced else None
        path = rq.ResourcePath(r.group, r.version, r.resource, scope)
        return BoundResource(
            path, ModelCodec.of(api.Scale), self.namespaced, namespace_from_body=True
        )


# ---- pure resolution and request building ---------------------------------------------------


def as_group_resource(resource: ResourceLike) -> GroupResource:
    """`resource` as a `GroupResource`: a string is parsed as `plural.group` (`deployments.apps`; a
    bare plural is core).
    """
    return GroupResource.parse(resource) if isinstance(resource, str) else resource


def resolve_scale_target(mapper: RESTMapper, resource: ResourceLike) -> ScaleTarget:
    """The preferred version of `resource` that serves `scale`.

    Raises `NoResourceMatchError` when the server has no such resource and
    `NoScaleSubresourceError` when none of its versions can be scaled."""
    gr = as_group_resource(resource)
    found = mapper.resource_mapping(GroupVersionResource(gr.group, "", gr.resource))
    name, group = found.resource.resource, found.resource.group
    api_group = mapper.discovery.group(group)
    versions = api_group.versions if api_group else (found.resource.version,)
    for version in versions:
        for candidate in mapper.discovery.resources.get(group_version(group, version), ()):
            if candidate.name == name and _has_scale(candidate):
                return ScaleTarget(candidate.gvr, candidate.namespaced)
    raise NoScaleSubresourceError(GroupResource(group, name))


def _has_scale(resource: APIResource) -> bool:
    return any(sub.name == SCALE for sub in resource.subresources)


# ---- drivers --------------------------------------------------------------------------------


#: Errors after which the snapshot may be stale (a CRD installed or changed since discovery).
STALE = (NoResourceMatchError, NoScaleSubresourceError)
