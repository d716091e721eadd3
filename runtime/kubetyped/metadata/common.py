"""What the metadata clients share: pure request builders and decoders."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from kubetyped import api
from kubetyped import request as rq
from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.cache import NAMESPACE_INDEX, ListResult, namespace_index_func
from kubetyped.cache.store import IndexFunc
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.negotiate import (
    ACCEPT_LIST,
    ACCEPT_OBJECT,
    PARTIAL_LIST,
    partial_event_object,
    partial_list,
    partial_object,
)
from kubetyped.model import jsonio
from kubetyped.rest import decode_json
from kubetyped.watch import WatchEvent

if TYPE_CHECKING:
    from kubetyped.api import Status

__all__: list[str] = []


@dataclass(frozen=True, slots=True)
class Requests:
    """Pure request builders for one resource in one namespace (None: cluster / all)."""

    gvr: GroupVersionResource
    namespace: str | None = None

    def collection(self) -> rq.ResourcePath:
        """The collection path of the resource, in `namespace` (None: cluster-scoped or all
        namespaces).
        """
        g = self.gvr
        return rq.ResourcePath(g.group, g.version, g.resource, self.namespace)

    def get(self, name: str, options: rq.GetOptions | None) -> httpx.Request:
        """GET of `name` asking for `PartialObjectMetadata` (client-go `metadata.ResourceInterface.Get`)."""
        return rq.get_request(self.collection().named(name), options, accept=ACCEPT_OBJECT)

    def list(self, options: rq.ListOptions | None) -> httpx.Request:
        """GET of the collection asking for `PartialObjectMetadataList` (client-go
        `metadata.ResourceInterface.List`).
        """
        return rq.list_request(self.collection(), options, accept=ACCEPT_LIST)

    def watch(self, options: rq.ListOptions | None) -> httpx.Request:
        """A watch of the collection whose events carry `PartialObjectMetadata` (client-go
        `metadata.ResourceInterface.Watch`).
        """
        return rq.watch_request(self.collection(), options, accept=ACCEPT_OBJECT)

    def patch(
        self, name: str, body: Any, patch_type: rq.PatchTypeArg, options: rq.WriteOptions | None
    ) -> httpx.Request:
        """PATCH of `name` (any `patch_type`), answered with the patched object's metadata (client-go
        `metadata.ResourceInterface.Patch`).
        """
        path = self.collection().named(name)
        return rq.patch_request(path, body, patch_type, options, accept=ACCEPT_OBJECT)

    def delete(self, name: str, options: rq.DeleteOptions | None) -> httpx.Request:
        """DELETE of `name` with a `DeleteOptions` body, answered as `PartialObjectMetadata` (or the
        server's `Status`).
        """
        return rq.delete_request(self.collection().named(name), options, accept=ACCEPT_OBJECT)


def decode_object(response: httpx.Response) -> PartialObjectMetadata:
    """One object's metadata from a response (a full object is reduced first)."""
    return PartialObjectMetadata.from_raw(partial_object(decode_json(response)))


def decode_deleted(response: httpx.Response) -> PartialObjectMetadata | Status:
    """The answer to a delete: the object's metadata (deleted, or marked for deletion while
    finalizers run), or the server's `Status` (API convention: DELETE returns either)."""
    data = decode_json(response)
    if data.get("kind") == "Status" and data.get("apiVersion", "v1") == "v1":
        status: Status = api.Status.from_raw(data)
        return status
    return PartialObjectMetadata.from_raw(partial_object(data))


def decode_list(response: httpx.Response) -> PartialObjectMetadataList:
    """A list of metadata from a response (full objects are reduced first)."""
    return PartialObjectMetadataList.from_raw(partial_list(decode_json(response)))


def metadata_event(event: WatchEvent[dict[str, Any]]) -> WatchEvent[PartialObjectMetadata]:
    """The event with its object reduced to `PartialObjectMetadata` (the stream has raised ERROR
    events as their typed `ApiError` already)."""
    reduced = partial_event_object(event.type.value, event.object)
    obj = PartialObjectMetadata.from_raw(reduced)
    return WatchEvent(event.type, obj, event.resource_version)


#: A list page as caches keep it: the items (JSON until read) and the list's `metadata`.
UnparsedPage = tuple[list[PartialObjectMetadata], dict[str, Any]]


def unparsed_list(data: bytes) -> UnparsedPage:
    """A list response as caches keep it: the items as JSON, parsed on first read (see
    `KubeModel.from_unparsed`), and the list's `metadata`. Full objects (from a server that
    cannot answer metadata-only) are reduced to `PartialObjectMetadata` first."""
    page = jsonio.loads_list_object(data, PARTIAL_LIST)
    items = page.get("items") or ()
    from_unparsed = PartialObjectMetadata.from_unparsed
    if page.get("kind") == PARTIAL_LIST:
        objs = [from_unparsed(bytes(item)) for item in items]
    else:
        # exact-size copies: orjson's output keeps its >= 4 KiB buffer
        objs = [
            from_unparsed(bytes(memoryview(orjson.dumps(partial_object(jsonio.parse(i))))))
            for i in items
        ]
    meta = page.get("metadata")
    return objs, meta if isinstance(meta, dict) else {}


# --- what the metadata informers share ------------------------------------------------------


def unparsed_object(obj: Any) -> Any:
    """The object as the cache keeps it: its JSON, parsed again on first read (a parsed
    ``PartialObjectMetadata`` costs several times its JSON; see ``KubeModel.from_unparsed``).
    Anything but a ``PartialObjectMetadata`` with raw JSON is returned as is."""
    raw = obj.raw_view() if isinstance(obj, PartialObjectMetadata) else None
    if raw is None:
        return obj
    # orjson's output keeps its >= 4 KiB buffer: cache an exact-size copy
    return PartialObjectMetadata.from_unparsed(bytes(memoryview(orjson.dumps(raw))))


def list_result(page: UnparsedPage) -> ListResult[PartialObjectMetadata]:
    """A list page as the reflector takes it: items, resourceVersion and continue token."""
    items, meta = page
    return ListResult(
        items=items,
        resource_version=str(meta.get("resourceVersion") or ""),
        continue_token=meta.get("continue") or None,
    )


def metadata_indexers(extra: Mapping[str, IndexFunc] | None) -> dict[str, IndexFunc]:
    """The namespace index (client-go ``cache.NamespaceIndex``) plus ``extra``."""
    return {NAMESPACE_INDEX: namespace_index_func, **(extra or {})}


def metadata_informer_key(gvr: GroupVersionResource) -> Hashable:
    """The factory key of the metadata informer of ``gvr`` (apart from typed informers')."""
    return ("metadata", gvr)
