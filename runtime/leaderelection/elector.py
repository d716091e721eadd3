"""Leader electors: ``LeaderElector`` (a thread) and ``AsyncLeaderElector`` (asyncio).

Both loop: acquire (retry every ``retry_period`` with 1.2 jitter) → lead → renew every
``retry_period``; if no renewal succeeds within ``renew_deadline`` leadership is lost.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kubetyped.leaderelection.config import JITTER_FACTOR, LeaderElectionConfig
from kubetyped.leaderelection.core import Create, ElectionCore, Write
from kubetyped.leaderelection.lock import AsyncLeaseLock, LeaseLock

log = logging.getLogger("kubetyped.leaderelection")


def _utcnow() -> datetime:
    return datetime.now(UTC)


class _Base:
    def __init__(
        self,
        config: LeaderElectionConfig,
        namespace: str,
        name: str,
        clock: Callable[[], float],
        wall_clock: Callable[[], datetime],
        rand: Callable[[], float],
    ) -> None:
        self.config = config
        self.core = ElectionCore(config, namespace, name, clock, wall_clock)
        self._clock = clock
        self._rand = rand
        self._reported = ""
        self._leading = False

    def is_leader(self) -> bool:
        """True while this elector holds the lease (between started and stopped callbacks)."""
        return self._leading

    @property
    def leader(self) -> str:
        return self.core.leader

    def _retry_wait(self) -> float:
        return self.config.retry_period * (1.0 + self._rand() * JITTER_FACTOR)

    def _maybe_report_new_leader(self) -> None:
        leader = self.core.leader
        if leader and leader != self._reported:
            self._reported = leader
            if self.config.callbacks.on_new_leader:
                try:
                    self.config.callbacks.on_new_leader(leader)
                except Exception:
                    log.exception("on_new_leader failed")


class LeaderElector(_Base):
    def __init__(
        self,
        lock: LeaseLock,
        config: LeaderElectionConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utcnow,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(config, lock.namespace, lock.name, clock, wall_clock, rand)
        self.lock = lock
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._thread: threading.Thread | None = None

    def try_acquire_or_renew(self) -> bool:
        try:
            write = self.core.plan(self.lock.get())
            if write is not None:
                self._write(write)
        except Exception as exc:
            log.info("leader election attempt failed: %s", exc)
            return False
        finally:
            self._maybe_report_new_leader()
        return write is not None

    def _write(self, write: Write) -> None:
        if isinstance(write, Create):
            self.core.written(self.lock.create(write.lease))
        else:
            self.core.written(self.lock.update(write.lease))

    def run(self) -> None:
        """Block: acquire, lead until lost or ``stop()``, then return."""
        while not self._stop.is_set():
            if self.try_acquire_or_renew():
                break
            self._stop.wait(self._retry_wait())
        if self._stop.is_set():
            return
        self._leading = True
        self._lost.clear()
        cb = self.config.callbacks
        worker = None
        if cb.on_started_leading:
            worker = threading.Thread(
                target=cb.on_started_leading, args=(lambda: not self._leading,), daemon=True
            )
            worker.start()
        try:
            self._renew_loop()
        finally:
            self._leading = False
            if self._stop.is_set() and self.config.release_on_cancel:
                self.release()
            if cb.on_stopped_leading:
                cb.on_stopped_leading()

    def _renew_loop(self) -> None:
        while not self._stop.is_set():
            deadline = self._clock() + self.config.renew_deadline
            while not self.try_acquire_or_renew():
                if self._stop.is_set():
                    return
                if self._clock() + self.config.retry_period > deadline:
                    log.info(
                        "failed to renew lease %s/%s within the renew deadline",
                        self.core.namespace,
                        self.core.name,
                    )
                    return
                self._stop.wait(self.config.retry_period)
            self._stop.wait(self.config.retry_period)

    def release(self) -> bool:
        write = self.core.release()
        if write is None:
            return False
        try:
            self.core.written(self.lock.update(write.lease))
        except Exception as exc:
            log.info("failed to release lease: %s", exc)
            return False
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, daemon=True, name="leader-elector")
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop renewing (releasing first if ``release_on_cancel``) and wait for ``run``."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)


class AsyncLeaderElector(_Base):
    def __init__(
        self,
        lock: AsyncLeaseLock,
        config: LeaderElectionConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utcnow,
        rand: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(config, lock.namespace, lock.name, clock, wall_clock, rand)
        self.lock = lock

    async def try_acquire_or_renew(self) -> bool:
        write = None
        try:
            write = self.core.plan(await self.lock.get())
            if write is not None:
                if isinstance(write, Create):
                    self.core.written(await self.lock.create(write.lease))
                else:
                    self.core.written(await self.lock.update(write.lease))
        except Exception as exc:
            log.info("leader election attempt failed: %s", exc)
            return False
        finally:
            self._maybe_report_new_leader()
        return write is not None

    async def run(self) -> None:
        """Acquire, lead until lost, return; cancelling the task stops (and maybe releases)."""
        while not await self.try_acquire_or_renew():
            await asyncio.sleep(self._retry_wait())
        self._leading = True
        cb = self.config.callbacks
        work: asyncio.Task[Any] | None = None
        if cb.on_started_leading:
            result = cb.on_started_leading(lambda: not self._leading)
            if inspect.isawaitable(result):
                work = asyncio.ensure_future(result)
        cancelled = False
        try:
            await self._renew_loop()
        except asyncio.CancelledError:
            cancelled = True
            raise
        finally:
            self._leading = False
            if work is not None:
                work.cancel()
            if cancelled and self.config.release_on_cancel:
                await asyncio.shield(self.release())
            if cb.on_stopped_leading:
                cb.on_stopped_leading()

    async def _renew_loop(self) -> None:
        while True:
            deadline = self._clock() + self.config.renew_deadline
            while not await self.try_acquire_or_renew():
                if self._clock() + self.config.retry_period > deadline:
                    return
                await asyncio.sleep(self.config.retry_period)
            await asyncio.sleep(self.config.retry_period)

    async def release(self) -> bool:
        write = self.core.release()
        if write is None:
            return False
        try:
            self.core.written(await self.lock.update(write.lease))
        except Exception as exc:
            log.info("failed to release lease: %s", exc)
            return False
        return True
