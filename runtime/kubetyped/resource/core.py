"""The resource-bound request core shared by every client family (pure: no I/O).

`BoundResource` is one resource bound to a namespace (or none) over a `request.ResourcePath`: it
builds the get/list/watch/create/update/patch/apply/delete/deletecollection requests of that
resource and of its subresources, and carries the `Codec` that turns the answers into what the
family returns: models (typed clients, `ModelCodec`), plain dicts (dynamic, `JSONCodec`),
`PartialObjectMetadata` (metadata, `kubetyped.metadata.common.MetadataCodec`) or a `Scale`
(`ModelCodec` of the scale model). Sources: client-go `rest.Request` (the builder) and
`gentype.Client` (one client bound to a resource and namespace, decoding into its type).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import httpx
import orjson

from kubetyped import api
from kubetyped import request as rq
from kubetyped.model import jsonio
from kubetyped.model.base import locate
from kubetyped.request import NamespaceRequiredError, ResourcePath
from kubetyped.rest import decode_json
from kubetyped.watch import EventType, WatchEvent

if TYPE_CHECKING:
    from kubetyped.api import Status

__all__ = [
    "BoundResource",
    "CachePage",
    "Codec",
    "JSONCodec",
    "ModelCodec",
    "api_version_of",
    "patch_body",
    "wire_form",
]

T = TypeVar("T")
Obj = dict[str, Any]
#: A list page as caches keep it: the items, and the list's `metadata` (resourceVersion, continue).
CachePage = tuple[list[Any], Obj]


class Codec(Protocol[T]):
    """How one client family encodes bodies and decodes answers (the pluggable decoder).

    `accept`/`list_accept` are the `Accept` headers of object answers (and watch events) and of
    lists. `unparsed_watch`: caches watch with the objects kept as JSON by the stream
    (`kubetyped.watch.decode_event_unparsed`), which `cache_event` then wraps."""

    @property
    def accept(self) -> str:
        """The `Accept` header of object answers and watch events."""
        ...

    @property
    def list_accept(self) -> str:
        """The `Accept` header of lists."""
        ...

    @property
    def unparsed_watch(self) -> bool:
        """True: cache watches keep objects as JSON (`cache_event` wraps them)."""
        ...

    def encode(self, obj: Any, api_version: str | None = None, kind: str | None = None) -> bytes:
        """The JSON body of a create, update or apply (`api_version`/`kind` fill a model body that
        lacks them); raises `RequestBuildError` when it cannot be encoded."""
        ...

    def decode(self, response: httpx.Response) -> T:
        """One object from a 2xx answer."""
        ...

    def decode_list(self, response: httpx.Response) -> Any:
        """The list object of a list answer."""
        ...

    def decode_deleted(self, response: httpx.Response) -> T | Status:
        """The answer to a delete: the object, or the server's `Status` (API convention)."""
        ...

    def decode_deleted_collection(self, response: httpx.Response) -> Any:
        """The answer to a deletecollection: the list of deleted objects, or a `Status`."""
        ...

    def page_items(self, page: Obj) -> list[T]:
        """The items of one list page (plain JSON), for paging iterators."""
        ...

    def event(self, event: WatchEvent[Any]) -> WatchEvent[T]:
        """A watch event with its object decoded (the stream raised ERROR events already)."""
        ...

    def cache_page(self, data: bytes) -> CachePage:
        """A list answer as caches keep it (items held as cheaply as the family allows)."""
        ...

    def cache_event(self, event: WatchEvent[Any]) -> WatchEvent[T]:
        """A watch event as caches keep it; BOOKMARK events pass as they are."""
        ...


def _is_status(data: Obj) -> bool:
    return data.get("kind") == "Status" and data.get("apiVersion", "v1") == "v1"


def _status(data: Obj) -> Status:
    status: Status = api.Status.from_raw(data)
    return status


def wire_form(obj: Any) -> Obj:
    """The wire dict of a model (without copying when possible) or of a mapping;
    `RequestBuildError` for anything else."""
    to_raw = getattr(obj, "_to_raw", None)
    if to_raw is not None:
        result: Obj = to_raw()
        return result
    if isinstance(obj, Mapping):
        return dict(obj)
    raise rq.RequestBuildError(f"expected a model or a dict, got {type(obj).__name__}")


