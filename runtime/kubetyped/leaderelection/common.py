"""What both leader electors share: lock calls with a timeout, the leadership deadline, jitter
and the new-leader report (client-go ``tools/leaderelection/leaderelection.go``)."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from kubetyped.leaderelection.config import JITTER_FACTOR, LeaderElectionConfig
from kubetyped.leaderelection.core import ElectionCore

__all__ = ["ElectorBase"]

log = logging.getLogger("kubetyped.leaderelection")
R = TypeVar("R")


def _accepts_timeout(method: Callable[..., Any]) -> bool:
    try:
        return "timeout" in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False


def lock_call(method: Callable[..., R], *args: Any, timeout: float | None) -> R:
    """``method(*args)``, with ``timeout=`` (seconds, at least 1 ms) when the lock method takes
    one and a timeout is given."""
    if timeout is not None and _accepts_timeout(method):
        return method(*args, timeout=max(timeout, 0.001))
    return method(*args)


def utcnow() -> datetime:
    """The current wall-clock time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def guarded(what: str, func: Callable[..., Any], *args: Any) -> Any:
    """``func(*args)``; a user callback's exception is logged, never raised into the elector."""
    try:
        return func(*args)
    except Exception:
        log.exception("leader election callback %s failed", what)
        return None


class ElectorBase:
    """The timing state both electors share.

    Leadership lasts from a successful acquire until no renewal succeeds within
    ``renew_deadline`` seconds of the start of the last successful attempt (client-go
    ``LeaderElector.renew``); ``clock`` is monotonic seconds, ``rand`` in [0, 1) for jitter.
    """

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
        """The identity of the current leader as last observed ("" when unknown)."""
        return self.core.leader

    def _retry_wait(self) -> float:
        """``retry_period`` with up to ``JITTER_FACTOR`` jitter (client-go ``wait.JitterUntil``)."""
        return self.config.retry_period * (1.0 + self._rand() * JITTER_FACTOR)

    def _maybe_report_new_leader(self) -> None:
        leader = self.core.leader
        if leader and leader != self._reported:
            self._reported = leader
            if self.config.callbacks.on_new_leader:
                guarded("on_new_leader", self.config.callbacks.on_new_leader, leader)
