"""What the cache exchanges with the REST layer: list pages and watch events.

The ``ListWatch`` protocols and their one implementation (``ResourceListWatch``, over the request
core ``kubetyped.resource``) are in ``async_listwatch`` (the source) and ``sync_listwatch``
(generated from it by ``make unasync``). List and watch calls take
``kubetyped.request.ListOptions``, passed on as they are. Watch events are the one
``kubetyped.watch.WatchEvent``; an ERROR event is raised by the stream as its typed ``ApiError``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from kubetyped.request import ListOptions as ListOptions  # re-exported: the cache API takes it
from kubetyped.watch import WatchEvent as WatchEvent  # re-exported: the one event type

__all__ = ["ListOptions", "ListResult", "WatchEvent"]

T = TypeVar("T")

INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end"


@dataclass(frozen=True, slots=True)
class ListResult(Generic[T]):
    """One page of a list: items, the list's resourceVersion and the continue token."""

    items: Sequence[T]
    resource_version: str
    continue_token: str | None = None


TweakListOptions = Callable[[ListOptions], ListOptions]
