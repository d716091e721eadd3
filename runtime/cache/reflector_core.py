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
  ``k8s.io/initial-events-end: "true"``; if the server rejects it, list-then-watch is used;
* nothing raised by user code ends the reflector (client-go ``watchHandler``/``HandleError``):
  a watch event whose object the transform or the store (key/index functions) rejects is
  reported through ``on_error`` and skipped (a DELETED one still leaves the cache); a list whose
  transform or store replace fails is reported and retried with backoff; an ``on_error`` that
  raises is logged;
* backoff (``kubetyped.backoff.BackoffManager``) resets once the server answers again: a list succeeding after failed
  ones, or the first event of a watch; while the server is unreachable (refused, reset, timed
  out) the delay is capped at ``CONNECTION_BACKOFF_CAP`` so recovery is noticed within seconds;
* health: ``last_sync_time``, ``last_watch_progress``, ``last_error``/``last_error_time``
  (``clock`` seconds) for liveness probes.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kubetyped.backoff import BackoffManager
from kubetyped.cache.errors import (
    ErrorKind,
    TransformError,
    WatchClosedError,
    classify_error,
)
from kubetyped.cache.meta import meta_namespace_key, object_meta, resource_version_of
from kubetyped.cache.protocols import INITIAL_EVENTS_END_ANNOTATION, ListOptions, ListResult
from kubetyped.cache.tombstone import DeletedFinalStateUnknown
from kubetyped.errors import WatchDecodeError, api_error_from_status
from kubetyped.watch import EventType, WatchEvent

ADDED, MODIFIED, DELETED = EventType.ADDED, EventType.MODIFIED, EventType.DELETED
BOOKMARK, ERROR = EventType.BOOKMARK, EventType.ERROR

Transform = Callable[[Any], Any]
log = logging.getLogger("kubetyped.cache")


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
#: backoff cap (seconds, before jitter) while the server cannot be reached at all
CONNECTION_BACKOFF_CAP = 2.5


