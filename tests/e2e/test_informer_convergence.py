"""An informer converges under concurrent churn: after quiescence its cache equals a fresh list
(same keys, same resourceVersions) and every object's last delivered event matches its final
state. Also: a watch from a too-old resourceVersion gets 410 and recovers by relisting."""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kubetyped.cache import (
    DeletedFinalStateUnknown,
    ListOptions,
    ResourceListWatch,
    SharedIndexInformer,
    drop_managed_fields,
    meta_namespace_key,
    object_meta,
)
from kubetyped.dynamic import DynamicClient
from kubetyped.errors import NotFoundError
from kubetyped.rest import RESTClient
from tests.cluster import ClusterInfo

WRITERS = 4
OPS_PER_WRITER = 1000  # 4000 writes in total
NAMES_PER_WRITER = 500  # 2000 distinct objects


@pytest.fixture
def fast_rest(admin_config: Any) -> Iterator[RESTClient]:
    """A client without client-side rate limiting (the churn needs hundreds of writes/s)."""
    with RESTClient.from_config(dataclasses.replace(admin_config, qps=-1)) as client:
        yield client


class LastEvent:
    """Per key: the last event an informer handler received."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last: dict[str, tuple[str, str]] = {}
        self.count = 0

    def _set(self, key: str, kind: str, rv: str) -> None:
        with self.lock:
            self.last[key] = (kind, rv)
            self.count += 1

    def on_add(self, obj: Any, is_in_initial_list: bool) -> None:
        self._set(meta_namespace_key(obj), "add", object_meta(obj).resource_version)

    def on_update(self, old: Any, new: Any) -> None:
        self._set(meta_namespace_key(new), "update", object_meta(new).resource_version)

    def on_delete(self, obj: Any) -> None:
        inner = obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
        self._set(meta_namespace_key(obj), "delete", object_meta(inner).resource_version)


def wait_until(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def churn(client: RESTClient, base: str, writer: int, errors: list[BaseException]) -> None:
    rng = random.Random(writer)
    names = [f"w{writer}-{i}" for i in range(NAMES_PER_WRITER)]
    alive: set[str] = set()
    try:
        for op in range(OPS_PER_WRITER):
            name = rng.choice(names)
            if name not in alive:
                client.create(base, {"metadata": {"name": name}, "data": {"op": str(op)}})
                alive.add(name)
            elif rng.random() < 0.3:
                client.delete(f"{base}/{name}")
                alive.discard(name)
            else:
                client.patch(f"{base}/{name}", {"data": {"op": str(op)}})
    except BaseException as exc:  # surfaced by the test
        errors.append(exc)


def test_informer_converges_under_churn(fast_rest: RESTClient, namespace: str) -> None:
    base = f"/api/v1/namespaces/{namespace}/configmaps"
    for i in range(50):  # some objects exist before the informer starts
        fast_rest.create(base, {"metadata": {"name": f"pre-{i}"}})
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(
        DynamicClient(fast_rest).resource("", "v1", "configmaps").namespace(namespace).list_watch(),
        transform=drop_managed_fields,
    )
    last = LastEvent()
    registration = informer.add_event_handler(last)
    informer.start()
    try:
        assert informer.wait_for_sync(30)
        errors: list[BaseException] = []
        writers = [
            threading.Thread(target=churn, args=(fast_rest, base, w, errors))
            for w in range(WRITERS)
        ]
        started = time.monotonic()
        for t in writers:
            t.start()
        for t in writers:
            t.join()
        elapsed = time.monotonic() - started
        assert errors == []
        fresh = fast_rest.list(base)
        fresh_rv = int(fresh["metadata"]["resourceVersion"])
        wait_until(
            lambda: int(informer.last_sync_resource_version or 0) >= fresh_rv,
            60,
            "the informer to reach the fresh list's resourceVersion",
        )
        expected = {meta_namespace_key(o): o["metadata"]["resourceVersion"] for o in fresh["items"]}
        cached = {
            meta_namespace_key(o): object_meta(o).resource_version for o in informer.lister().list()
        }
        assert cached == expected
        assert registration.has_synced()
        wait_until(
            lambda: all(last.last.get(k, ("", ""))[1] == rv for k, rv in expected.items()),
            30,
            "handlers to catch up",
        )
        with last.lock:
            for key, (kind, rv) in last.last.items():
                if key in expected:
                    assert kind in ("add", "update") and rv == expected[key], key
                else:
                    assert kind == "delete", key
        print(
            f"\nchurn: {WRITERS * OPS_PER_WRITER} writes in {elapsed:.1f}s, "
            f"{last.count} events delivered, {len(expected)} objects at the end"
        )
    finally:
        informer.stop()


class CountingListWatch(ResourceListWatch[dict[str, Any]]):
    """Records list/watch calls; the first watch starts from ``stale_rv`` if set."""

    def __init__(self, client: RESTClient, path: str) -> None:
        _, _, _, _, namespace, plural = path.split("/")  # /api/v1/namespaces/<ns>/<plural>
        resource = DynamicClient(client).resource("", "v1", plural).namespace(namespace)
        super().__init__(resource.list_watch().client)
        self.lists: list[ListOptions] = []
        self.watches: list[ListOptions] = []
        self.stale_rv: str | None = None

    def list(self, options: ListOptions) -> Any:
        self.lists.append(options)
        return super().list(options)

    def watch(self, options: ListOptions) -> Any:
        if self.stale_rv is not None:
            options = dataclasses.replace(options, resource_version=self.stale_rv)
            self.stale_rv = None
        self.watches.append(options)
        return super().watch(options)


def test_watch_from_too_old_rv_gets_410_and_relists(
    cluster: ClusterInfo, rest: RESTClient, namespace: str
) -> None:
    if cluster.etcd_url is None:
        pytest.fail("this test compacts etcd: set KUBETYPED_TEST_ETCD for an external cluster")
    # podtemplates bypass the watch cache in the test cluster, so old RVs really expire
    base = f"/api/v1/namespaces/{namespace}/podtemplates"
    spec = {"template": {"spec": {"containers": [{"name": "c", "image": "registry.example/x"}]}}}
    first = rest.create(base, {"metadata": {"name": "pt-0"}, **spec})
    rest.create(base, {"metadata": {"name": "pt-1"}, **spec})
    rest.delete(f"{base}/pt-0")
    cluster.compact_etcd()
    lw = CountingListWatch(rest, base)
    lw.stale_rv = first["metadata"]["resourceVersion"]  # as if we had slept through history
    errors: list[BaseException] = []
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(
        lw, watch_error_handler=errors.append
    )
    informer.start()
    try:
        assert informer.wait_for_sync(30)
        wait_until(lambda: len(lw.lists) >= 2, 30, "a relist after the 410")
        assert any(getattr(e, "code", None) == 410 for e in errors), errors
        rest.create(base, {"metadata": {"name": "pt-2"}, **spec})
        wait_until(
            lambda: (
                informer.lister().get_or_none(f"{namespace}/pt-2") is not None
                or informer.lister().namespaced(namespace).get_or_none("pt-2") is not None
            ),
            30,
            "the informer to see new objects after recovering",
        )
        names = sorted(object_meta(o).name for o in informer.lister().list())
        assert names == ["pt-1", "pt-2"]
        with pytest.raises(NotFoundError):
            rest.get(f"{base}/pt-0")
    finally:
        informer.stop()


def test_streaming_list_syncs_without_a_list_call(rest: RESTClient, namespace: str) -> None:
    base = f"/api/v1/namespaces/{namespace}/configmaps"
    for i in range(3):
        rest.create(base, {"metadata": {"name": f"s-{i}"}})
    lw = CountingListWatch(rest, base)
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(lw, use_watch_list=True)
    informer.start()
    try:
        assert informer.wait_for_sync(30)
        assert lw.lists == []  # synced from the watch alone
        assert lw.watches[0].send_initial_events is True
        assert sorted(object_meta(o).name for o in informer.lister().list()) == [
            "s-0",
            "s-1",
            "s-2",
        ]
        rest.create(base, {"metadata": {"name": "s-3"}})
        wait_until(
            lambda: informer.lister().namespaced(namespace).get_or_none("s-3") is not None,
            30,
            "a live event on the same stream",
        )
        assert len(lw.watches) == 1
    finally:
        informer.stop()
