"""Leader election settings and their validation (client-go ``LeaderElectionConfig``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kubetyped.errors import KubetypedError

__all__ = ["Callbacks", "LeaderElectionConfig", "LeaderElectionConfigError"]

JITTER_FACTOR = 1.2


class LeaderElectionConfigError(KubetypedError, ValueError):
    """Inconsistent leader election timing or identity; names the offending field."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(f"leader election config: {field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Callbacks:
    """What the elector calls (client-go ``LeaderCallbacks``); exceptions are logged.

    ``on_started_leading(should_stop)`` runs beside the renewals once leadership is acquired
    (a thread, or for ``AsyncLeaderElector`` a task: it may be a coroutine function, cancelled on
    loss); ``should_stop()`` turns True once leadership ends. ``on_stopped_leading()`` runs when
    it ends; ``on_new_leader(identity)`` whenever a different leader is observed.
    """

    on_started_leading: Callable[[Callable[[], bool]], Any] | None = None
    on_stopped_leading: Callable[[], Any] | None = None
    on_new_leader: Callable[[str], Any] | None = None


@dataclass(frozen=True)
class LeaderElectionConfig:
    """Leader election timing and identity (client-go ``LeaderElectionConfig``), in seconds.

    ``identity`` names this candidate in the Lease; ``lease_duration`` is how long followers wait
    after last seeing the record change before taking over; ``renew_deadline`` how long the
    leader keeps trying to renew before it steps down; ``retry_period`` the wait between
    attempts. Needs ``lease_duration > renew_deadline > 1.2 * retry_period``, else
    ``LeaderElectionConfigError`` names the field. ``release_on_cancel`` gives the lease up on
    ``stop()``/cancellation so another candidate takes over at once.
    """

    identity: str
    lease_duration: float = 15.0
    renew_deadline: float = 10.0
    retry_period: float = 2.0
    release_on_cancel: bool = False
    callbacks: Callbacks = field(default_factory=Callbacks)
    name: str = ""

    def __post_init__(self) -> None:
        validate(self)


def validate(cfg: LeaderElectionConfig) -> None:
    """Raise ``LeaderElectionConfigError`` (naming the field) for an inconsistent config
    (client-go ``NewLeaderElector``'s checks)."""
    if not cfg.identity:
        raise LeaderElectionConfigError("must not be empty", field="identity")
    for name in ("lease_duration", "renew_deadline", "retry_period"):
        if getattr(cfg, name) <= 0:
            raise LeaderElectionConfigError(
                f"must be positive, got {getattr(cfg, name)}", field=name
            )
    if cfg.lease_duration <= cfg.renew_deadline:
        raise LeaderElectionConfigError(
            f"lease_duration ({cfg.lease_duration}s) must be greater than renew_deadline "
            f"({cfg.renew_deadline}s)",
            field="lease_duration",
        )
    if cfg.renew_deadline <= JITTER_FACTOR * cfg.retry_period:
        raise LeaderElectionConfigError(
            f"renew_deadline ({cfg.renew_deadline}s) must be greater than "
            f"{JITTER_FACTOR} x retry_period ({cfg.retry_period}s)",
            field="renew_deadline",
        )
