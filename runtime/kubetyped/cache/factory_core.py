"""What both shared informer factories hold: the registry of informers by type key.

Generated code calls ``factory.informer_for(key, new)`` where ``new(options)`` builds the
informer (e.g. ``SharedIndexInformer(ResourceListWatch(client, options.tweak),
resync_period=options.resync_period)``); ``InformerOptions`` carries the factory-wide namespace,
tweak, resync period and transform. Source: client-go ``informers.sharedInformerFactory``
(``InformerFor``, ``WithNamespace``, ``WithTweakListOptions``, ``WithCustomResyncConfig``,
``WithTransform``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from kubetyped.cache.errors import CacheError
from kubetyped.cache.protocols import ListOptions, TweakListOptions
from kubetyped.cache.reflector_core import Transform

__all__ = ["FactoryShutDownError", "InformerOptions"]

I = TypeVar("I")  # noqa: E741 - the informer type of a factory


class FactoryShutDownError(CacheError, RuntimeError):
    """The factory was used after ``shutdown()``."""


def _identity(options: ListOptions) -> ListOptions:
    return options


@dataclass(frozen=True, slots=True)
class InformerOptions:
    """Factory-wide settings handed to each informer constructor.

    ``namespace`` (None: all namespaces), ``tweak`` (applied to every list and watch's options),
    ``resync_period`` (seconds; 0: no resync; the factory's ``custom_resync`` for this key, else
    its ``default_resync``), ``transform`` (applied to each object before it is cached).
    """

    namespace: str | None = None
    tweak: TweakListOptions = _identity
    resync_period: float = 0.0
    transform: Transform | None = None


class FactoryCore(Generic[I]):
    """The registry of one factory: one informer per key, built once, started once.

    Thread-safe (a lock guards the registry), so informers may be requested from any thread.
    """

    def __init__(
        self,
        namespace: str | None,
        tweak_list_options: TweakListOptions | None,
        default_resync: float,
        transform: Transform | None,
        custom_resync: Mapping[Hashable, float] | None,
    ) -> None:
        self.namespace = namespace
        self.tweak = tweak_list_options or _identity
        self.default_resync = default_resync
        self.transform = transform
        self.custom_resync = dict(custom_resync or {})
        self.informers: dict[Hashable, I] = {}
        self.started: set[Hashable] = set()
        self.shut_down = False
        self.lock = threading.Lock()

    def informer_for(self, key: Hashable, new: Callable[[InformerOptions], I]) -> I:
        """The informer of ``key``, built by ``new(options)`` on first request (client-go
        ``InformerFor``); raises ``FactoryShutDownError`` after ``shutdown``."""
        with self.lock:
            if self.shut_down:
                raise FactoryShutDownError(f"informer_for({key!r}) after shutdown")
            informer = self.informers.get(key)
            if informer is None:
                opts = InformerOptions(
                    self.namespace,
                    self.tweak,
                    self.custom_resync.get(key, self.default_resync),
                    self.transform,
                )
                informer = self.informers[key] = new(opts)
            return informer

    def to_start(self) -> list[tuple[Hashable, I]]:
        """The informers requested but not started yet, marked started; raises
        ``FactoryShutDownError`` after ``shutdown``."""
        with self.lock:
            if self.shut_down:
                raise FactoryShutDownError("start() after shutdown")
            pending = [(k, i) for k, i in self.informers.items() if k not in self.started]
            self.started.update(k for k, _ in pending)
            return pending

    def shut(self) -> list[I]:
        """Mark the factory shut down; every informer it made, to stop."""
        with self.lock:
            self.shut_down = True
            return list(self.informers.values())
