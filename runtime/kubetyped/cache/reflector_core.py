"""The reflector as a sans-IO state machine.

Its state is one value of ``State`` (kube-rs ``watcher::State`` as the model): ``NeedsList``,
``Listing`` (pages gathered, continue token), ``NeedsWatch``, ``Watching``, ``StreamingList``
(initial events gathered) or ``BackingOff`` (a sleep, then a relist or re-watch); each carries
only its own data, so no state can hold another's (a continue token while watching, streamed
items after the list completed). What persists across states is the last synced
resourceVersion, whether it is still servable, and health figures.

The core decides what to request next (``next_action``) and how to apply each result; thread
and asyncio drivers only perform the calls. Behaviour follows client-go's reflector:

* first list with ``resourceVersion="0"`` (served by the watch cache), pages of 500 (the watch
  cache answers in one piece whatever the limit, so one page may hold every object: the list
  path must cost the same per object at any size); a 410 on a continuation falls back to one
  full list; later relists start from the last synced RV,
  unpaginated unless the server paginated before ("not older than", not "exact"); a
  list failing with 410 or "too large resource version" makes the next relist use ``""``;
* watches use ``allowWatchBookmarks`` and a random ``timeoutSeconds`` in [300, 600); a normal
  close re-watches from the last RV; 429 backs off and re-watches; any other failure (410,
  broken connection, ...) backs off and relists (a relist turns missed deletes into tombstones);
* optional streaming list (``sendInitialEvents``): complete at the BOOKMARK annotated
  ``k8s.io/initial-events-end: "true"``; if the server rejects it, list-then-watch is used. Off
  by default (client-go turns ``WatchListClient`` on since v0.35): against a 50,000-Pod test
  apiserver it cost both the apiserver and this client more CPU than one list (issue 16);
* nothing raised by user code ends the reflector (client-go ``watchHandler``/``HandleError``):
  an object the transform or the store (key/index functions) rejects is reported through
  ``on_error`` and skipped, in a list as in a watch event (a DELETED one still leaves the
  cache): the list is stored without it and the informer syncs; a list whose store replace
  fails otherwise is reported and retried with backoff; an ``on_error`` that raises is logged;
* backoff (``kubetyped.backoff.BackoffManager``) resets once the server answers again: a list succeeding after failed
  ones, or the first event of a watch; while the server is unreachable (refused, reset, timed
  out) the delay is capped at ``CONNECTION_BACKOFF_CAP`` so recovery is noticed within seconds;
* health: ``last_sync_time``, ``last_watch_progress``, ``last_error``/``last_error_time``
  (``clock`` seconds) for liveness probes.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from kubetyped.backoff import BackoffManager
from kubetyped.cache.errors import (
    CacheError,
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

__all__ = [
    "Action",
    "BackingOff",
    "ListCall",
    "Listing",
    "NeedsList",
    "NeedsWatch",
    "ReflectorCore",
    "ReflectorSink",
    "ReflectorStateError",
    "Sleep",
    "State",
    "StreamingList",
    "WatchCall",
    "Watching",
]

ADDED, MODIFIED, DELETED = EventType.ADDED, EventType.MODIFIED, EventType.DELETED
BOOKMARK, ERROR = EventType.BOOKMARK, EventType.ERROR

Transform = Callable[[Any], Any]
log = logging.getLogger("kubetyped.cache")


class ReflectorSink(Protocol):
    """Where the reflector delivers what it learns (the informer / a store)."""

    def replace(
        self,
        items: list[Any],
        resource_version: str,
        on_reject: Callable[[BaseException], None] | None = None,
    ) -> None:
        """A complete list at ``resource_version``: the store becomes exactly ``items``, less
        any object its key/index functions reject; each such rejection is handed to
        ``on_reject`` (the reflector reports it and goes on)."""
        ...

    def upsert(self, obj: Any) -> None:
        """An object was added or modified."""
        ...

    def remove(self, obj: Any) -> None:
        """An object was deleted (possibly a ``DeletedFinalStateUnknown``)."""
        ...


@dataclass(frozen=True, slots=True)
class ListCall:
    """Perform one list call with ``options`` and hand the result to ``list_succeeded`` (or the
    error to ``list_failed``)."""

    options: ListOptions


@dataclass(frozen=True, slots=True)
class WatchCall:
    """Open a watch with ``options``, call ``watch_started``, feed each event to ``watch_event``
    and the end (None, or the error) to ``watch_ended``. ``streaming``: a streaming list
    (``sendInitialEvents``), complete at the initial-events-end bookmark."""

    options: ListOptions
    streaming: bool = False


@dataclass(frozen=True, slots=True)
class Sleep:
    """Wait ``seconds`` (a backoff), then ask for the next action."""

    seconds: float


#: What the core asks its driver to do next.
Action = ListCall | WatchCall | Sleep

PAGE_SIZE = 500
MIN_WATCH_TIMEOUT = 300.0
SHORT_WATCH = 1.0  # a watch closing this fast with no events counts as a failure
#: backoff cap (seconds, before jitter) while the server cannot be reached at all
CONNECTION_BACKOFF_CAP = 2.5


# ---- states (kube-rs ``watcher::State``; client-go keeps them implicit in ListAndWatch) -------


@dataclass(frozen=True, slots=True)
class NeedsList:
    """Nothing usable in hand: the next action is a list (or a streaming list) from
    ``relist_resource_version()`` (kube-rs ``State::Empty`` without a continue token)."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A list at ``resource_version`` is under way: ``items`` gathered from its pages so far,
    ``continue_token`` for the next page (None: the first page is outstanding). ``paginate``:
    whether pages are asked for (``limit``) at all (kube-rs ``State::Empty`` with a token)."""

    resource_version: str
    paginate: bool
    continue_token: str | None = None
    items: list[Any] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NeedsWatch:
    """The store holds a complete list: the next action is a watch from the last synced
    resourceVersion (kube-rs ``State::InitListed``)."""


@dataclass(slots=True)
class Watching:
    """A watch opened at ``started`` (``clock()`` seconds) has delivered ``events`` events so far
    (kube-rs ``State::Watching``)."""

    started: float
    events: int = 0


@dataclass(slots=True)
class StreamingList:
    """A streaming list (watch with ``sendInitialEvents``) opened at ``started``: ``items`` by
    store key until the initial-events-end bookmark (kube-rs ``State::InitPage``/``InitialWatch``)."""

    started: float
    events: int = 0
    items: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BackingOff:
    """Sleep ``seconds``, then continue in ``then`` (a relist, or a re-watch after 429)."""

    seconds: float
    then: NeedsList | NeedsWatch


#: The reflector's state: exactly one of these, each with only the data that state has.
State = NeedsList | Listing | NeedsWatch | Watching | StreamingList | BackingOff


class ReflectorStateError(CacheError, RuntimeError):
    """A driver reported a result the current state cannot have asked for (a driver bug)."""


@dataclass
class ReflectorCore:
    """The reflector's decisions (client-go ``Reflector.ListAndWatch``), free of I/O.

    A driver loops: ``next_action()`` → perform it → report the outcome (``list_succeeded`` /
    ``list_failed``, ``watch_started`` / ``watch_event`` / ``watch_ended``). ``state`` is one of
    ``NeedsList``, ``Listing``, ``NeedsWatch``, ``Watching``, ``StreamingList``, ``BackingOff``.
    Results land in ``sink``. ``page_size``: items per list page; ``use_watch_list``: try a
    streaming list first; ``transform``: applied to every object before the store;
    ``clock``/``rand``: monotonic seconds and [0, 1) for backoff jitter and watch timeouts;
    ``on_error``: receives every error the reflector survives (client-go ``WatchErrorHandler``).
    """

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

    #: where the reflector is (see the class docstring)
    state: State = field(init=False, default_factory=NeedsList)
    #: the resourceVersion of the last list or event applied ("" before the first)
    last_sync_resource_version: str = field(init=False, default="")
    #: the last RV cannot be served (410 / too large): relist with "" (a consistent read)
    rv_unavailable: bool = field(init=False, default=False)
    #: the server paginated a list before: keep asking for pages on relists
    _paginated: bool = field(init=False, default=False)
    #: a streaming list failed: the next sync is one list/watch round
    _list_once: bool = field(init=False, default=False)
    #: a list failed since the last success (its success resets the backoff)
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

    @property
    def phase(self) -> str:
        """ "watch" while a watch is pending or open, else "list" (a summary of ``state``)."""
        state = self.state.then if isinstance(self.state, BackingOff) else self.state
        return "watch" if isinstance(state, NeedsWatch | Watching) else "list"

    # ---- decisions ----------------------------------------------------------------------
    def relist_resource_version(self) -> str:
        """The RV a fresh list starts from: the last synced one, "0" (any, from the watch
        cache) before the first, "" (from etcd) once the last one is unavailable."""
        if self.rv_unavailable:
            return ""  # a consistent read from etcd
        return self.last_sync_resource_version or "0"

    def next_action(self) -> Action:
        """What the driver performs next (leaving ``BackingOff`` once its sleep is handed out)."""
        state = self.state
        if isinstance(state, BackingOff):
            self.state = state.then
            return Sleep(state.seconds)
        if isinstance(state, NeedsWatch | Watching):
            return WatchCall(self._watch_options(self.last_sync_resource_version))
        if isinstance(state, NeedsList | StreamingList):
            if self.use_watch_list and not self._list_once:
                rv = "" if self.rv_unavailable else self.last_sync_resource_version
                opts = self._watch_options(
                    rv, resource_version_match="NotOlderThan", send_initial_events=True
                )
                return WatchCall(opts, streaming=True)
            rv = self.relist_resource_version()
            # as client-go: a relist at a specific RV is not paginated (unless the server
            # paginated before), so it is served "not older than" the RV instead of "exactly at"
            state = Listing(rv, paginate=rv in ("", "0") or self._paginated)
            self.state = state
        if state.continue_token:
            return ListCall(ListOptions(limit=self.page_size, continue_=state.continue_token))
        limit = self.page_size if state.paginate else None
        return ListCall(ListOptions(resource_version=state.resource_version, limit=limit))

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

    def _listing(self, what: str) -> Listing:
        state = self.state
        if not isinstance(state, Listing):
            raise ReflectorStateError(f"{what} in state {type(state).__name__}, not Listing")
        return state

    # ---- list results -------------------------------------------------------------------
    def list_succeeded(self, result: ListResult[Any]) -> None:
        """Apply one page; the last one replaces the store. An object the transform or the
        store's key/index functions reject is reported through ``on_error`` and left out (as for
        watch events); any other store failure is reported and the whole list retried after a
        backoff (client-go: ``syncWith`` fails). Raises ``ReflectorStateError`` unless a list is
        under way."""
        state = self._listing("a list result")
        try:
            state.items.extend(self._transform_or_skip(result.items))
            if result.continue_token:
                self.state = replace(state, continue_token=result.continue_token)
                self._paginated = True
                return
            self._list_once = False
            self.sink.replace(state.items, result.resource_version, self._report)
        except Exception as exc:
            self._store_failed(exc)
            return
        if self._list_failing:
            self._backoff_reset()  # the server answers again
        self._list_failing = False
        self.last_sync_resource_version = result.resource_version
        self.last_sync_time = self.last_watch_progress = self.clock()
        self.rv_unavailable = False
        self.state = NeedsWatch()

    def _store_failed(self, exc: BaseException) -> None:
        self._report(exc)
        self.state = BackingOff(self._backoff(ErrorKind.OTHER), NeedsList())

    def step_failed(self, exc: BaseException) -> None:
        """A driver step raised unexpectedly: report it, back off and relist."""
        self._store_failed(exc)

    def list_failed(self, exc: BaseException) -> None:
        """A list call failed: an expired continue token gets one full list at the same RV at
        once; otherwise back off and relist (from "" after 410 or "too large resource
        version"). Raises ``ReflectorStateError`` unless a list is under way."""
        state = self._listing("a list failure")
        self._list_failing = True
        self._report(exc)
        kind = classify_error(exc)
        if state.continue_token is not None and kind is ErrorKind.EXPIRED:
            # continue token expired: one full list, same RV (client-go pager fallback)
            self.state = Listing(state.resource_version, paginate=False)
            return
        if kind in (ErrorKind.EXPIRED, ErrorKind.TOO_LARGE_RV):
            self.rv_unavailable = True
        self.state = BackingOff(self._backoff(kind), NeedsList())

    # ---- watch stream -------------------------------------------------------------------
    def watch_started(self, call: WatchCall) -> None:
        """The driver opened the watch ``call`` asked for."""
        started = self.clock()
        self.state = StreamingList(started) if call.streaming else Watching(started)

    def _stream(self) -> Watching | StreamingList:
        state = self.state
        if isinstance(state, Watching | StreamingList):
            return state
        if isinstance(state, NeedsWatch | NeedsList):  # a driver that skipped watch_started
            self.state = Watching(self.clock())
            return self.state
        raise ReflectorStateError(f"a watch outcome in state {type(state).__name__}")

    def watch_event(self, event: WatchEvent[Any]) -> None:
        """Apply one event; an ERROR event raises the typed ``ApiError`` of its ``Status``.

        An object the transform or the store rejects is reported and skipped (a DELETED one is
        still removed by key); the watch goes on."""
        stream = self._stream()
        if stream.events == 0:
            self._backoff_reset()  # the server streams again
        stream.events += 1
        self.last_watch_progress = self.clock()
        etype = event.type
        if etype == ERROR:  # client-go apierrors.FromObject: 410 → ExpiredError, ...
            raise api_error_from_status(event.object)
        if etype == BOOKMARK:
            self._bookmark(stream, event.object)
            return
        if etype not in (ADDED, MODIFIED, DELETED):
            raise WatchDecodeError(f"unknown watch event type {etype!r}")
        raw = event.object
        try:
            obj = self._transform_or_raise(raw)
        except TransformError as exc:
            self._report(exc)
            if etype == DELETED:
                self._apply(stream, etype, DeletedFinalStateUnknown(exc.key, raw))
        else:
            self._apply(stream, etype, obj)
        rv = event.resource_version  # the decoder read it already (the object's, or None)
        if rv:
            self.last_sync_resource_version = rv
            return
        try:
            self.last_sync_resource_version = resource_version_of(raw)
        except Exception as exc:  # an object without usable metadata: keep the last RV
            self._report(exc)

    def _apply(self, stream: Watching | StreamingList, etype: str, obj: Any) -> None:
        try:
            if isinstance(stream, StreamingList):
                key = meta_namespace_key(obj)
                if etype == DELETED:
                    stream.items.pop(key, None)
                elif not isinstance(obj, DeletedFinalStateUnknown):
                    stream.items[key] = obj
            elif etype == DELETED:
                self.sink.remove(obj)
            else:
                self.sink.upsert(obj)
        except Exception as exc:
            self._report(exc)

    def _bookmark(self, stream: Watching | StreamingList, obj: Any) -> None:
        rv = resource_version_of(obj)
        if isinstance(stream, StreamingList):
            if object_meta(obj).annotations.get(INITIAL_EVENTS_END_ANNOTATION) != "true":
                return
            # rejected objects are reported and left out; any other failure ends the watch
            self.sink.replace(list(stream.items.values()), rv, self._report)
            self.last_sync_time = self.clock()
            self.rv_unavailable = False
            self.state = Watching(stream.started, stream.events)  # the same stream goes on
        if rv:
            self.last_sync_resource_version = rv

    def watch_ended(self, exc: BaseException | None) -> None:
        """The stream closed (``exc`` None) or failed; decide how to continue: a normal close
        re-watches at once, 429 backs off and re-watches, anything else backs off and relists
        (a relist turns deletes missed meanwhile into tombstones)."""
        stream = self._stream()
        if isinstance(stream, StreamingList):
            self._streaming_failed(exc)
            return
        if exc is None:
            lasted = self.clock() - stream.started
            if stream.events == 0 and lasted < SHORT_WATCH:
                exc = WatchClosedError(
                    "VeryShortWatch", "watch closed immediately without any event"
                )
            else:
                self.state = NeedsWatch()  # timeout: re-watch from the last RV at once
                return
        self._report(exc)
        kind = classify_error(exc)
        then = NeedsWatch() if kind is ErrorKind.TOO_MANY_REQUESTS else NeedsList()
        self.state = BackingOff(self._backoff(kind), then)

    def _streaming_failed(self, exc: BaseException | None) -> None:
        if exc is None:
            exc = WatchClosedError(
                "InitialEventsIncomplete",
                "streaming list ended before the initial-events-end bookmark",
            )
        self._report(exc)
        kind = classify_error(exc)
        if kind is ErrorKind.INVALID:
            self.use_watch_list = False  # the server does not support streaming lists
            self.state = NeedsList()
            return
        self._list_once = True  # progress over purity: one list/watch round instead
        if kind in (ErrorKind.EXPIRED, ErrorKind.TOO_LARGE_RV):
            self.rv_unavailable = True
        self.state = BackingOff(self._backoff(kind), NeedsList())

    # ---- helpers ------------------------------------------------------------------------
    def _backoff(self, kind: ErrorKind) -> float:
        assert self.backoff is not None
        cap = CONNECTION_BACKOFF_CAP if kind is ErrorKind.CONNECTION else None
        return self.backoff.next_delay(cap)

    def _backoff_reset(self) -> None:
        assert self.backoff is not None
        self.backoff.reset()

    def _transform_or_skip(self, objs: Sequence[Any]) -> Sequence[Any]:
        """``objs`` transformed; each one the transform rejects is reported and left out."""
        if self.transform is None:
            return objs
        out: list[Any] = []
        for obj in objs:
            try:
                out.append(self._transform_or_raise(obj))
            except TransformError as exc:
                self._report(exc)
        return out

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
