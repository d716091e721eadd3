"""User hooks that raise never kill an informer (client-go reflector: ``HandleError`` and go on).

Provenance: /work/shared/cases/reliability/case_informer_dies_on_hook_error.py (a transform or
index function rejecting one object ended the informer thread/task for good; a raising
watch-error handler did the same). Here: the same scenarios on the fake clientset, thread and
asyncio, plus the health an informer exposes for liveness probes.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from kubetyped.cache import (
    DeletedFinalStateUnknown,
    Indexer,
    IndexFuncError,
    TransformError,
)
from kubetyped_kubernetes import AsyncSharedInformerFactory, FakeClientset, SharedInformerFactory
from kubetyped_kubernetes.fake import AsyncFakeClientset


def cm(name: str, **labels: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "d", "labels": labels},
    }


def transform(obj: Any) -> Any:
    if (obj.metadata.labels or {}).get("odd"):
        raise ValueError("transform cannot handle this object")
    return obj


def wait_until(cond: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


async def async_wait_until(cond: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


@pytest.fixture
def crashes() -> Any:
    seen: list[str] = []
    previous = threading.excepthook
    threading.excepthook = lambda a: seen.append(f"{a.thread}: {a.exc_type}: {a.exc_value}")
    yield seen
    threading.excepthook = previous


def names(lister: Any) -> list[str]:
    return sorted(o.metadata.name for o in lister.list())


def test_transform_rejecting_one_watched_object_is_reported_and_skipped(crashes: list[str]) -> None:
    fake = FakeClientset(objects=[cm("a"), cm("gone-odd")])
    errors: list[BaseException] = []
    factory = SharedInformerFactory(fake, namespace="d")
    inf = factory.core_v1.config_maps()
    inf.informer().set_transform(lambda o: o)  # replaced below: the last one counts
    inf.informer().set_transform(transform)
    inf.informer().set_watch_error_handler(errors.append)
    factory.start()
    try:
        assert factory.wait_for_cache_sync(10)
        fake.core_v1.config_maps("d").create(cm("odd-one", odd="1"))
        wait_until(lambda: any(isinstance(e, TransformError) for e in errors))
        fake.core_v1.config_maps("d").delete("a")
        fake.core_v1.config_maps("d").create(cm("b"))
        wait_until(lambda: names(inf.lister()) == ["b", "gone-odd"])
        # the deletion of an object the transform rejects still leaves the cache
        fake.core_v1.config_maps("d").update(cm("gone-odd", odd="1"))
        wait_until(lambda: sum(isinstance(e, TransformError) for e in errors) >= 2)
        fake.core_v1.config_maps("d").delete("gone-odd")
        wait_until(lambda: names(inf.lister()) == ["b"])
        err = next(e for e in errors if isinstance(e, TransformError))
        assert err.key == "d/odd-one" and isinstance(err.__cause__, ValueError)
        runner = inf.informer()._runner
        assert runner is not None and runner.handle.is_alive()
        health = inf.informer().health()
        assert health.synced and isinstance(health.last_error, TransformError)
        assert health.last_sync is not None and health.last_watch_progress is not None
        assert health.last_watch_progress >= health.last_sync
    finally:
        factory.shutdown(timeout=5)
    assert crashes == []


def test_index_function_rejecting_a_listed_object_is_reported_and_skipped(
    crashes: list[str],
) -> None:
    # newcomer review (session 2, /tmp/newcomer/case_index_list.py): the whole list used to be
    # refused and retried, the informer never synced and the cache stayed empty.
    fake = FakeClientset(objects=[cm("a", team="x"), cm("no-team-label")])
    errors: list[BaseException] = []
    factory = SharedInformerFactory(fake, namespace="d")
    inf = factory.core_v1.config_maps()
    inf.informer().add_indexers({"team": lambda o: [o.metadata.labels["team"]]})
    inf.informer().set_watch_error_handler(errors.append)
    factory.start()
    try:
        assert factory.wait_for_cache_sync(10)
        assert names(inf.lister()) == ["a"]
        assert [o.metadata.name for o in inf.informer().indexer.by_index("team", "x")] == ["a"]
        assert len(errors) == 1 and isinstance(errors[0], IndexFuncError)
        assert errors[0].key == "d/no-team-label" and errors[0].index_name == "team"
        health = inf.informer().health()
        assert health.synced and isinstance(health.last_error, IndexFuncError)
        # once fixed, the object arrives by watch
        fake.core_v1.config_maps("d").update(cm("no-team-label", team="y"))
        wait_until(lambda: names(inf.lister()) == ["a", "no-team-label"])
    finally:
        factory.shutdown(timeout=5)
    assert crashes == []


def test_transform_rejecting_a_listed_object_is_reported_and_skipped(crashes: list[str]) -> None:
    # newcomer review (session 2, /tmp/newcomer/case_transform_list.py)
    fake = FakeClientset(objects=[cm("a"), cm("odd-one", odd="1")])
    errors: list[BaseException] = []
    factory = SharedInformerFactory(fake, namespace="d")
    inf = factory.core_v1.config_maps()
    inf.informer().set_transform(transform)
    inf.informer().set_watch_error_handler(errors.append)
    factory.start()
    try:
        assert factory.wait_for_cache_sync(10)
        assert names(inf.lister()) == ["a"]
        assert [type(e) for e in errors] == [TransformError]
        assert errors[0].key == "d/odd-one"  # type: ignore[attr-defined]
        assert inf.informer().health().synced
    finally:
        factory.shutdown(timeout=5)
    assert crashes == []


def test_raising_watch_error_handler_and_event_handler_never_end_the_informer(
    crashes: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeClientset(objects=[cm("a")])
    factory = SharedInformerFactory(fake, namespace="d")
    inf = factory.core_v1.config_maps()
    seen: list[str] = []

    def bad_handler(exc: BaseException) -> None:
        raise RuntimeError("handler is broken too")

    def on_add(obj: Any, initial: bool) -> None:
        seen.append(obj.metadata.name)
        raise KeyError("handler bug")

    inf.informer().set_transform(transform)
    inf.informer().set_watch_error_handler(bad_handler)
    inf.informer().add_event_handler(on_add=on_add)
    factory.start()
    try:
        assert factory.wait_for_cache_sync(10)
        fake.core_v1.config_maps("d").create(cm("odd", odd="1"))
        wait_until(lambda: "handler is broken too" in caplog.text)
        fake.core_v1.config_maps("d").create(cm("b"))
        wait_until(lambda: seen == ["a", "b"])
        assert names(inf.lister()) == ["a", "b"]
    finally:
        factory.shutdown(timeout=5)
    assert crashes == []


async def test_async_informer_survives_transform_and_handler_errors() -> None:
    fake = AsyncFakeClientset(objects=[cm("a")])
    factory = AsyncSharedInformerFactory(fake, namespace="d")
    inf = factory.core_v1.config_maps()
    errors: list[BaseException] = []

    def handler(exc: BaseException) -> None:
        errors.append(exc)
        raise RuntimeError("and the handler raises")

    inf.informer().set_transform(transform)
    inf.informer().set_watch_error_handler(handler)
    factory.start()
    try:
        assert await factory.wait_for_cache_sync(10)
        await fake.core_v1.config_maps("d").create(cm("odd-one", odd="1"))
        await async_wait_until(lambda: bool(errors))
        await fake.core_v1.config_maps("d").create(cm("b"))
        await fake.core_v1.config_maps("d").delete("a")
        await async_wait_until(lambda: names(inf.lister()) == ["b"])
        runner = inf.informer()._runner
        assert runner is not None and not runner.handle.done()
        assert isinstance(inf.informer().health().last_error, TransformError)
    finally:
        await factory.shutdown()


async def test_async_list_rejections_are_reported_and_skipped() -> None:
    fake = AsyncFakeClientset(objects=[cm("a", team="x"), cm("bad"), cm("odd", team="z", odd="1")])
    factory = AsyncSharedInformerFactory(fake, namespace="d")
    inf = factory.core_v1.config_maps()
    errors: list[BaseException] = []
    inf.informer().add_indexers({"team": lambda o: [o.metadata.labels["team"]]})
    inf.informer().set_transform(transform)
    inf.informer().set_watch_error_handler(errors.append)
    factory.start()
    try:
        assert await factory.wait_for_cache_sync(10)
        assert names(inf.lister()) == ["a"]
        assert sorted(type(e).__name__ for e in errors) == ["IndexFuncError", "TransformError"]
        await fake.core_v1.config_maps("d").update(cm("bad", team="y"))
        await async_wait_until(lambda: names(inf.lister()) == ["a", "bad"])
    finally:
        await factory.shutdown()


def test_indexer_rejection_leaves_the_store_unchanged() -> None:
    def team(obj: Any) -> list[str]:
        return [obj["metadata"]["labels"]["team"]]

    store: Indexer[Any] = Indexer({"team": team})
    good = {"metadata": {"name": "a", "namespace": "d", "labels": {"team": "x"}}}
    store.update(good)
    bad = {"metadata": {"name": "a", "namespace": "d", "labels": {}}}
    with pytest.raises(IndexFuncError) as info:
        store.update(bad)
    assert info.value.key == "d/a" and info.value.index_name == "team"
    assert store.get_by_key("d/a") is good and store.index_keys("team", "x") == ["d/a"]
    with pytest.raises(IndexFuncError):
        store.replace([good, {"metadata": {"name": "b", "namespace": "d"}}])
    assert store.list_keys() == ["d/a"]
    rejected: list[IndexFuncError] = []
    old = store.replace([{"metadata": {"name": "b", "namespace": "d"}}], on_reject=rejected.append)
    assert list(old) == ["d/a"] and store.list_keys() == [] and store.index_keys("team", "x") == []
    assert [(e.key, e.index_name) for e in rejected] == [("d/b", "team")]
    store.replace([good])
    with pytest.raises(IndexFuncError):
        Indexer({"bad": lambda o: "not-a-list"}).update(good)  # type: ignore[arg-type,return-value]
    with pytest.raises(IndexFuncError):
        store.update({"metadata": {}})  # no name: the key function fails
    # a tombstone removes by key
    assert store.delete(DeletedFinalStateUnknown("d/a", None)) is good
    assert store.index_keys("team", "x") == []
