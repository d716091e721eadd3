"""What the cache needs from the REST layer: a ListWatch (sync) or AsyncListWatch.

Typed clients and the dynamic client provide adapters; tests provide in-memory fakes.
List and watch calls take ``kubetyped.request.ListOptions``, so adapters pass them on as they are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from kubetyped.request import ListOptions as ListOptions  # re-exported: the cache API takes it

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

ADDED = "ADDED"
MODIFIED = "MODIFIED"
DELETED = "DELETED"
BOOKMARK = "BOOKMARK"
ERROR = "ERROR"

INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end"


@dataclass(frozen=True, slots=True)
class ListResult(Generic[T]):
    """One page of a list: items, the list's resourceVersion and the continue token."""

    items: Sequence[T]
    resource_version: str
    continue_token: str | None = None


@dataclass(frozen=True, slots=True)
class WatchEvent(Generic[T]):
    """A watch event; ``kubetyped.watch.WatchEvent`` has the same shape."""

    type: str
    object: T


class WatchEventLike(Protocol[T_co]):
    @property
    def type(self) -> str: ...

    @property
    def object(self) -> T_co: ...


class ListWatch(Protocol[T]):
    """Blocking list and watch of one resource (already scoped by namespace/selectors)."""

    def list(self, options: ListOptions) -> ListResult[T]: ...

    def watch(self, options: ListOptions) -> Iterator[WatchEventLike[Any]]: ...


class AsyncListWatch(Protocol[T]):
    """asyncio list and watch of one resource."""

    async def list(self, options: ListOptions) -> ListResult[T]: ...

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEventLike[Any]]: ...


TweakListOptions = Callable[[ListOptions], ListOptions]


@dataclass(frozen=True, slots=True)
class TweakedListWatch(Generic[T]):
    """A ListWatch whose options pass through ``tweak`` (e.g. to add a label selector)."""

    inner: ListWatch[T]
    tweak: TweakListOptions = field(default=lambda o: o)

    def list(self, options: ListOptions) -> ListResult[T]:
        return self.inner.list(self.tweak(options))

    def watch(self, options: ListOptions) -> Iterator[WatchEventLike[Any]]:
        return self.inner.watch(self.tweak(options))


@dataclass(frozen=True, slots=True)
class AsyncTweakedListWatch(Generic[T]):
    """The asyncio twin of ``TweakedListWatch``."""

    inner: AsyncListWatch[T]
    tweak: TweakListOptions = field(default=lambda o: o)

    async def list(self, options: ListOptions) -> ListResult[T]:
        return await self.inner.list(self.tweak(options))

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEventLike[Any]]:
        return self.inner.watch(self.tweak(options))
