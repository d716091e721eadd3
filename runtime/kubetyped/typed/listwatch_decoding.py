"""Decoding of list pages and watch events into models, for the typed ListWatch adapters."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from kubetyped.cache.protocols import ListResult, WatchEvent
from kubetyped.model import jsonio
from kubetyped.typed.operations import ResourceOperations
from kubetyped.typed.resource import ALL_NAMESPACES, ResourceInfo
from kubetyped.watch import EventType

__all__: list[str] = []

T = TypeVar("T")


class Decoding(Generic[T]):
    """Turns list pages and watch events into models that keep their JSON unparsed until read.

    An informer may cache tens of thousands of objects nobody reads: each is held as its own
    JSON bytes (about its wire size) and parsed on first attribute access (client-go keeps
    decoded structs; we keep what is cheaper in Python). The cache reads keys and metadata
    without parsing the rest (``kubetyped.cache.meta``)."""

    def __init__(self, info: ResourceInfo, namespace: str | None) -> None:
        scope = (namespace or ALL_NAMESPACES) if info.namespaced else None
        self.path = ResourceOperations(info, scope).collection().path
        self._info = info

    def result(self, data: bytes) -> ListResult[T]:
        """One list page: items split without parsing, each copied into its own buffer (so the
        page can be freed)."""
        model = self._info.model_class()
        page = jsonio.loads_list_object(data, self._info.list_model_class().__name__)
        from_unparsed = model.from_unparsed
        items = [from_unparsed(bytes(item)) for item in page.get("items") or ()]
        meta = page.get("metadata") or {}
        return ListResult(
            items, str(meta.get("resourceVersion") or ""), meta.get("continue") or None
        )

    def event(self, event: WatchEvent[Any]) -> WatchEvent[Any]:
        """An ADDED/MODIFIED/DELETED event with its object as the resource's model (kept
        unparsed when it arrived unparsed); BOOKMARKs as they are."""
        obj = event.object
        if event.type in (EventType.ERROR, EventType.BOOKMARK):
            return event
        model = self._info.model_class()
        decoded = model.from_raw(obj) if isinstance(obj, dict) else model.from_unparsed(obj)
        return WatchEvent(event.type, decoded, event.resource_version)
