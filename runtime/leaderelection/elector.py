"""Leader electors: ``LeaderElector`` (a thread) and ``AsyncLeaderElector`` (asyncio).

Both loop: acquire (retry every ``retry_period`` with 1.2 jitter) → lead → renew every
``retry_period``; if no renewal succeeds within ``renew_deadline`` leadership is lost.

As client-go's ``renew`` (which passes a context with the renew deadline into every request),
each attempt is bounded by the time left to the deadline: the attempt runs in a helper thread
(sync) or under ``asyncio.timeout`` (async) and is abandoned when the deadline passes, and a
lock whose methods take a ``timeout`` keyword gets that time as its request timeout. The
deadline counts from the start of the last successful attempt (before its write could reach the
server), so a leader whose path to the apiserver stalls stops leading (``is_leader()`` turns
False, then ``on_stopped_leading``) less than ``renew_deadline`` after its last renewal, and
``renew_deadline < lease_duration`` means before any other candidate can see the lease expire.
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
from typing import Any, TypeVar

from kubetyped.leaderelection.config import JITTER_FACTOR, LeaderElectionConfig
from kubetyped.leaderelection.core import Create, ElectionCore, Write
from kubetyped.leaderelection.lock import AsyncLeaseLock, LeaseLock

log = logging.getLogger("kubetyped.leaderelection")
R = TypeVar("R")


def _accepts_timeout(method: Callable[..., Any]) -> bool:
    try:
        return "timeout" in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False


def _lock_call(method: Callable[..., R], *args: Any, timeout: float | None) -> R:
    """Call a lock method, passing ``timeout`` when it takes one."""
    if timeout is not None and _accepts_timeout(method):
        return method(*args, timeout=max(timeout, 0.001))
    return method(*args)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _guarded(what: str, func: Callable[..., Any], *args: Any) -> Any:
    """Run a user callback; an exception is logged, never raised into the elector."""
    try:
        return func(*args)
    except Exception:
        log.exception("leader election callback %s failed", what)
        return None


def _log_task_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("on_started_leading failed", exc_info=task.exception())


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
        self._renewed_at = 0.0  # clock() at the start of the last successful attempt

    def is_leader(self) -> bool:
        """True while this elector holds the lease: between the started and stopped callbacks,
        and never later than ``renew_deadline`` after the last successful renewal."""
        return self._leading and self._clock() < self._lead_deadline()

    def _should_stop(self) -> bool:
        return not self.is_leader()

    def _lead_deadline(self) -> float:
        return self._renewed_at + self.config.renew_deadline

    def _time_left(self) -> float:
        return self._lead_deadline() - self._clock()

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
        self._attempt_thread: threading.Thread | None = None
        self._core_lock = threading.Lock()

    def try_acquire_or_renew(self, timeout: float | None = None) -> bool:
        """One attempt to acquire or renew; False when it failed or took longer than ``timeout``
        seconds (the attempt is then abandoned: its result is ignored)."""
        started = self._clock()
        ok = self._attempt(None) if timeout is None else self._attempt_within(timeout)
        if ok:
            self._renewed_at = started
        return ok

    def _attempt_within(self, timeout: float) -> bool:
        previous = self._attempt_thread
        if previous is not None and previous.is_alive():
            return False  # an abandoned attempt is still blocked: do not pile up requests
        done = threading.Event()
        result: list[bool] = []

        def target() -> None:
            try:
                result.append(self._attempt(timeout))
            finally:
                done.set()

        thread = threading.Thread(target=target, daemon=True, name="leader-elector-attempt")
        self._attempt_thread = thread
        thread.start()
        if not done.wait(max(timeout, 0.0)) or not result:
            log.info(
                "leader election attempt on %s/%s did not finish within %.1fs",
                self.core.namespace,
                self.core.name,
                timeout,
            )
            return False
        return result[0]

    def _attempt(self, timeout: float | None) -> bool:
        with self._core_lock:
            write = None
            try:
                write = self.core.plan(_lock_call(self.lock.get, timeout=timeout))
                if write is not None:
                    self._write(write, timeout)
            except Exception as exc:
                log.info("leader election attempt failed: %s", exc)
                return False
            finally:
                self._maybe_report_new_leader()
            return write is not None

    def _write(self, write: Write, timeout: float | None) -> None:
        method = self.lock.create if isinstance(write, Create) else self.lock.update
        self.core.written(_lock_call(method, write.lease, timeout=timeout))

    def run(self) -> None:
        """Block: acquire, lead until lost or ``stop()``, then return."""
        while not self._stop.is_set():
            if self.try_acquire_or_renew(self.config.renew_deadline):
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
                target=_guarded,
                args=("on_started_leading", cb.on_started_leading, self._should_stop),
                daemon=True,
                name="leader-elector-work",
            )
            worker.start()
        try:
            self._renew_loop()
        finally:
            self._leading = False
            if self._stop.is_set() and self.config.release_on_cancel:
                self.release()
            if cb.on_stopped_leading:
                _guarded("on_stopped_leading", cb.on_stopped_leading)

    def _renew_loop(self) -> None:
        self._stop.wait(self.config.retry_period)
        while not self._stop.is_set():
            if self._time_left() <= 0 or not self._renew_once():
                log.info(
                    "failed to renew lease %s/%s within the renew deadline",
                    self.core.namespace,
                    self.core.name,
                )
                return
            self._stop.wait(self.config.retry_period)

    def _renew_once(self) -> bool:
        """Retry every ``retry_period`` until a renewal succeeds or the deadline passes."""
        while not self._stop.is_set():
            left = self._time_left()
            if left <= 0:
                return False
            if self.try_acquire_or_renew(left):
                return True
            wait = min(self.config.retry_period, self._time_left())
            if wait <= 0:
                return False
            self._stop.wait(wait)
        return True  # stopping: not a loss

    def release(self) -> bool:
        if not self._core_lock.acquire(timeout=self.config.renew_deadline):
            return False  # an abandoned attempt still holds the core
        try:
            write = self.core.release()
            if write is None:
                return False
            try:
                lease = _lock_call(
                    self.lock.update, write.lease, timeout=self.config.renew_deadline
                )
                self.core.written(lease)
            except Exception as exc:
                log.info("failed to release lease: %s", exc)
                return False
            return True
        finally:
            self._core_lock.release()

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

    async def try_acquire_or_renew(self, timeout: float | None = None) -> bool:
        """One attempt to acquire or renew; False when it failed or took longer than ``timeout``
        seconds (the attempt is then cancelled)."""
        started = self._clock()
        try:
            async with asyncio.timeout(timeout):
                ok = await self._attempt(timeout)
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
            write = self.core.plan(await _lock_call(self.lock.get, timeout=timeout))
            if write is not None:
                method = self.lock.create if isinstance(write, Create) else self.lock.update
                self.core.written(await _lock_call(method, write.lease, timeout=timeout))
        except Exception as exc:
            log.info("leader election attempt failed: %s", exc)
            return False
        finally:
            self._maybe_report_new_leader()
        return write is not None

    async def run(self) -> None:
        """Acquire, lead until lost, return; cancelling the task stops (and maybe releases)."""
        while not await self.try_acquire_or_renew(self.config.renew_deadline):
            await asyncio.sleep(self._retry_wait())
        self._leading = True
        cb = self.config.callbacks
        work: asyncio.Task[Any] | None = None
        if cb.on_started_leading:
            result = _guarded("on_started_leading", cb.on_started_leading, self._should_stop)
            if inspect.isawaitable(result):
                work = asyncio.ensure_future(result)
                work.add_done_callback(_log_task_failure)
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
                _guarded("on_stopped_leading", cb.on_stopped_leading)

    async def _renew_loop(self) -> None:
        await asyncio.sleep(self.config.retry_period)
        while await self._renew_once():
            await asyncio.sleep(self.config.retry_period)
        log.info(
            "failed to renew lease %s/%s within the renew deadline",
            self.core.namespace,
            self.core.name,
        )

    async def _renew_once(self) -> bool:
        """Retry every ``retry_period`` until a renewal succeeds or the deadline passes."""
        while (left := self._time_left()) > 0:
            if await self.try_acquire_or_renew(left):
                return True
            wait = min(self.config.retry_period, self._time_left())
            if wait <= 0:
                break
            await asyncio.sleep(wait)
        return False

    async def release(self) -> bool:
        write = self.core.release()
        if write is None:
            return False
        try:
            async with asyncio.timeout(self.config.renew_deadline):
                lease = await _lock_call(
                    self.lock.update, write.lease, timeout=self.config.renew_deadline
                )
            self.core.written(lease)
        except Exception as exc:
            log.info("failed to release lease: %s", exc)
            return False
        return True
