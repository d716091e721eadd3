"""Shared informer factories: one informer per type key, shared by all callers.

Generated code calls ``factory.informer_for(ConfigMap, lambda opts: SharedIndexInformer(
TweakedListWatch(configmap_list_watch(client, opts.namespace), opts.tweak), resync_period=
opts.resync_period))``; ``InformerOptions`` carries the factory-wide namespace, tweak and resync.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from kubetyped.cache.errors import CacheError
from kubetyped.cache.informer import AsyncSharedIndexInformer, SharedIndexInformer
from kubetyped.cache.protocols import ListOptions, TweakListOptions
from kubetyped.cache.reflector_core import Transform
from kubetyped.cache.sync_result import CacheSyncResult

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - the informer type of a factory


class FactoryShutDownError(CacheError, RuntimeError):
    """The factory was used after ``shutdown()``."""


def _identity(options: ListOptions) -> ListOptions:
    return options


@dataclass(frozen=True, slots=True)
class InformerOptions:
    """Factory-wide settings handed to each informer constructor."""

    namespace: str | None = None
    tweak: TweakListOptions = _identity
    resync_period: float = 0.0
    transform: Transform | None = None


class _FactoryCore(Generic[I]):
    """The registry shared by the sync and async factories."""

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
        with self.lock:
            if self.shut_down:
                raise FactoryShutDownError("start() after shutdown")
            pending = [(k, i) for k, i in self.informers.items() if k not in self.started]
            self.started.update(k for k, _ in pending)
            return pending


class SharedInformerFactory:
    """Thread-mode factory: ``start()`` runs each informer in its own thread."""

    def __init__(
        self,
        *,
        namespace: str | None = None,
        tweak_list_options: TweakListOptions | None = None,
        default_resync: float = 0.0,
        transform: Transform | None = None,
        custom_resync: Mapping[Hashable, float] | None = None,
    ) -> None:
        self._core: _FactoryCore[SharedIndexInformer[Any]] = _FactoryCore(
            namespace, tweak_list_options, default_resync, transform, custom_resync
        )

    def informer_for(
        self, key: Hashable, new: Callable[[InformerOptions], SharedIndexInformer[T]]
    ) -> SharedIndexInformer[T]:
        informer: SharedIndexInformer[T] = self._core.informer_for(key, new)
        return informer

    def informers(self) -> dict[Hashable, SharedIndexInformer[Any]]:
        return dict(self._core.informers)

    def start(self) -> None:
        """Start every informer requested so far that is not running yet."""
        for _, informer in self._core.to_start():
            informer.start()

    def wait_for_cache_sync(self, timeout: float | None = None) -> CacheSyncResult:
        """Wait (up to ``timeout`` overall) for started informers; returns key → synced, false
        when any did not sync (``result.unsynced`` names them)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        result = CacheSyncResult()
        for key in list(self._core.started):
            informer = self._core.informers[key]
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            result[key] = informer.wait_for_sync(left)
        return result

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop every informer and wait for their threads; later use raises."""
        with self._core.lock:
            self._core.shut_down = True
            informers = list(self._core.informers.values())
        for informer in informers:
            informer.stop(timeout=0)
        deadline = time.monotonic() + timeout
        for informer in informers:
            informer.stop(timeout=max(0.0, deadline - time.monotonic()))


class AsyncSharedInformerFactory:
    """asyncio factory: ``start()`` creates one task per informer on the running loop."""

    def __init__(
        self,
        *,
        namespace: str | None = None,
        tweak_list_options: TweakListOptions | None = None,
        default_resync: float = 0.0,
        transform: Transform | None = None,
        custom_resync: Mapping[Hashable, float] | None = None,
    ) -> None:
        self._core: _FactoryCore[AsyncSharedIndexInformer[Any]] = _FactoryCore(
            namespace, tweak_list_options, default_resync, transform, custom_resync
        )

    def informer_for(
        self, key: Hashable, new: Callable[[InformerOptions], AsyncSharedIndexInformer[T]]
    ) -> AsyncSharedIndexInformer[T]:
        informer: AsyncSharedIndexInformer[T] = self._core.informer_for(key, new)
        return informer

    def informers(self) -> dict[Hashable, AsyncSharedIndexInformer[Any]]:
        return dict(self._core.informers)

    def start(self) -> None:
        for _, informer in self._core.to_start():
            informer.start()

    async def wait_for_cache_sync(self, timeout: float | None = None) -> CacheSyncResult:
        """The asyncio twin: key → synced, false when any did not sync."""
        keys = list(self._core.started)
        informers = [self._core.informers[k] for k in keys]
        results = await asyncio.gather(*(i.wait_for_sync(timeout) for i in informers))
        return CacheSyncResult(zip(keys, results, strict=True))

    async def shutdown(self) -> None:
        with self._core.lock:
            self._core.shut_down = True
            informers = list(self._core.informers.values())
        await asyncio.gather(*(i.stop() for i in informers))
