"""Leader election settings and their validation (client-go ``LeaderElectionConfig``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kubetyped.errors import KubetypedError

JITTER_FACTOR = 1.2


class LeaderElectionConfigError(KubetypedError, ValueError):
    """Inconsistent leader election timing or identity; names the offending field."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(f"leader election config: {field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Callbacks:
    """``on_started_leading`` gets a ``should_stop`` callable (True once leadership ends);
    in asyncio mode it may be a coroutine function (run as a task, cancelled on loss)."""

    on_started_leading: Callable[[Callable[[], bool]], Any] | None = None
    on_stopped_leading: Callable[[], Any] | None = None
    on_new_leader: Callable[[str], Any] | None = None


@dataclass(frozen=True)
class LeaderElectionConfig:
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