def api_version_of(model: Any) -> str:
    """The apiVersion of a generated model class (`group/version`, or `version` for core)."""
    version: str = model.kube_version
    return f"{model.kube_group}/{version}" if model.kube_group else version


def _split_page(data: bytes, list_kind: str) -> tuple[Any, Obj]:
    page = jsonio.loads_list_object(data, list_kind)
    meta = page.get("metadata")
    return page.get("items") or (), meta if isinstance(meta, dict) else {}


@dataclass(frozen=True, slots=True)
class JSONCodec:
    """Plain dicts in and out (the dynamic client; client-go `unstructured`)."""

    accept: str = rq.JSON
    list_accept: str = rq.JSON
    unparsed_watch: bool = False

    def encode(self, obj: Any, api_version: str | None = None, kind: str | None = None) -> bytes:
        """`obj` (a dict, or bytes) as JSON, as given."""
        return rq.encode_json(obj)

    def decode(self, response: httpx.Response) -> Obj:
        """The answer's JSON object."""
        return decode_json(response)

    decode_list = decode_deleted = decode_deleted_collection = decode

    def page_items(self, page: Obj) -> list[Obj]:
        """The page's `items`."""
        return list(page.get("items") or ())

    def event(self, event: WatchEvent[Any]) -> WatchEvent[Obj]:
        """The event as it came."""
        return event

    cache_event = event

    def cache_page(self, data: bytes) -> CachePage:
        """The page's items (dicts) and list metadata."""
        page = orjson.loads(data)
        meta = page.get("metadata")
        return list(page.get("items") or ()), meta if isinstance(meta, dict) else {}


@dataclass(frozen=True, slots=True)
class ModelCodec(Generic[T]):
    """Generated models in and out (typed clients, and the `Scale`, `Lease` and `Event` models).

    `model`/`list_model` return the classes (imported on first use); `api_version`/`kind` fill a
    body that lacks them. Objects decode lazily (trusted input): parsed on first read, and
    caches hold each object as its own JSON bytes until read."""

    model: Callable[[], Any]
    list_model: Callable[[], Any] | None
    api_version: str
    kind: str
    accept: str = rq.JSON
    list_accept: str = rq.JSON
    unparsed_watch: bool = True

    @classmethod
    def of(cls, model: Any, list_model: Any = None) -> ModelCodec[Any]:
        """The codec of a model class (and optionally its list class)."""
        return cls(
            lambda: model,
            None if list_model is None else (lambda: list_model),
            api_version_of(model),
            model.kube_kind,
        )

    def _list_model(self) -> Any:
        if self.list_model is None:
            raise rq.RequestBuildError(f"{self.kind} has no list model")
        return self.list_model()

    def encode(self, obj: Any, api_version: str | None = None, kind: str | None = None) -> bytes:
        """Wire JSON of `obj`, with apiVersion and kind filled in when missing."""
        raw = wire_form(obj)
        if "apiVersion" not in raw or "kind" not in raw:
            raw = {"apiVersion": api_version or self.api_version, "kind": kind or self.kind, **raw}
        try:
            return rq.encode_json(raw)
        except rq.RequestBuildError as exc:
            raise rq.RequestBuildError(f"{self.kind}: {exc}") from None

    def decode(self, response: httpx.Response) -> T:
        """The answer as the model (decoded lazily)."""
        result: T = self.model().from_json(response.content)
        return result

    def decode_list(self, response: httpx.Response) -> Any:
        """The answer as the list model; `items` stay unparsed until read."""
        return self._list_model().from_json(response.content)

    def decode_deleted(self, response: httpx.Response) -> T | Status:
        """The object (as deleted, or marked for deletion while finalizers run), or a
        `kubetyped.api.Status` (API convention: DELETE returns either)."""
        data = decode_json(response)
        if _is_status(data):
            return _status(data)
        result: T = self.model().from_raw(data)
        return result

    def decode_deleted_collection(self, response: httpx.Response) -> Any:
        """The list of deleted objects (the list model), or a `kubetyped.api.Status`."""
        data = decode_json(response)
        return _status(data) if _is_status(data) else self._list_model().from_raw(data)

    def page_items(self, page: Obj) -> list[T]:
        """The page's items as lazily decoded models (decode errors name `items[3]....`)."""
        from_raw = self.model().from_raw
        items: list[T] = [from_raw(item) for item in page.get("items") or ()]
        for index, item in enumerate(items):
            locate(item, "items", index)  # type: ignore[arg-type]
        return items

    def event(self, event: WatchEvent[Any]) -> WatchEvent[T]:
        """The event with its object as the model (decode errors name `object....`)."""
        if event.type is EventType.ERROR:  # a stream made with raise_errors=False
            error = event.error()
            assert error is not None
            raise error
        obj = self.model().from_raw(event.object)
        locate(obj, "object")
        return WatchEvent(event.type, obj, event.resource_version)

    def cache_page(self, data: bytes) -> CachePage:
        """Items split without parsing, each copied into its own buffer (so the page can be
        freed) and parsed on first read: an informer may cache tens of thousands of objects
        nobody reads (client-go keeps decoded structs; we keep what is cheaper in Python)."""
        items, meta = _split_page(data, self._list_model().__name__)
        from_unparsed = self.model().from_unparsed
        return [from_unparsed(bytes(item)) for item in items], meta

    def cache_event(self, event: WatchEvent[Any]) -> WatchEvent[T]:
        """ADDED/MODIFIED/DELETED objects as the model, kept unparsed when they arrived so."""
        obj = event.object
        if event.type in (EventType.ERROR, EventType.BOOKMARK):
            return event
        model = self.model()
        decoded = model.from_raw(obj) if isinstance(obj, dict) else model.from_unparsed(obj)
        return WatchEvent(event.type, decoded, event.resource_version)


