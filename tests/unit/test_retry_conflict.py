"""`kubetyped.retry_conflict`: the pure delay schedule and the typed error of a bad `Backoff`."""

from __future__ import annotations

import pytest

from kubetyped.errors import ConflictError, KubetypedError
from kubetyped.retry_conflict import Backoff, BackoffError, delays, retry_on_conflict


def test_delays_grow_by_factor_up_to_cap_with_jitter() -> None:
    backoff = Backoff(duration=1.0, factor=2.0, jitter=0.5, steps=5, cap=3.0)
    assert list(delays(backoff, rand=lambda: 0.0)) == [1.0, 2.0, 3.0, 3.0]
    assert list(delays(backoff, rand=lambda: 1.0)) == [1.5, 3.0, 4.5, 4.5]


def test_backoff_without_steps_is_a_typed_error_naming_the_field() -> None:
    with pytest.raises(BackoffError, match=r"Backoff\.steps must be at least 1, not 0") as info:
        Backoff(steps=0)
    assert isinstance(info.value, KubetypedError) and isinstance(info.value, ValueError)


def test_retry_on_conflict_gives_up_after_steps_attempts() -> None:
    calls: list[int] = []
    pauses: list[float] = []

    def always_conflicts() -> None:
        calls.append(1)
        raise ConflictError(409, "Conflict", "the object has been modified")

    with pytest.raises(ConflictError):
        retry_on_conflict(always_conflicts, Backoff(duration=0.5, steps=3), sleep=pauses.append)
    assert len(calls) == 3
    assert len(pauses) == 2
