"""Shared informers (thread + asyncio) and the factory against an in-memory API server slice
(list + watch with RVs, 410s, connection cuts and outages)."""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from kubetyped.cache import (
    AsyncSharedIndexInformer,
    AsyncSharedInformerFactory,
    DeletedFinalStateUnknown,
    FactoryShutDownError,
    InformerOptions,
    ListOptions,
    ListResult,
    SharedIndexInformer,
    SharedInformerFactory,
    WatchEvent,
    drop_managed_fields,
    object_meta,
)
from kubetyped.errors import ApiError, api_error_from_status


def ApiErr(code: int, message: str = "") -> ApiError:
    """The typed error the REST layer raises for a `Status` with this code and message."""
    return api_error_from_status({"kind": "Status", "code": code, "message": message})


class FakeServer:
    def __init__(self) -> None:
        self.rv = 0
        self.objs: dict[str, dict[str, Any]] = {}
        self.log: list[tuple[int, str, dict[str, Any]]] = []
        self.cond = threading.Condition()
        self.down = False
        self.compacted = 0  # watches from an RV below this get 410
        self.generation = 0  # bumped by cut(): open watches fail
        self.lists: list[ListOptions] = []
        self.watches: list[ListOptions] = []

    # ---- writes ------------------------------------------------------------------------
    def _write(
        self,
        etype: str,
        name: str,
        data: dict[str, str] | None,
        labels: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        with self.cond:
            self.rv += 1
            key = f"ns/{name}"
            if etype == "DELETED":
                obj = copy.deepcopy(self.objs.pop(key))
                obj["metadata"]["resourceVersion"] = str(self.rv)
            else:
                obj = {
                    "metadata": {
                        "name": name,
                        "namespace": "ns",
                        "resourceVersion": str(self.rv),
                        "labels": labels or {},
                        "managedFields": [{"manager": "test"}],
                    },
                    "data": data or {},
                }
                self.objs[key] = obj
            self.log.append((self.rv, etype, copy.deepcopy(obj)))
            self.cond.notify_all()
            return obj

    def create(self, name: str, **data: str) -> dict[str, Any]:
        return self._write("ADDED", name, data)

    def update(self, name: str, **data: str) -> dict[str, Any]:
        return self._write("MODIFIED", name, data)

    def delete(self, name: str) -> dict[str, Any]:
        return self._write("DELETED", name, None)

    def cut(self) -> None:
        """Break every open watch connection."""
        with self.cond:
            self.generation += 1
            self.cond.notify_all()

    # ---- ListWatch ---------------------------------------------------------------------
    def list(self, options: ListOptions) -> ListResult[dict[str, Any]]:
        with self.cond:
            self.lists.append(options)
            if self.down:
                raise ConnectionRefusedError("server down")
            items = [copy.deepcopy(o) for _, o in sorted(self.objs.items())]
            start = int(options.continue_ or 0)
            if options.limit:
                page = items[start : start + options.limit]
                more = start + options.limit < len(items)
                return ListResult(page, str(self.rv), str(start + options.limit) if more else None)
            return ListResult(items, str(self.rv))

    def watch(self, options: ListOptions) -> FakeStream:
        with self.cond:
            self.watches.append(options)
            if self.down:
                raise ConnectionRefusedError("server down")
            since = int(options.resource_version or self.rv)
            if since < self.compacted:
                raise ApiErr(410, "too old resource version")
            generation = self.generation
        return self._stream(since, generation)

    def _stream(self, since: int, generation: int) -> FakeStream:
        return FakeStream(self, since, generation)


class FakeStream:
    """A blocking watch stream; ``close()`` from another thread ends it (like a socket)."""

    def __init__(self, server: FakeServer, since: int, generation: int) -> None:
        self.server, self.since, self.generation = server, since, generation
        self.closed = False
        self.pending: list[tuple[int, str, dict[str, Any]]] = []

    def __iter__(self) -> FakeStream:
        return self

    def __next__(self) -> WatchEvent[Any]:
        s = self.server
        while not self.pending:
            with s.cond:
                if self.closed:
                    raise ConnectionResetError("stream closed")
                if s.generation != self.generation:
                    raise ConnectionResetError("connection cut")
                self.pending = [e for e in s.log if e[0] > self.since]
                if not self.pending:
                    s.cond.wait(0.05)
        rv, etype, obj = self.pending.pop(0)
        self.since = rv
        return WatchEvent(etype, copy.deepcopy(obj))

    def close(self) -> None:
        self.closed = True


class AsyncFakeServer:
    """Async ListWatch view of a FakeServer (polls the log instead of blocking)."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server

    async def list(self, options: ListOptions) -> ListResult[dict[str, Any]]:
        await asyncio.sleep(0)
        return self.server.list(options)

    async def watch(self, options: ListOptions) -> AsyncIterator[WatchEvent[Any]]:
        s = self.server
        with s.cond:
            s.watches.append(options)
            since = int(options.resource_version or s.rv)
            if since < s.compacted:
                raise ApiErr(410, "too old resource version")
            generation = s.generation
        while True:
            with s.cond:
                if s.generation != generation:
                    raise ConnectionResetError("connection cut")
                pending = [e for e in s.log if e[0] > since]
            for rv, etype, obj in pending:
                since = rv
                yield WatchEvent(etype, copy.deepcopy(obj))
            await asyncio.sleep(0.01)


def wait_until(cond: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


class Recorder:
    def __init__(self, delay: float = 0.0) -> None:
        self.events: list[tuple[str, Any]] = []
        self.delay = delay
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()

    def _enter(self) -> None:
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        time.sleep(self.delay)

    def _leave(self, entry: tuple[str, Any]) -> None:
        with self.lock:
            self.events.append(entry)
            self.active -= 1

    def on_add(self, obj: Any, is_in_initial_list: bool) -> None:
        self._enter()
        self._leave(("add", (object_meta(obj).name, is_in_initial_list)))

    def on_update(self, old: Any, new: Any) -> None:
        self._enter()
        self._leave(
            (
                "update",
                (
                    object_meta(new).name,
                    object_meta(old).resource_version,
                    object_meta(new).resource_version,
                ),
            )
        )

    def on_delete(self, obj: Any) -> None:
        self._enter()
        self._leave(("delete", obj))


@pytest.fixture
def server() -> FakeServer:
    s = FakeServer()
    s.create("a")
    s.create("b")
    return s


def test_informer_delivers_initial_list_then_live_events_in_order(server: FakeServer) -> None:
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(
        server, transform=drop_managed_fields
    )
    rec = Recorder(delay=0.001)
    reg = informer.add_event_handler(rec)
    informer.start()
    try:
        assert informer.wait_for_sync(5)
        wait_until(reg.has_synced)
        assert sorted(rec.events) == [("add", ("a", True)), ("add", ("b", True))]
        server.update("a", k="v")
        server.create("c")
        server.delete("b")
        wait_until(lambda: len(rec.events) == 5)
        assert rec.events[2] == ("update", ("a", "1", "3"))
        assert rec.events[3] == ("add", ("c", False))
        kind, deleted = rec.events[4]
        assert kind == "delete" and object_meta(deleted).name == "b"
        lister = informer.lister()
        assert sorted(object_meta(o).name for o in lister.list()) == ["a", "c"]
        assert "managedFields" not in lister.namespaced("ns").get("a")["metadata"]
        assert informer.last_sync_resource_version == "5"
        assert rec.max_active == 1  # one handler never runs concurrently with itself
    finally:
        informer.stop()


def test_registration_has_synced_waits_for_its_own_initial_list(server: FakeServer) -> None:
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(server)
    gate = threading.Event()
    slow_calls: list[str] = []

    def slow_add(obj: Any, initial: bool) -> None:
        gate.wait(5)
        slow_calls.append(object_meta(obj).name)

    fast = informer.add_event_handler(Recorder())
    slow = informer.add_event_handler(on_add=slow_add)
    informer.start()
    try:
        wait_until(fast.has_synced)
        assert informer.has_synced()
        assert not slow.has_synced()  # its initial adds are still pending
        gate.set()
        wait_until(slow.has_synced)
        assert sorted(slow_calls) == ["a", "b"]
        # a late registration replays the cache as initial adds
        late_rec = Recorder()
        late = informer.add_event_handler(late_rec)
        wait_until(late.has_synced)
        assert sorted(late_rec.events) == [("add", ("a", True)), ("add", ("b", True))]
        informer.remove_event_handler(late)
        server.create("z")
        wait_until(lambda: len(slow_calls) == 3)
        time.sleep(0.05)
        assert len(late_rec.events) == 2  # removed handler gets nothing more
    finally:
        informer.stop()


def test_deletes_during_outage_arrive_as_tombstones_on_relist(server: FakeServer) -> None:
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(server, rand=lambda: 0)
    rec = Recorder()
    errors: list[BaseException] = []
    informer.set_watch_error_handler(errors.append)
    informer.add_event_handler(rec)
    informer.start()
    try:
        assert informer.wait_for_sync(5)
        wait_until(lambda: len(server.watches) == 1)
        with server.cond:
            server.down = True
        server.cut()
        server.delete("a")
        server.update("b", x="1")
        server.compacted = server.rv + 1  # the old RV is gone too
        with server.cond:
            server.down = False
        wait_until(lambda: any(k == "delete" for k, _ in rec.events), timeout=10)
        deletes = [o for k, o in rec.events if k == "delete"]
        assert len(deletes) == 1
        tomb = deletes[0]
        assert isinstance(tomb, DeletedFinalStateUnknown)
        assert tomb.key == "ns/a" and object_meta(tomb.obj).name == "a"
        wait_until(lambda: ("update", ("b", "2", "4")) in rec.events)
        assert [object_meta(o).name for o in informer.lister().list()] == ["b"]
        assert errors, "the cut must be reported to the watch error handler"
    finally:
        informer.stop()


def test_resync_redelivers_cached_objects_as_updates(server: FakeServer) -> None:
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(server)
    rec = Recorder()
    quiet = Recorder()
    informer.add_event_handler(rec, resync_period=1.0)
    informer.add_event_handler(quiet, resync_period=0)
    informer.start()
    try:
        wait_until(lambda: sum(1 for k, _ in rec.events if k == "update") >= 2, timeout=5)
        updates = [v for k, v in rec.events if k == "update"]
        assert all(old == new for _, old, new in updates)  # same RV: a resync
        assert all(k == "add" for k, _ in quiet.events)
    finally:
        informer.stop()


def test_stop_ends_all_threads(server: FakeServer) -> None:
    before = threading.active_count()
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(server)
    informer.add_event_handler(Recorder())
    informer.start()
    assert informer.wait_for_sync(5)
    informer.stop(timeout=5)
    wait_until(lambda: threading.active_count() <= before, timeout=5)


class Tweaked:
    """A ListWatch whose options pass through ``tweak`` first."""

    def __init__(self, inner: Any, tweak: Any) -> None:
        self.inner, self.tweak = inner, tweak

    def list(self, options: ListOptions) -> Any:
        return self.inner.list(self.tweak(options))

    def watch(self, options: ListOptions) -> Any:
        return self.inner.watch(self.tweak(options))


def test_factory_shares_informers_and_applies_tweak(server: FakeServer) -> None:
    server.objs["ns/a"]["metadata"]["labels"] = {"app": "x"}
    seen: list[ListOptions] = []

    def tweak(o: ListOptions) -> ListOptions:
        seen.append(o)
        return o

    factory = SharedInformerFactory(namespace="ns", tweak_list_options=tweak)
    made: list[InformerOptions] = []

    def new(opts: InformerOptions) -> SharedIndexInformer[dict[str, Any]]:
        made.append(opts)
        return SharedIndexInformer(Tweaked(server, opts.tweak))

    inf1 = factory.informer_for("configmaps", new)
    inf2 = factory.informer_for("configmaps", new)
    assert inf1 is inf2 and len(made) == 1 and made[0].namespace == "ns"
    factory.start()
    assert factory.wait_for_cache_sync(5) == {"configmaps": True}
    assert seen  # list/watch went through the tweak
    factory.shutdown()
    with pytest.raises(FactoryShutDownError):
        factory.informer_for("pods", new)


def test_wait_for_cache_sync_reports_unsynced() -> None:
    server = FakeServer()
    server.down = True
    factory = SharedInformerFactory()
    factory.informer_for("x", lambda o: SharedIndexInformer(server))
    factory.start()
    assert factory.wait_for_cache_sync(0.2) == {"x": False}
    factory.shutdown()


async def test_async_informer_and_factory(server: FakeServer) -> None:
    factory = AsyncSharedInformerFactory()
    events: list[tuple[str, str]] = []
    order_ok = asyncio.Event()

    async def on_add(obj: Any, initial: bool) -> None:
        await asyncio.sleep(0.001)
        events.append(("add", object_meta(obj).name))

    def on_update(old: Any, new: Any) -> None:
        events.append(("update", object_meta(new).name))

    def on_delete(obj: Any) -> None:
        events.append(("delete", object_meta(obj).name))
        order_ok.set()

    informer = factory.informer_for(
        "cm", lambda o: AsyncSharedIndexInformer(AsyncFakeServer(server))
    )
    reg = informer.add_event_handler(on_add=on_add, on_update=on_update, on_delete=on_delete)
    factory.start()
    assert await factory.wait_for_cache_sync(5) == {"cm": True}
    for _ in range(200):
        if reg.has_synced():
            break
        await asyncio.sleep(0.01)
    assert reg.has_synced()
    server.update("a", k="1")
    server.delete("a")
    await asyncio.wait_for(order_ok.wait(), 5)
    assert events == [("add", "a"), ("add", "b"), ("update", "a"), ("delete", "a")]
    await factory.shutdown()
    assert informer._runner is not None and informer._runner.handle.done()
