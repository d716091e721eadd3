"""The typed clients' binding to the request core: a `ResourceInfo` and a namespace argument →
a `kubetyped.resource.BoundResource` with the resource's `ModelCodec`; and the `pods/log` query."""

from __future__ import annotations

from typing import Any

from kubetyped.errors import KubetypedError
from kubetyped.request import NamespaceRequiredError, ResourcePath
from kubetyped.resource import BoundResource, ModelCodec
from kubetyped.typed.resource import ALL_NAMESPACES, AllNamespaces, ResourceInfo

__all__ = ["typed_resource"]

Body = Any  # a KubeModel, or a plain dict in wire form


def model_codec(info: ResourceInfo) -> ModelCodec[Any]:
    """The codec of `info`'s model and list model (imported on first use)."""
    return ModelCodec(info.model_class, info.list_model_class, info.api_version, info.kind)


def typed_resource(info: ResourceInfo, namespace: str | AllNamespaces | None) -> BoundResource[Any]:
    """`info` bound to `namespace` (ALL_NAMESPACES: every namespace, for list and watch only).

    Raises `NamespaceRequiredError` for a namespaced resource given None or "" and
    `KubetypedError` for a cluster-scoped one given a namespace."""
    if info.namespaced and (namespace is None or namespace == ""):
        raise NamespaceRequiredError(
            f"{info.plural} is namespaced and {namespace!r} names no namespace: leave the "
            "argument out for the clientset's namespace (the kubeconfig context's), or pass "
            "ALL_NAMESPACES (from kubetyped.typed) for every namespace"
        )
    if not info.namespaced and namespace is not None:
        raise KubetypedError(f"{info.plural} is cluster-scoped: it takes no namespace")
    bound = None if namespace is ALL_NAMESPACES else namespace
    assert not isinstance(bound, AllNamespaces)
    path = ResourcePath(info.group, info.version, info.plural, bound)
    return BoundResource(path, model_codec(info), info.namespaced)


def log_params(
    *,
    container: str | None,
    follow: bool,
    previous: bool,
    since_seconds: int | None,
    tail_lines: int | None,
    timestamps: bool,
    limit_bytes: int | None,
) -> dict[str, str]:
    """The query of a `pods/log` request, with only the options that are set (names as in the API's
    `PodLogOptions`: `sinceSeconds` and `limitBytes` in seconds and bytes).
    """
    params: dict[str, str] = {}
    if container:
        params["container"] = container
    if follow:
        params["follow"] = "true"
    if previous:
        params["previous"] = "true"
    if since_seconds is not None:
        params["sinceSeconds"] = str(since_seconds)
    if tail_lines is not None:
        params["tailLines"] = str(tail_lines)
    if timestamps:
        params["timestamps"] = "true"
    if limit_bytes is not None:
        params["limitBytes"] = str(limit_bytes)
    return params
