"""Where the scale subresource of a resource lives, and its pure request builders and decoder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import orjson

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
from kubetyped.rest import decode_json

if TYPE_CHECKING:
    from kubetyped.api import Scale

__all__ = [
    "NoScaleSubresourceError",
    "ScaleNamespaceError",
    "ScaleTarget",
    "decode_scale",
    "get_scale_request",
    "patch_scale_request",
    "resolve_scale_target",
    "update_scale_request",
]

SCALE = "scale"


class NoScaleSubresourceError(KubetypedError, LookupError):
    """The resource exists but no served version of it has a `scale` subresource."""

    def __init__(self, resource: GroupResource) -> None:
        self.resource = resource
        super().__init__(f"{resource} has no scale subresource")


class ScaleNamespaceError(KubetypedError, ValueError):
    """A namespaced resource was addressed without a namespace."""


ResourceLike = GroupResource | str


@dataclass(frozen=True)
class ScaleTarget:
    """Where the scale subresource of one resource lives."""

    resource: GroupVersionResource
    namespaced: bool

    def path(self, namespace: str | None, name: str) -> rq.ResourcePath:
        """The path of `name`'s `scale` subresource; `namespace` is used only for a namespaced
        resource (client-go `NamespaceIfScoped`). Raises `ScaleNamespaceError` when a namespaced
        resource gets none.
        """
        if self.namespaced and not namespace:
            raise ScaleNamespaceError(f"{self.resource} is namespaced: pass a namespace")
        scope = namespace if self.namespaced else None  # client-go's NamespaceIfScoped
        r = self.resource
        return rq.ResourcePath(r.group, r.version, r.resource, scope, name, SCALE)


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


def _scale_model() -> Any:
    from kubetyped import api

    return api.Scale


def _scale_body(scale: Scale | dict[str, Any]) -> dict[str, Any]:
    model = _scale_model()
    raw = scale if isinstance(scale, dict) else scale.to_dict()
    return {
        "apiVersion": f"{model.kube_group}/{model.kube_version}",
        "kind": model.kube_kind,
        **raw,
    }


def _name_of(body: dict[str, Any]) -> str:
    name = (body.get("metadata") or {}).get("name")
    if not isinstance(name, str) or not name:
        raise rq.RequestBuildError("Scale: metadata.name is required to update a scale")
    return name


def _namespace_of(body: dict[str, Any], namespace: str | None) -> str | None:
    return namespace or (body.get("metadata") or {}).get("namespace") or None


def get_scale_request(target: ScaleTarget, namespace: str | None, name: str) -> httpx.Request:
    """GET of the `scale` subresource of `name` (client-go `scale.ScalesGetter.Scales(ns).Get`)."""
    return rq.get_request(target.path(namespace, name))


def update_scale_request(
    target: ScaleTarget,
    namespace: str | None,
    scale: Scale | dict[str, Any],
    options: rq.WriteOptions | None = None,
) -> httpx.Request:
    """PUT of `scale` (an `autoscaling/v1` `Scale` or its dict) to the `scale` subresource of the
    object it names (`metadata.name`; `metadata.namespace` or `namespace`) (client-go
    `ScaleInterface.Update`). Raises `RequestBuildError` without a name and `ScaleNamespaceError`
    without a namespace for a namespaced resource.
    """
    body = _scale_body(scale)
    path = target.path(_namespace_of(body, namespace), _name_of(body))
    return rq.write_request("PUT", path, body, options)


def patch_scale_request(
    target: ScaleTarget,
    namespace: str | None,
    name: str,
    patch: Any,
    patch_type: rq.PatchTypeArg = rq.PatchType.MERGE,
    options: rq.WriteOptions | None = None,
) -> httpx.Request:
    """A merge, JSON or strategic-merge patch of the Scale object (e.g. `{"spec": {...}}`)."""
    if isinstance(patch, str):
        patch = patch.encode()
    if not isinstance(patch, bytes):
        patch = orjson.dumps(patch)
    return rq.patch_request(target.path(namespace, name), patch, patch_type, options)


def decode_scale(response: httpx.Response) -> Scale:
    """The response body as an `autoscaling/v1` `Scale` (trusted, lazy decode)."""
    scale: Scale = _scale_model().from_raw(decode_json(response))
    return scale


# ---- drivers --------------------------------------------------------------------------------


#: Errors after which the snapshot may be stale (a CRD installed or changed since discovery).
STALE = (NoResourceMatchError, NoScaleSubresourceError)