def _metadata(body: Any) -> Obj:
    if body is None:
        return {}
    metadata = wire_form(body).get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def patch_body(patch: Any) -> Any:
    """A patch as sent: bytes or text as given, a list (JSON patch) as is, a model or mapping as
    its wire dict."""
    if isinstance(patch, str):
        return patch.encode()
    if isinstance(patch, bytes | bytearray | list):
        return patch
    return wire_form(patch)


@dataclass(frozen=True, slots=True)
class BoundResource(Generic[T]):
    """One resource bound to a namespace, building its requests; answers go to `codec`.

    `path` is the collection: its `namespace` is the bound one (None: cluster-scoped, all
    namespaces, or not bound yet). `namespaced` is the scope when known (None: unknown, the
    bound namespace decides, as in client-go's dynamic client); a cluster-scoped resource
    ignores namespaces (client-go `NamespaceIfScoped`). `namespace_from_body`: an unbound
    client addresses a body's `metadata.namespace` (the dynamic and scale clients).
    Per-object requests of a namespaced resource without a namespace raise
    `NamespaceRequiredError`; a missing name raises `RequestBuildError`."""

    path: ResourcePath
    codec: Codec[T]
    namespaced: bool | None = None
    namespace_from_body: bool = False

    @property
    def namespace(self) -> str | None:
        """The bound namespace (None: none bound)."""
        return self.path.namespace

    def bind(self, namespace: str | None) -> BoundResource[T]:
        """This resource bound to `namespace` (client-go `Namespace(ns)`); `RequestBuildError`
        for a namespace on a resource known to be cluster-scoped."""
        if namespace is not None and self.namespaced is False:
            raise rq.RequestBuildError(
                f"{self.path.resource} is cluster-scoped: it takes no namespace"
            )
        return replace(self, path=replace(self.path, namespace=namespace))

    def with_codec(self, codec: Codec[Any]) -> BoundResource[Any]:
        """The same binding with another codec (a subresource of another kind: Scale, ...)."""
        return BoundResource(self.path, codec, self.namespaced, self.namespace_from_body)

    # ---- paths ------------------------------------------------------------------------------

    def _namespace(self, body: Any, name: str | None) -> str | None:
        if self.namespaced is False:
            return None
        namespace = self.path.namespace
        if namespace is None and self.namespace_from_body:
            namespace = _metadata(body).get("namespace") or None
        if namespace is None and self.namespaced:
            what = f"{name!r} " if name else ""
            raise NamespaceRequiredError(
                f"{self.path.resource} is namespaced: {what}needs a namespace, and this client "
                "is bound to none (ALL_NAMESPACES); bind one"
                + (" or set metadata.namespace" if self.namespace_from_body else "")
            )
        return namespace

    def collection(self, body: Any = None) -> ResourcePath:
        """The collection path: of list/watch/deletecollection (all namespaces when unbound), or
        of a create of `body`."""
        if body is None:
            return self.path
        return replace(self.path, namespace=self._namespace(body, None))

    def item(
        self, name: str | None, body: Any = None, subresource: str | None = None
    ) -> ResourcePath:
        """The path of the object `name` (or `body`'s `metadata.name`), or of its `subresource`."""
        if name is None and body is not None:
            name = _metadata(body).get("name") or None
        if not isinstance(name, str) or not name:
            raise rq.RequestBuildError(
                f"{self.path.resource}: a name is required (the object has no metadata.name)"
            )
        namespace = self._namespace(body, name)
        return replace(self.path, namespace=namespace, name=name, subresource=subresource)

    # ---- requests -----------------------------------------------------------------------------

    def get(
        self, name: str, options: rq.GetOptions | None = None, subresource: str | None = None
    ) -> httpx.Request:
        """GET of the object `name` or its `subresource` (client-go `Get`)."""
        path = self.item(name, subresource=subresource)
        return rq.get_request(path, options, accept=self.codec.accept)

    def list(self, options: rq.ListOptions | None = None) -> httpx.Request:
        """GET of the collection with the query of `options` (client-go `List`)."""
        return rq.list_request(self.path, options, accept=self.codec.list_accept)

    def watch(self, options: rq.ListOptions | None = None) -> httpx.Request:
        """A watch of the collection (client-go `Watch`), options as given (see
        `request.watch_bookmarks` for what callers receive)."""
        return rq.watch_request(self.path, options, accept=self.codec.accept)

    def create(
        self,
        obj: Any,
        options: rq.WriteOptions | None = None,
        *,
        name: str | None = None,
        subresource: str | None = None,
        api_version: str | None = None,
        kind: str | None = None,
    ) -> httpx.Request:
        """POST of `obj` to the collection (client-go `Create`), or to the `subresource` of
        `name` (eviction, binding, token); `api_version`/`kind` fill a body that lacks them."""
        path = self.item(name, subresource=subresource) if subresource else self.collection(obj)
        body = self.codec.encode(obj, api_version, kind)
        return rq.write_request("POST", path, body, options, accept=self.codec.accept)

    def update(
        self,
        obj: Any,
        options: rq.WriteOptions | None = None,
        subresource: str | None = None,
        *,
        name: str | None = None,
    ) -> httpx.Request:
        """PUT of the whole `obj` to its own path (`metadata.name`, or `name`) or to its
        `subresource` (client-go `Update`/`UpdateStatus`); the server checks
        `metadata.resourceVersion` (409 `ConflictError` on a stale one)."""
        path = self.item(name, obj, subresource)
        body = self.codec.encode(obj)
        return rq.write_request("PUT", path, body, options, accept=self.codec.accept)

    def patch(
        self,
        name: str,
        patch: Any,
        patch_type: rq.PatchTypeArg,
        options: rq.WriteOptions | None = None,
        subresource: str | None = None,
    ) -> httpx.Request:
        """PATCH of `name` (or its `subresource`) with `patch` (`patch_body`); `patch_type` is
        the Content-Type (client-go `Patch`)."""
        path = self.item(name, subresource=subresource)
        body = patch_body(patch)
        return rq.patch_request(path, body, patch_type, options, accept=self.codec.accept)

    def apply(
        self,
        obj: Any,
        options: rq.ApplyOptions,
        subresource: str | None = None,
        *,
        name: str | None = None,
    ) -> httpx.Request:
        """Server-side apply of `obj` (client-go `Apply`): a PATCH with
        `application/apply-patch+yaml` to its own path (`metadata.name`, or `name`)."""
        path = self.item(name, obj, subresource)
        body = self.codec.encode(obj)
        return rq.apply_request(path, body, options, accept=self.codec.accept)

    def delete(self, name: str, options: rq.DeleteOptions | None = None) -> httpx.Request:
        """DELETE of `name` with a `DeleteOptions` body (client-go `Delete`)."""
        return rq.delete_request(self.item(name), options, accept=self.codec.accept)

    def delete_collection(
        self, list_options: rq.ListOptions | None, options: rq.DeleteOptions | None
    ) -> httpx.Request:
        """DELETE of the collection: `list_options` select, `options` go in the body (client-go
        `DeleteCollection`)."""
        return rq.delete_request(self.path, options, list_options, accept=self.codec.list_accept)
