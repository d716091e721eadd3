"""The reflector as a sans-IO state machine.

The core decides what to request next (``next_action``) and how to apply each result; thread
and asyncio drivers only perform the calls. Behaviour follows client-go's reflector:

* first list with ``resourceVersion="0"`` (served by the watch cache), pages of 500; a 410 on a
  continuation falls back to one full list; later relists start from the last synced RV,
  unpaginated unless the server paginated before ("not older than", not "exact"); a
  list failing with 410 or "too large resource version" makes the next relist use ``""``;
* watches use ``allowWatchBookmarks`` and a random ``timeoutSeconds`` in [300, 600); a normal
  close re-watches from the last RV; 429 backs off and re-watches; any other failure (410,
  broken connection, ...) backs off and relists (a relist turns missed deletes into tombstones);
* optional streaming list (``sendInitialEvents``): complete at the BOOKMARK annotated
  ``k8s.io/initial-events-end: "true"``; if the server rejects it, list-then-watch is used.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kubetyped.cache.backoff import Backoff
from kubetyped.cache.errors import ErrorKind, WatchErrorStatus, classify_error
from kubetyped.cache.meta import meta_namespace_key, object_meta, resource_version_of
from kubetyped.cache.protocols import (
    ADDED,
    BOOKMARK,
    DELETED,
    ERROR,
    INITIAL_EVENTS_END_ANNOTATION,
    MODIFIED,
    ListOptions,
    ListResult,
    WatchEventLike,
)

Transform = Callable[[Any], Any]


class ReflectorSink(Protocol):
    """Where the reflector delivers what it learns (the informer / a store)."""

    def replace(self, items: list[Any], resource_version: str) -> None: ...

    def upsert(self, obj: Any) -> None: ...

    def remove(self, obj: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class ListCall:
    options: ListOptions


@dataclass(frozen=True, slots=True)
class WatchCall:
    options: ListOptions
    streaming: bool = False


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


Action = ListCall | WatchCall | Sleep

PAGE_SIZE = 500
MIN_WATCH_TIMEOUT = 300.0
SHORT_WATCH = 1.0  # a watch closing this fast with no events counts as a failure


@dataclass
class ReflectorCore:
    sink: ReflectorSink
    page_size: int = PAGE_SIZE
    use_watch_list: bool = False
    transform: Transform | None = None
    clock: Callable[[], float] = field(default=lambda: 0.0)
    rand: Callable[[], float] = field(default=random.random)
    on_error: Callable[[BaseException], None] | None = None
    backoff: Backoff | None = None

    last_sync_resource_version: str = field(init=False, default="")
    rv_unavailable: bool = field(init=False, default=False)
    phase: str = field(init=False, default="list")  # "list" | "watch"
    _sleep: float | None = field(init=False, default=None)
    _pages: list[Any] = field(init=False, default_factory=list)
    _list_rv: str = field(init=False, default="")
    _continue: str | None = field(init=False, default=None)
    _full_list: bool = field(init=False, default=False)
    _paginated: bool = field(init=False, default=False)
    _fallback_once: bool = field(init=False, default=False)
    _stream_items: dict[str, Any] | None = field(init=False, default=None)
    _watch_started: float = field(init=False, default=0.0)
    _watch_events: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        if self.backoff is None:
            self.backoff = Backoff(clock=self.clock, rand=self.rand)

    # ---- decisions ----------------------------------------------------------------------
    def relist_resource_version(self) -> str:
        if self.rv_unavailable:
            return ""  # a consistent read from etcd
        return self.last_sync_resource_version or "0"

    def next_action(self) -> Action:
        if self._sleep is not None:
            seconds, self._sleep = self._sleep, None
            return Sleep(seconds)
        if self.phase == "watch":
            return WatchCall(self._watch_options(self.last_sync_resource_version))
        if self.use_watch_list and not self._fallback_once:
            rv = "" if self.rv_unavailable else self.last_sync_resource_version
            opts = self._watch_options(
                rv, resource_version_match="NotOlderThan", send_initial_events=True
            )
            return WatchCall(opts, streaming=True)
        if self._continue:
            return ListCall(ListOptions(limit=self.page_size, continue_=self._continue))
        if self._full_list:
            return ListCall(ListOptions(resource_version=self._list_rv))
        self._list_rv = self.relist_resource_version()
        # as client-go: a relist at a specific RV is not paginated (unless the server paginated
        # before), so it is served "not older than" the RV instead of "exactly at" it
        paginate = self._list_rv in ("", "0") or self._paginated
        return ListCall(
            ListOptions(resource_version=self._list_rv, limit=self.page_size if paginate else None)
        )

    def _watch_options(self, rv: str, **extra: Any) -> ListOptions:
        timeout = int(MIN_WATCH_TIMEOUT * (1.0 + self.rand()))
        timeout = min(timeout, int(2 * MIN_WATCH_TIMEOUT) - 1)
        return ListOptions(
            resource_version=rv, allow_watch_bookmarks=True, timeout_seconds=timeout, **extra
        )

    # ---- list results -------------------------------------------------------------------
    def list_succeeded(self, result: ListResult[Any]) -> None:
        self._pages.extend(self._transform(obj) for obj in result.items)
        if result.continue_token:
            self._continue = result.continue_token
            self._paginated = True
            return
        items, self._pages = self._pages, []
        self._continue, self._full_list, self._fallback_once = None, False, False
        self.sink.replace(items, result.resource_version)
        self.last_sync_resource_version = result.resource_version
        self.rv_unavailable = False
        self.phase = "watch"

    def list_failed(self, exc: BaseException) -> None:
        self._report(exc)
        kind = classify_error(exc)
        paging = self._continue is not None
        self._pages, self._continue = [], None
        if paging and kind is ErrorKind.EXPIRED:
            self._full_list = True  # continue token expired: one full list, same RV
            return
        self._full_list = False
        if kind in (ErrorKind.EXPIRED, ErrorKind.TOO_LARGE_RV):
            self.rv_unavailable = True
        self._sleep = self._backoff()

    # ---- watch stream -------------------------------------------------------------------
    def watch_started(self, call: WatchCall) -> None:
        self._watch_started = self.clock()
        self._watch_events = 0
        self._stream_items = {} if call.streaming else None

    def watch_event(self, event: WatchEventLike[Any]) -> None:
        """Apply one event; raises ``WatchErrorStatus`` for ERROR events."""
        self._watch_events += 1
        etype = event.type
        if etype == ERROR:
            raise WatchErrorStatus.from_status(event.object)
        if etype == BOOKMARK:
            self._bookmark(event.object)
            return
        if etype not in (ADDED, MODIFIED, DELETED):
            raise WatchErrorStatus(0, "UnknownEventType", f"unknown watch event type {etype!r}")
        obj = self._transform(event.object)
        if self._stream_items is not None:
            key = meta_namespace_key(obj)
            if etype == DELETED:
                self._stream_items.pop(key, None)
            else:
                self._stream_items[key] = obj
        elif etype == DELETED:
            self.sink.remove(obj)
        else:
            self.sink.upsert(obj)
        self.last_sync_resource_version = resource_version_of(obj)

    def _bookmark(self, obj: Any) -> None:
        rv = resource_version_of(obj)
        if self._stream_items is not None:
            if object_meta(obj).annotations.get(INITIAL_EVENTS_END_ANNOTATION) != "true":
                return
            items, self._stream_items = list(self._stream_items.values()), None
            self.sink.replace(items, rv)
            self.rv_unavailable = False
            self.phase = "watch"
        if rv:
            self.last_sync_resource_version = rv

    def watch_ended(self, exc: BaseException | None) -> None:
        """The stream closed (``exc`` None) or failed; decide how to continue."""
        streaming_incomplete = self._stream_items is not None
        self._stream_items = None
        if streaming_incomplete:
            self._streaming_failed(exc)
            return
        if exc is None:
            lasted = self.clock() - self._watch_started
            if self._watch_events == 0 and lasted < SHORT_WATCH:
                exc = WatchErrorStatus(
                    0, "VeryShortWatch", "watch closed immediately without any event"
                )
            else:
                return  # timeout: re-watch from the last RV at once
        self._report(exc)
        kind = classify_error(exc)
        self._sleep = self._backoff()
        if kind is not ErrorKind.TOO_MANY_REQUESTS:
            self.phase = "list"  # a relist turns deletes missed meanwhile into tombstones

    def _streaming_failed(self, exc: BaseException | None) -> None:
        self.phase = "list"
        if exc is None:
            exc = WatchErrorStatus(
                0,
                "InitialEventsIncomplete",
                "streaming list ended before the initial-events-end bookmark",
            )
        self._report(exc)
        kind = classify_error(exc)
        if kind is ErrorKind.INVALID:
            self.use_watch_list = False  # the server does not support streaming lists
            return
        self._fallback_once = True  # progress over purity: one list/watch round instead
        if kind in (ErrorKind.EXPIRED, ErrorKind.TOO_LARGE_RV):
            self.rv_unavailable = True
        self._sleep = self._backoff()

    # ---- helpers ------------------------------------------------------------------------
    def _backoff(self) -> float:
        assert self.backoff is not None
        return self.backoff.next_delay()

    def _transform(self, obj: Any) -> Any:
        return self.transform(obj) if self.transform is not None else obj

    def _report(self, exc: BaseException) -> None:
        if self.on_error is not None:
            self.on_error(exc)
