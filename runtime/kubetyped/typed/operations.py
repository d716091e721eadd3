"""Request building and response decoding for one bound resource, shared by sync and async."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

import httpx

from kubetyped import api
from kubetyped import request as rq
from kubetyped.errors import KubetypedError
from kubetyped.rest import decode_json
from kubetyped.typed.resource import (
    ALL_NAMESPACES,
    AllNamespaces,
    NamespaceRequiredError,
    ResourceInfo,
)
from kubetyped.watch import WatchEvent

__all__ = ["ResourceOperations"]

Body = Any  # a KubeModel, or a plain dict in wire form


class ResourceOperations:
    """Pure per-verb request builders for `info`, bound to a namespace (or none)."""

    __slots__ = ("info", "namespace")

    def __init__(self, info: ResourceInfo, namespace: str | AllNamespaces | None) -> None:
        if info.namespaced and (namespace is None or namespace == ""):
            raise NamespaceRequiredError(
                f"{info.plural} is namespaced and {namespace!r} names no namespace: leave the "
                "argument out for the clientset's namespace (the kubeconfig context's), or pass "
                "ALL_NAMESPACES (from kubetyped.typed) for every namespace"
            )
        if not info.namespaced and namespace is not None:
            raise KubetypedError(f"{info.plural} is cluster-scoped: it takes no namespace")
        self.info = info
        self.namespace = namespace

    def collection(self) -> rq.ResourcePath:
        """The collection path (`/api[s]/.../[namespaces/<ns>/]<plural>`); ALL_NAMESPACES gives the
        path without a namespace segment.
        """
        namespace = None if self.namespace is ALL_NAMESPACES else self.namespace
        assert not isinstance(namespace, AllNamespaces)
        return rq.ResourcePath(self.info.group, self.info.version, self.info.plural, namespace)

    def item(self, name: str, subresource: str | None = None) -> rq.ResourcePath:
        """The path of the object `name`, or of its `subresource` (e.g. "status", "scale").

        Raises `NamespaceRequiredError` on a client bound to ALL_NAMESPACES and `RequestBuildError`
        for an empty name.
        """
        if self.namespace is ALL_NAMESPACES:
            raise NamespaceRequiredError(
                f"{self.info.plural}: {name!r} needs a namespace, not ALL_NAMESPACES"
            )
        if not name:
            raise rq.RequestBuildError(f"{self.info.plural}: a name is required")
        return self.collection().named(name, subresource)

    # ---- bodies --------------------------------------------------------------------------

    def body(self, obj: Body, *, kind: str | None = None, api_version: str | None = None) -> bytes:
        """Wire JSON of `obj`, with apiVersion and kind filled in when missing."""
        raw = wire_form(obj)
        if "apiVersion" not in raw or "kind" not in raw:
            raw = {
                "apiVersion": api_version or self.info.api_version,
                "kind": kind or self.info.kind,
                **raw,
            }
        try:
            return rq.encode_json(raw)
        except rq.RequestBuildError as exc:
            raise rq.RequestBuildError(f"{self.info.kind}: {exc}") from None

    def model_body(self, obj: Body, model: Any) -> bytes:
        """Wire JSON of `obj` (a subresource body, e.g. a Scale), with apiVersion and kind filled
        in from `model`'s group, version and kind when missing."""
        return self.body(obj, kind=model.kube_kind, api_version=api_version_of(model))

    def name_of(self, obj: Body) -> str:
        """`metadata.name` of a model or wire dict; `RequestBuildError` when it is missing or empty
        (the API needs it for PUT and apply).
        """
        metadata = wire_form(obj).get("metadata") or {}
        name = metadata.get("name") if isinstance(metadata, Mapping) else None
        if not isinstance(name, str) or not name:
            raise rq.RequestBuildError(f"{self.info.kind}: metadata.name is required")
        return name

    # ---- requests ------------------------------------------------------------------------

    def get(
        self, name: str, resource_version: str | None, subresource: str | None = None
    ) -> httpx.Request:
        """GET of one object or subresource. `resource_version` None or "" asks for the latest (a
        quorum read), "0" accepts any cached version (API convention "resourceVersion semantics").
        """
        return rq.get_request(self.item(name, subresource), rq.GetOptions(resource_version))

    def list(self, options: rq.ListOptions) -> httpx.Request:
        """GET of the collection with the query of `options` (selectors, limit/continue,
        resourceVersion).
        """
        return rq.list_request(self.collection(), options)

    def create(self, obj: Body, options: rq.WriteOptions) -> httpx.Request:
        """POST of `obj` to the collection (client-go `Create`); `options` give dryRun, fieldManager
        and fieldValidation. Raises `RequestBuildError` when `obj` does not encode to JSON.
        """
        return rq.write_request("POST", self.collection(), self.body(obj), options)

    def update(
        self, obj: Body, options: rq.WriteOptions, subresource: str | None = None
    ) -> httpx.Request:
        """PUT of the whole `obj` to its own path, or to `subresource` (client-go
        `Update`/`UpdateStatus`). The name comes from `obj.metadata.name`; the server checks
        `metadata.resourceVersion` (optimistic concurrency, 409 `ConflictError` on a stale one).
        """
        path = self.item(self.name_of(obj), subresource)
        return rq.write_request("PUT", path, self.body(obj), options)

    def patch(
        self,
        name: str,
        patch: Any,
        patch_type: rq.PatchTypeArg,
        options: rq.WriteOptions,
        subresource: str | None = None,
    ) -> httpx.Request:
        """PATCH of `name` (or its `subresource`) with `patch` sent as given: a list for a JSON patch,
        a model or dict for merge and strategic-merge patches; `patch_type` picks the Content-Type
        (client-go `Patch`).
        """
        body = patch if isinstance(patch, list) else wire_form(patch)
        return rq.patch_request(self.item(name, subresource), body, patch_type, options)

    def apply(
        self,
        obj: Body,
        options: rq.ApplyOptions,
        subresource: str | None = None,
        *,
        name: str | None = None,
        model: Any = None,
    ) -> httpx.Request:
        """Server-side apply: a PATCH with `application/apply-patch+yaml` of the object's JSON
        (client-go `Apply`). `options` carry the required fieldManager and `force`; `model` (a
        subresource's model, e.g. the Scale the `ResourceInfo` names) fills in apiVersion and kind
        of a body that lacks them, `name` overrides `metadata.name`.
        """
        path = self.item(name or self.name_of(obj), subresource)
        body = self.body(obj) if model is None else self.model_body(obj, model)
        return rq.apply_request(path, body, options)

    def delete(self, name: str, options: rq.DeleteOptions) -> httpx.Request:
        """DELETE of `name` with a `DeleteOptions` body (propagationPolicy, gracePeriodSeconds,
        preconditions, dryRun) as client-go `Delete` sends it.
        """
        return rq.delete_request(self.item(name), options)

    def delete_collection(
        self, list_options: rq.ListOptions, options: rq.DeleteOptions
    ) -> httpx.Request:
        """DELETE of the collection: `list_options` select the objects (query string), `options` go in
        the `DeleteOptions` body (client-go `DeleteCollection`).
        """
        return rq.delete_request(self.collection(), options, list_options)

    def post_subresource(
        self,
        name: str,
        subresource: str,
        body: Body,
        kind: str,
        api_version: str,
        options: rq.WriteOptions,
    ) -> httpx.Request:
        """POST of `body` (filled in as `api_version`/`kind`) to the `subresource` of `name`: eviction,
        binding, token requests.
        """
        body_json = self.body(body, kind=kind, api_version=api_version)
        return rq.write_request("POST", self.item(name, subresource), body_json, options)

    # ---- decoding ------------------------------------------------------------------------

    def decode(self, response: httpx.Response) -> Any:
        """The response body decoded (lazily, trusted) into the resource's model."""
        return self.info.model_class().from_json(response.content)

    def decode_list(self, response: httpx.Response) -> Any:
        """The response body decoded into the resource's list model; `items` stay unparsed until read."""
        return self.info.list_model_class().from_json(response.content)

    def page_items(self, page: dict[str, Any]) -> builtins.list[Any]:
        """The items of one list page (plain JSON) as lazily decoded models."""
        from kubetyped.model.base import locate

        from_raw = self.info.model_class().from_raw
        items = [from_raw(item) for item in page.get("items") or ()]
        for index, item in enumerate(items):
            locate(item, "items", index)  # decode errors name `items[3]....`
        return items

    def decode_deleted(self, response: httpx.Response) -> Any:
        """The server's answer to a delete: the object (as deleted, or marked for deletion while
        finalizers run) as the resource's model, or a `kubetyped.api.Status` (API convention:
        DELETE returns the object or a Status; client-go's dynamic client returns either)."""
        return decode_object_or_status(self.info.model_class(), response)

    def decode_deleted_collection(self, response: httpx.Response) -> Any:
        """The server's answer to a deletecollection: the list of deleted objects (as the
        resource's list model), or a `kubetyped.api.Status`."""
        return decode_object_or_status(self.info.list_model_class(), response)

    def decode_as(self, model: Any, response: httpx.Response) -> Any:
        """The response body decoded into `model` (a KubeModel class), for subresources whose kind
        differs (Scale, Eviction, TokenRequest).
        """
        return model.from_json(response.content)

    def event(self, event: WatchEvent[dict[str, Any]]) -> WatchEvent[Any]:
        """The event with its object decoded (lazily) into the resource's model; an ERROR
        event raises its typed `ApiError`."""
        error = event.error()
        if error is not None:
            raise error
        from kubetyped.model.base import locate

        obj = self.info.model_class().from_raw(event.object)
        locate(obj, "object")  # decode errors name `object....`, as in the event's JSON
        return WatchEvent(event.type, obj, event.resource_version)


def api_version_of(model: Any) -> str:
    """The apiVersion of a generated model class (`group/version`, or `version` for core)."""
    version: str = model.kube_version
    return f"{model.kube_group}/{version}" if model.kube_group else version


def decode_object_or_status(model: Any, response: httpx.Response) -> Any:
    """`response`'s JSON object as `kubetyped.api.Status` when its kind is Status, else as
    `model`. Raises `ResponseDecodeError` for an answer that is not a JSON object."""
    data = decode_json(response)
    if data.get("kind") == "Status" and data.get("apiVersion", "v1") == "v1":
        return api.Status.from_raw(data)
    return model.from_raw(data)


def wire_form(obj: Body) -> dict[str, Any]:
    """The wire dict of a model (without copying when possible) or a plain dict."""
    to_raw = getattr(obj, "_to_raw", None)
    if to_raw is not None:
        result: dict[str, Any] = to_raw()
        return result
    if isinstance(obj, Mapping):
        return dict(obj)
    raise rq.RequestBuildError(f"expected a model or a dict, got {type(obj).__name__}")


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
