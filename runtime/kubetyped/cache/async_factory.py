"""``AsyncSharedInformerFactory``: one shared informer per type, run as asyncio tasks (client-go
``informers.NewSharedInformerFactoryWithOptions``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

from kubetyped.cache.async_informer import AsyncSharedIndexInformer
from kubetyped.cache.factory_core import FactoryCore, InformerOptions
from kubetyped.cache.protocols import TweakListOptions
from kubetyped.cache.reflector_core import Transform
from kubetyped.cache.sync_result import CacheSyncResult
from kubetyped.concurrency import async_gather_each

__all__ = ["AsyncSharedInformerFactory"]

T = TypeVar("T")


class AsyncSharedInformerFactory:
    """One informer per type key, shared by every caller; started, synced and shut down as one.

    Parameters (client-go's factory options): ``namespace`` (None: all namespaces),
    ``tweak_list_options`` (applied to every list and watch), ``default_resync`` (seconds; 0: no
    resync), ``transform`` (applied to each object before it is cached), ``custom_resync`` (key
    → seconds, overriding ``default_resync``).

    ``start()`` runs each informer as a task of the running loop.
    """

    def __init__(
        self,
        *,
        namespace: str | None = None,
        tweak_list_options: TweakListOptions | None = None,
        default_resync: float = 0.0,
        transform: Transform | None = None,
        custom_resync: Mapping[Hashable, float] | None = None,
    ) -> None:
        self._core: FactoryCore[AsyncSharedIndexInformer[Any]] = FactoryCore(
            namespace, tweak_list_options, default_resync, transform, custom_resync
        )

    def informer_for(
        self, key: Hashable, new: Callable[[InformerOptions], AsyncSharedIndexInformer[T]]
    ) -> AsyncSharedIndexInformer[T]:
        """The shared informer of ``key``, built by ``new(options)`` on first request (client-go
        ``InformerFor``); raises ``FactoryShutDownError`` after ``shutdown()``."""
        informer: AsyncSharedIndexInformer[T] = self._core.informer_for(key, new)
        return informer

    def informers(self) -> dict[Hashable, AsyncSharedIndexInformer[Any]]:
        """Every informer requested so far, by key (a copy)."""
        return dict(self._core.informers)

    def start(self) -> None:
        """Start every informer requested so far that is not running yet (client-go
        ``Start``); raises ``FactoryShutDownError`` after ``shutdown()``."""
        for _, informer in self._core.to_start():
            informer.start()

    async def wait_for_cache_sync(self, timeout: float | None = None) -> CacheSyncResult:
        """Wait up to ``timeout`` seconds overall (None: forever) for the started informers'
        first lists (client-go ``WaitForCacheSync``): key → synced; false when any did not
        sync (``result.unsynced`` names them)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        keys = list(self._core.started)

        async def wait(key: Hashable) -> bool:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            return await self._core.informers[key].wait_for_sync(left)

        return CacheSyncResult(zip(keys, await async_gather_each(wait, keys), strict=True))

    async def shutdown(self, timeout: float = 10.0) -> None:
        """Stop every informer and wait up to ``timeout`` seconds overall for them to end
        (client-go ``Shutdown``); later use raises ``FactoryShutDownError``."""
        informers = self._core.shut()
        for informer in informers:
            await informer.stop(timeout=0)
        deadline = time.monotonic() + timeout
        for informer in informers:
            await informer.stop(timeout=max(0.0, deadline - time.monotonic()))
