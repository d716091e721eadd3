"""Decoding of list pages and watch events into models, for the typed ListWatch adapters."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from kubetyped.cache.protocols import ListResult, WatchEvent
from kubetyped.typed.operations import ResourceOperations
from kubetyped.typed.resource import ALL_NAMESPACES, ResourceInfo

T = TypeVar("T")


class Decoding(Generic[T]):
    """Turns the plain-dict results of the REST adapters into (lazily decoded) models."""

    def __init__(self, info: ResourceInfo, namespace: str | None) -> None:
        scope = (namespace or ALL_NAMESPACES) if info.namespaced else None
        self.path = ResourceOperations(info, scope).collection().path
        self._info = info

    def result(self, page: ListResult[dict[str, Any]]) -> ListResult[T]:
        """A page of plain items as a page of (lazily decoded) models."""
        from_raw = self._info.model_class().from_raw
        return ListResult(
            [from_raw(item) for item in page.items], page.resource_version, page.continue_token
        )

    def event(self, event: WatchEvent[Any]) -> WatchEvent[Any]:
        """The event with its object decoded (lazily) into the resource's model."""
        if not isinstance(event.object, dict):
            return event
        model = self._info.model_class()
        return WatchEvent(event.type, model.from_raw(event.object), event.resource_version)
