"""`retry_on_conflict` (used by the examples) against real 409 Conflicts from the apiserver."""

from __future__ import annotations

from typing import Any

import pytest

from kubetyped.errors import ConflictError, NotFoundError
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.retry_conflict import (
    DEFAULT_BACKOFF,
    DEFAULT_RETRY,
    Backoff,
    async_retry_on_conflict,
    delays,
    retry_on_conflict,
)


def _configmap(rest: RESTClient, namespace: str) -> str:
    path = f"/api/v1/namespaces/{namespace}/configmaps"
    rest.create(path, {"metadata": {"name": "counter"}, "data": {"n": "0"}})
    return f"{path}/counter"


def test_retries_a_real_conflict_then_succeeds(rest: RESTClient, namespace: str) -> None:
    path = _configmap(rest, namespace)
    attempts: list[int] = []
    sleeps: list[float] = []

    def increment() -> dict[str, Any]:
        current = rest.get(path)
        attempts.append(1)
        if len(attempts) == 1:  # another writer sneaks in between our read and our write
            rest.patch(path, {"data": {"other": "x"}})
        current["data"]["n"] = str(int(current["data"]["n"]) + 1)
        return rest.update(path, current)

    result = retry_on_conflict(increment, sleep=sleeps.append, rand=lambda: 0.5)
    assert len(attempts) == 2 and sleeps == [0.01 * 1.05]
    assert result["data"] == {"n": "1", "other": "x"}
    assert rest.get(path)["data"]["n"] == "1"


def test_gives_up_after_steps_with_the_last_conflict(rest: RESTClient, namespace: str) -> None:
    path = _configmap(rest, namespace)
    stale = rest.get(path)
    rest.patch(path, {"data": {"n": "5"}})  # `stale` now always conflicts
    calls: list[int] = []
    sleeps: list[float] = []

    def write_stale() -> dict[str, Any]:
        calls.append(1)
        return rest.update(path, stale)

    backoff = Backoff(duration=0.1, factor=2.0, jitter=0.0, steps=4, cap=0.3)
    with pytest.raises(ConflictError):
        retry_on_conflict(write_stale, backoff, sleep=sleeps.append)
    assert len(calls) == 4 and sleeps == pytest.approx([0.1, 0.2, 0.3])


def test_other_errors_are_not_retried(rest: RESTClient, namespace: str) -> None:
    calls: list[int] = []

    def missing() -> dict[str, Any]:
        calls.append(1)
        return rest.get(f"/api/v1/namespaces/{namespace}/configmaps/missing")

    with pytest.raises(NotFoundError):
        retry_on_conflict(missing, sleep=lambda _: None)
    assert calls == [1]


async def test_async_retry_on_conflict(
    rest: RESTClient, async_rest: AsyncRESTClient, namespace: str
) -> None:
    path = _configmap(rest, namespace)
    attempts: list[int] = []

    async def no_sleep(_: float) -> None:
        return None

    async def increment() -> dict[str, Any]:
        current = await async_rest.get(path)
        attempts.append(1)
        if len(attempts) < 3:
            await async_rest.patch(path, {"data": {"other": str(len(attempts))}})
        current["data"]["n"] = str(int(current["data"]["n"]) + 1)
        return await async_rest.update(path, current)

    result = await async_retry_on_conflict(increment, sleep=no_sleep)
    assert len(attempts) == 3 and result["data"]["n"] == "1"


def test_default_schedules_match_client_go() -> None:
    no_jitter = lambda: 0.0  # noqa: E731
    assert list(delays(DEFAULT_RETRY, no_jitter)) == pytest.approx([0.01] * 4)
    assert list(delays(DEFAULT_BACKOFF, no_jitter)) == pytest.approx([0.01, 0.05, 0.25])
    jittered = list(delays(DEFAULT_RETRY, lambda: 1.0))
    assert jittered == pytest.approx([0.011] * 4)
    with pytest.raises(ValueError, match="steps"):
        Backoff(steps=0)
