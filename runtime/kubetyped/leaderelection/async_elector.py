"""The asyncio leader elector, ``AsyncLeaderElector`` (client-go ``LeaderElector``).

It loops: acquire (retry every ``retry_period`` with 1.2 jitter) → lead → renew every
``retry_period``; if no renewal succeeds within ``renew_deadline`` leadership is lost.

As client-go's ``renew`` (which passes a context with the renew deadline into every request),
each attempt is bounded by the time left to the deadline (``kubetyped.concurrency``'s
``AsyncBoundedCalls``: the attempt is abandoned when the deadline passes), and a lock whose
methods take a ``timeout`` keyword gets that time as its request timeout. The deadline counts
from the start of the last successful attempt (before its write could reach the server), so a
leader whose path to the apiserver stalls stops leading (``is_leader()`` turns False, then
``on_stopped_leading``) less than ``renew_deadline`` after its last renewal, and
``renew_deadline < lease_duration`` means before any other candidate can see the lease expire.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime

from kubetyped.concurrency import (
    AsyncBoundedCalls,
    AsyncFlag,
    AsyncWorker,
    async_resolve,
    async_shielded,
)
from kubetyped.leaderelection.async_lease_lock import AsyncLeaseLock
from kubetyped.leaderelection.common import ElectorBase, guarded, lock_call, log, utcnow
from kubetyped.leaderelection.config import LeaderElectionConfig
from kubetyped.leaderelection.core import Create

__all__ = ["AsyncLeaderElector"]


class AsyncLeaderElector(ElectorBase):
    """Elects one leader among the candidates sharing ``lock`` (client-go ``LeaderElector``).

    ``run()`` campaigns, leads and returns once leadership is lost; ``start()`` runs it in an
    ``AsyncWorker`` and ``stop()`` ends it, releasing the lease first when
    ``config.release_on_cancel``. ``clock`` (monotonic seconds), ``wall_clock``
    (aware UTC) and ``rand`` ([0, 1), jitter) are for tests.
    """

    def __init__(
        self,
        lock: AsyncLeaseLock,
        config: LeaderElectionConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = utcnow,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(config, lock.namespace, lock.name, clock, wall_clock, rand)
        self.lock = lock
        self._stop = AsyncFlag()
        self._attempts = AsyncBoundedCalls("leader-elector-attempt")
        self._runner: AsyncWorker | None = None

    async def try_acquire_or_renew(self, timeout: float | None = None) -> bool:
        """One attempt to acquire or renew (client-go ``tryAcquireOrRenew``): False when the
        lease is held by another candidate, the attempt failed (logged), or it took longer than
        ``timeout`` seconds (the attempt is then abandoned)."""
        started = self._clock()
        try:
            ok = await self._attempts.run(lambda: self._attempt(timeout), timeout)
        except TimeoutError:
            log.info(
                "leader election attempt on %s/%s did not finish within %.1fs",
                self.core.namespace,
                self.core.name,
                timeout,
            )
            return False
        if ok:
            self._renewed_at = started
        return ok

    async def _attempt(self, timeout: float | None) -> bool:
        write = None
        try:
            write = self.core.plan(await lock_call(self.lock.get, timeout=timeout))
            if write is not None:
                method = self.lock.create if isinstance(write, Create) else self.lock.update
                self.core.written(await lock_call(method, write.lease, timeout=timeout))
        except Exception as exc:
            log.info("leader election attempt failed: %s", exc)
            return False
        finally:
            self._maybe_report_new_leader()
        return write is not None

    async def run(self) -> None:
        """Acquire, lead until leadership is lost or ``stop()``, then return.

        While leading, ``on_started_leading(should_stop)`` runs beside the renewals in its own
        ``AsyncWorker`` and should return once ``should_stop()`` is True;
        ``on_stopped_leading()`` runs once leadership ends. Callback errors are logged."""
        while not self._stop.is_set():
            if await self.try_acquire_or_renew(self.config.renew_deadline):
                break
            await self._stop.wait(self._retry_wait())
        if self._stop.is_set():
            return
        self._leading = True
        callbacks = self.config.callbacks
        work = None
        if callbacks.on_started_leading:
            work = AsyncWorker(self._started_leading, "leader-elector-work")
        interrupted = False
        try:
            await self._renew_loop()
        except BaseException:
            interrupted = True
            raise
        finally:
            self._leading = False
            if work is not None:
                work.cancel()
            if (interrupted or self._stop.is_set()) and self.config.release_on_cancel:
                await async_shielded(self.release)
            if callbacks.on_stopped_leading:
                guarded("on_stopped_leading", callbacks.on_stopped_leading)

    async def _started_leading(self) -> None:
        callback = self.config.callbacks.on_started_leading
        if callback is None:
            return
        try:
            await async_resolve(callback(self._should_stop))
        except Exception:
            log.exception("leader election callback on_started_leading failed")

    async def _renew_loop(self) -> None:
        await self._stop.wait(self.config.retry_period)
        while not self._stop.is_set():
            if self._time_left() <= 0 or not await self._renew_once():
                log.info(
                    "failed to renew lease %s/%s within the renew deadline",
                    self.core.namespace,
                    self.core.name,
                )
                return
            await self._stop.wait(self.config.retry_period)

    async def _renew_once(self) -> bool:
        """Retry every ``retry_period`` until a renewal succeeds or the deadline passes."""
        while not self._stop.is_set():
            left = self._time_left()
            if left <= 0:
                return False
            if await self.try_acquire_or_renew(left):
                return True
            wait = min(self.config.retry_period, self._time_left())
            if wait <= 0:
                return False
            await self._stop.wait(wait)
        return True  # stopping: not a loss

    async def release(self) -> bool:
        """Give the lease up now: empty holder, ``leaseDurationSeconds`` 1, so another candidate
        takes over at once (client-go ``release``). False when not leading or when the write
        failed or took longer than ``renew_deadline`` seconds (logged, not raised)."""
        try:
            return await self._attempts.run(self._release_now, self.config.renew_deadline)
        except TimeoutError:
            log.info("failed to release lease: no answer within %.1fs", self.config.renew_deadline)
            return False

    async def _release_now(self) -> bool:
        write = self.core.release()
        if write is None:
            return False
        try:
            lease = await lock_call(
                self.lock.update, write.lease, timeout=self.config.renew_deadline
            )
        except Exception as exc:
            log.info("failed to release lease: %s", exc)
            return False
        self.core.written(lease)
        return True

    def start(self) -> None:
        """Run ``run()`` in an ``AsyncWorker``."""
        self._runner = AsyncWorker(self.run, "leader-elector")

    async def stop(self, timeout: float | None = 10.0) -> None:
        """Stop renewing (releasing first if ``release_on_cancel``) and wait up to ``timeout``
        seconds (None: forever) for ``run`` to return."""
        self._stop.set()
        if self._runner is not None:
            await self._runner.finish(timeout)
