"""What the metadata clients and informers share: the metadata codec of the request core
(`kubetyped.resource`), the binding of a resource, and the informers' indexers and key."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from kubetyped import api
from kubetyped import request as rq
from kubetyped.api import PartialObjectMetadata, PartialObjectMetadataList
from kubetyped.cache import NAMESPACE_INDEX, namespace_index_func
from kubetyped.cache.store import IndexFunc
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata.negotiate import (
    ACCEPT_LIST,
    ACCEPT_OBJECT,
    PARTIAL_LIST,
    is_partial_json,
    partial_event_object,
    partial_list,
    partial_object,
)
from kubetyped.model import jsonio
from kubetyped.resource import BoundResource, CachePage, wire_form
from kubetyped.rest import decode_json
from kubetyped.watch import EventType, WatchEvent

if TYPE_CHECKING:
    from kubetyped.api import Status

__all__: list[str] = []


def _object_or_status(data: dict[str, Any]) -> PartialObjectMetadata | Status:
    if data.get("kind") == "Status" and data.get("apiVersion", "v1") == "v1":
        status: Status = api.Status.from_raw(data)
        return status
    return PartialObjectMetadata.from_raw(partial_object(data))


@dataclass(frozen=True, slots=True)
class MetadataCodec:
    """The metadata family's codec for the request core (`kubetyped.resource`): asks for
    `PartialObjectMetadata` (`Accept`, with a JSON fallback) and reduces full objects from
    servers that cannot answer so (client-go `metadata.Client`)."""

    accept: str = ACCEPT_OBJECT
    list_accept: str = ACCEPT_LIST
    unparsed_watch: bool = True

    def encode(self, obj: Any, api_version: str | None = None, kind: str | None = None) -> bytes:
        """The body as given (the metadata client sends patches only)."""
        return rq.encode_json(wire_form(obj))

    def decode(self, response: httpx.Response) -> PartialObjectMetadata:
        """One object's metadata (a full object is reduced first)."""
        return PartialObjectMetadata.from_raw(partial_object(decode_json(response)))

    def decode_list(self, response: httpx.Response) -> PartialObjectMetadataList:
        """A list of metadata (full objects are reduced first)."""
        return PartialObjectMetadataList.from_raw(partial_list(decode_json(response)))

    def decode_deleted(self, response: httpx.Response) -> PartialObjectMetadata | Status:
        """The object's metadata (deleted, or marked for deletion while finalizers run), or the
        server's `Status` (API convention: DELETE returns either)."""
        return _object_or_status(decode_json(response))

    def decode_deleted_collection(self, response: httpx.Response) -> Any:
        """The list of deleted objects' metadata, or the server's `Status`."""
        data = decode_json(response)
        if data.get("kind") == "Status":
            return _object_or_status(data)
        return PartialObjectMetadataList.from_raw(partial_list(data))

    def page_items(self, page: dict[str, Any]) -> list[PartialObjectMetadata]:
        """The page's items as `PartialObjectMetadata`."""
        return [PartialObjectMetadata.from_raw(i) for i in partial_list(page)["items"]]

    def event(self, event: WatchEvent[Any]) -> WatchEvent[PartialObjectMetadata]:
        """The event with its object reduced to `PartialObjectMetadata` (the stream has raised
        ERROR events as their typed `ApiError` already)."""
        reduced = partial_event_object(event.type.value, event.object)
        obj = PartialObjectMetadata.from_raw(reduced)
        return WatchEvent(event.type, obj, event.resource_version)

    def cache_page(self, data: bytes) -> CachePage:
        """A list answer as caches keep it: the items as JSON, parsed on first read (see
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

    def cache_event(self, event: WatchEvent[Any]) -> WatchEvent[PartialObjectMetadata]:
        """The event as the cache keeps it: its object's JSON, parsed again on first read (a
        parsed `PartialObjectMetadata` costs several times its JSON); BOOKMARKs as they are.
        A metadata-only answer is kept as it came (not parsed); a full object is reduced."""
        if event.type is EventType.BOOKMARK:
            return event
        obj = event.object
        if not isinstance(obj, dict):  # the object's JSON (`unparsed_watch`)
            if is_partial_json(obj):  # the server answered metadata-only: keep it as it came
                partial = PartialObjectMetadata.from_unparsed(obj)
                return WatchEvent(event.type, partial, event.resource_version)
            event = WatchEvent(event.type, orjson.loads(memoryview(obj)), event.resource_version)
        decoded = self.event(event)
        raw = decoded.object.raw_view()
        if raw is None:
            return decoded
        # orjson's output keeps its >= 4 KiB buffer: cache an exact-size copy
        obj = PartialObjectMetadata.from_unparsed(bytes(memoryview(orjson.dumps(raw))))
        return WatchEvent(event.type, obj, event.resource_version)


def metadata_resource(
    gvr: GroupVersionResource, namespace: str | None = None
) -> BoundResource[PartialObjectMetadata]:
    """`gvr` bound to `namespace` (None: cluster-scoped or all namespaces) with the
    `MetadataCodec` (client-go `metadata.Client.Resource(gvr).Namespace(ns)`)."""
    path = rq.ResourcePath(gvr.group, gvr.version, gvr.resource, namespace or None)
    return BoundResource(path, MetadataCodec())


def metadata_indexers(extra: Mapping[str, IndexFunc] | None) -> dict[str, IndexFunc]:
    """The namespace index (client-go ``cache.NamespaceIndex``) plus ``extra``."""
    return {NAMESPACE_INDEX: namespace_index_func, **(extra or {})}


def metadata_informer_key(gvr: GroupVersionResource) -> Hashable:
    """The factory key of the metadata informer of ``gvr`` (apart from typed informers')."""
    return ("metadata", gvr)