@dataclass
class ReflectorCore:
    sink: ReflectorSink
    page_size: int = PAGE_SIZE
    use_watch_list: bool = False
    transform: Transform | None = None
    clock: Callable[[], float] = field(default=lambda: 0.0)
    rand: Callable[[], float] = field(default=random.random)
    on_error: Callable[[BaseException], None] | None = None
    backoff: BackoffManager | None = None
    #: seconds without any byte before a watch is abandoned (and the informer relists);
    #: None: ``kubetyped.request.watch_idle_timeout``'s default (150 s, bookmarks are on)
    watch_idle_timeout: float | None = None

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
    _list_failing: bool = field(init=False, default=False)
    #: ``clock()`` of the last successful list (or completed streaming list); None before
    last_sync_time: float | None = field(init=False, default=None)
    #: ``clock()`` of the last sign of life of the watch (any event, bookmarks included)
    last_watch_progress: float | None = field(init=False, default=None)
    #: the last error reported through ``on_error`` and when (``clock()``)
    last_error: BaseException | None = field(init=False, default=None)
    last_error_time: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.backoff is None:
            self.backoff = BackoffManager(clock=self.clock, rand=self.rand)

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
            resource_version=rv,
            allow_watch_bookmarks=True,
            timeout_seconds=timeout,
            idle_timeout=self.watch_idle_timeout,
            **extra,
        )

    # ---- list results -------------------------------------------------------------------
    def list_succeeded(self, result: ListResult[Any]) -> None:
        """Apply one page; the last one replaces the store. A transform or store failure is
        reported and the whole list retried after a backoff (client-go: ``syncWith`` fails)."""
        try:
            self._pages.extend(self._transform_or_raise(obj) for obj in result.items)
            if result.continue_token:
                self._continue = result.continue_token
                self._paginated = True
                return
            items, self._pages = self._pages, []
            self._continue, self._full_list, self._fallback_once = None, False, False
            self.sink.replace(items, result.resource_version)
        except Exception as exc:
            self._store_failed(exc)
            return
        if self._list_failing:
            self._backoff_reset()  # the server answers again
        self._list_failing = False
        self.last_sync_resource_version = result.resource_version
        self.last_sync_time = self.last_watch_progress = self.clock()
        self.rv_unavailable = False
        self.phase = "watch"

    def _store_failed(self, exc: BaseException) -> None:
        self._report(exc)
        self._pages, self._continue, self._full_list = [], None, False
        self.phase = "list"
        self._sleep = self._backoff(ErrorKind.OTHER)

    def step_failed(self, exc: BaseException) -> None:
        """A driver step raised unexpectedly: report it, back off and relist."""
        self._store_failed(exc)

    def list_failed(self, exc: BaseException) -> None:
        self._list_failing = True
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
        self._sleep = self._backoff(kind)

    # ---- watch stream -------------------------------------------------------------------
    def watch_started(self, call: WatchCall) -> None:
        self._watch_started = self.clock()
        self._watch_events = 0
        self._stream_items = {} if call.streaming else None

    def watch_event(self, event: WatchEvent[Any]) -> None:
        """Apply one event; an ERROR event raises the typed ``ApiError`` of its ``Status``.

        An object the transform or the store rejects is reported and skipped (a DELETED one is
        still removed by key); the watch goes on."""
        if self._watch_events == 0:
            self._backoff_reset()  # the server streams again
        self._watch_events += 1
        self.last_watch_progress = self.clock()
        etype = event.type
        if etype == ERROR:  # client-go apierrors.FromObject: 410 → ExpiredError, ...
            raise api_error_from_status(event.object)
        if etype == BOOKMARK:
            self._bookmark(event.object)
            return
        if etype not in (ADDED, MODIFIED, DELETED):
            raise WatchDecodeError(f"unknown watch event type {etype!r}")
        raw = event.object
        try:
            obj = self._transform_or_raise(raw)
        except TransformError as exc:
            self._report(exc)
            if etype == DELETED:
                self._apply(etype, DeletedFinalStateUnknown(exc.key, raw))
        else:
            self._apply(etype, obj)
        try:
            self.last_sync_resource_version = resource_version_of(raw)
        except Exception as exc:  # an object without usable metadata: keep the last RV
            self._report(exc)

    def _apply(self, etype: str, obj: Any) -> None:
        try:
            if self._stream_items is not None:
                key = meta_namespace_key(obj)
                if etype == DELETED:
                    self._stream_items.pop(key, None)
                elif not isinstance(obj, DeletedFinalStateUnknown):
                    self._stream_items[key] = obj
            elif etype == DELETED:
                self.sink.remove(obj)
            else:
                self.sink.upsert(obj)
        except Exception as exc:
            self._report(exc)

    def _bookmark(self, obj: Any) -> None:
        rv = resource_version_of(obj)
        if self._stream_items is not None:
            if object_meta(obj).annotations.get(INITIAL_EVENTS_END_ANNOTATION) != "true":
                return
            items, self._stream_items = list(self._stream_items.values()), None
            self.sink.replace(items, rv)  # a failure ends the watch: relist after a backoff
            self.last_sync_time = self.clock()
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
                exc = WatchClosedError(
                    "VeryShortWatch", "watch closed immediately without any event"
                )
            else:
                return  # timeout: re-watch from the last RV at once
        self._report(exc)
        kind = classify_error(exc)
        self._sleep = self._backoff(kind)
        if kind is not ErrorKind.TOO_MANY_REQUESTS:
            self.phase = "list"  # a relist turns deletes missed meanwhile into tombstones

    def _streaming_failed(self, exc: BaseException | None) -> None:
        self.phase = "list"
        if exc is None:
            exc = WatchClosedError(
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
        self._sleep = self._backoff(kind)

    # ---- helpers ------------------------------------------------------------------------
    def _backoff(self, kind: ErrorKind) -> float:
        assert self.backoff is not None
        cap = CONNECTION_BACKOFF_CAP if kind is ErrorKind.CONNECTION else None
        return self.backoff.next_delay(cap)

    def _backoff_reset(self) -> None:
        assert self.backoff is not None
        self.backoff.reset()

    def _transform_or_raise(self, obj: Any) -> Any:
        if self.transform is None:
            return obj
        try:
            return self.transform(obj)
        except Exception as exc:
            try:
                key = meta_namespace_key(obj)
            except Exception:
                key = f"<{type(obj).__name__}>"
            raise TransformError(key, exc) from exc

    def _report(self, exc: BaseException) -> None:
        """Hand ``exc`` to ``on_error`` (client-go ``HandleError``); never raises."""
        self.last_error, self.last_error_time = exc, self.clock()
        if self.on_error is None:
            return
        try:
            self.on_error(exc)
        except Exception as handler_exc:
            log.error(
                "watch error handler raised %r while handling %r",
                handler_exc,
                exc,
                exc_info=handler_exc,
            )
