"""What both shared index informers share: configuration, health, listeners' settings.

``AsyncSharedIndexInformer`` (``async_informer``) and ``SharedIndexInformer`` (``sync_informer``,
generated from it by ``make unasync``) wrap the same ``InformerCore`` (indexer + fan-out) and
``ReflectorCore``; they differ only in how listeners, the reflector and the resync timer run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from kubetyped.cache.errors import CacheError
from kubetyped.cache.handlers import (
    FuncHandler,
    ListenerState,
    OnAdd,
    OnDelete,
    OnUpdate,
    ResourceEventHandler,
)
from kubetyped.cache.informer_core import InformerCore
from kubetyped.cache.lister import Lister
from kubetyped.cache.reflector_core import ReflectorCore, Transform
from kubetyped.cache.store import Indexer, IndexFunc

__all__ = ["InformerBase", "InformerHealth", "InformerStateError"]

T = TypeVar("T")
log = logging.getLogger("kubetyped.cache")

WatchErrorHandler = Callable[[BaseException], None]
MIN_RESYNC_PERIOD = 1.0


class InformerStateError(CacheError, RuntimeError):
    """An informer method was used in the wrong lifecycle state (e.g. transform after start)."""


@dataclass(frozen=True, slots=True)
class InformerHealth:
    """What a liveness probe needs to see a stuck cache (times are the informer's clock,
    ``time.monotonic()`` seconds by default; None: never happened).

    ``last_sync``: the last successful list; ``last_watch_progress``: the last list or watch
    event (bookmarks included; with bookmarks the apiserver sends one about every minute);
    ``last_error``/``last_error_time``: the last list/watch/store error reported.
    """

    synced: bool
    last_sync: float | None
    last_watch_progress: float | None
    last_error: BaseException | None
    last_error_time: float | None

    def stale_for(self, now: float) -> float | None:
        """Seconds since the last progress at ``now`` (same clock), None before the first."""
        return None if self.last_watch_progress is None else now - self.last_watch_progress


class InformerBase(Generic[T]):
    """Configuration, health and listener settings shared by both informers."""

    def __init__(
        self,
        *,
        indexers: Mapping[str, IndexFunc] | None,
        resync_period: float,
        transform: Transform | None,
        use_watch_list: bool,
        watch_error_handler: WatchErrorHandler | None,
        page_size: int,
        clock: Callable[[], float],
        rand: Callable[[], float],
    ) -> None:
        self.indexer: Indexer[T] = Indexer(indexers)
        self.core: InformerCore[T] = InformerCore(self.indexer, clock)
        self.default_resync_period = resync_period
        self._transform = transform
        self._use_watch_list = use_watch_list
        self._watch_error_handler = watch_error_handler
        self._page_size = page_size
        self._clock = clock
        self._rand = rand
        self._watch_idle_timeout: float | None = None

    # ---- configuration (before start) --------------------------------------------------
    def set_watch_idle_timeout(self, seconds: float | None) -> None:
        """Abandon a watch that receives no byte for ``seconds`` and relist (0: never; None,
        the default: 150 s, the watch asks for bookmarks, which arrive about every minute).
        Raises ``InformerStateError`` after start."""
        self._before_start("set_watch_idle_timeout")
        self._watch_idle_timeout = seconds

    def set_transform(self, transform: Transform | None) -> None:
        """Set the function applied to each object before it is stored (client-go `SetTransform`,
        e.g. to drop `managedFields`); None removes it. Raises `InformerStateError` after start.
        """
        self._before_start("set_transform")
        self._transform = transform

    def set_watch_error_handler(self, handler: WatchErrorHandler | None) -> None:
        """Set the callback that gets each list/watch/store error (client-go
        `SetWatchErrorHandler`); None logs them as warnings. Raises `InformerStateError` after
        start.
        """
        self._before_start("set_watch_error_handler")
        self._watch_error_handler = handler

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        """Add named index functions to the informer's indexer (client-go `AddIndexers`); objects
        already cached are indexed at once. Raises `IndexConflictError` for a name in use.
        """
        self.indexer.add_indexers(indexers)

    def _before_start(self, what: str) -> None:
        if self.core.started:
            raise InformerStateError(f"{what} must be called before the informer starts")

    def _on_error(self, exc: BaseException) -> None:
        """Report a list/watch/store error (client-go ``WatchErrorHandler``); never raises."""
        if self._watch_error_handler is None:
            log.warning("list/watch failed: %s", exc)
            return
        try:
            self._watch_error_handler(exc)
        except Exception as handler_exc:
            log.error(
                "watch error handler raised %r while handling %r",
                handler_exc,
                exc,
                exc_info=handler_exc,
            )

    def health(self) -> InformerHealth:
        """Sync state, last list / watch progress and last error (see ``InformerHealth``)."""
        core = self._reflector_core()
        return InformerHealth(
            synced=self.has_synced(),
            last_sync=core.last_sync_time if core else None,
            last_watch_progress=core.last_watch_progress if core else None,
            last_error=core.last_error if core else None,
            last_error_time=core.last_error_time if core else None,
        )

    def _reflector_core(self) -> ReflectorCore | None:
        reflector = getattr(self, "_reflector", None)
        return reflector.core if reflector is not None else None

    # ---- state -------------------------------------------------------------------------
    def has_synced(self) -> bool:
        """True once the first list has been stored and delivered to the handlers (client-go
        `HasSynced`).
        """
        return self.core.has_synced()

    def lister(self) -> Lister[T]:
        """A `Lister` over the informer's cache (client-go listers read the same indexer)."""
        return Lister(self.indexer)

    def _new_listener(
        self,
        handler: ResourceEventHandler[T] | None,
        on_add: OnAdd[T] | None,
        on_update: OnUpdate[T] | None,
        on_delete: OnDelete[T] | None,
        resync_period: float | None,
    ) -> ListenerState:
        if handler is None:
            handler = FuncHandler(on_add, on_update, on_delete)
        elif on_add or on_update or on_delete:
            raise TypeError("pass either a handler object or on_* callables, not both")
        period = self.default_resync_period if resync_period is None else resync_period
        if 0 < period < MIN_RESYNC_PERIOD:
            period = MIN_RESYNC_PERIOD
        return ListenerState(handler=handler, resync_period=period)
