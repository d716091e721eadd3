"""The fault suite (issue 18): informers and leader election through a fault-injecting proxy
(tests/e2e/fault_proxy.py) and across SIGKILLs of kube-apiserver and etcd, on a cluster of its
own (so killing it does not disturb the other e2e tests), 127.0.0.1 only.

For every fault mode, while 3 writers change ConfigMaps straight at the apiserver, four informers
(typed and dynamic, thread and asyncio) watch them through the proxy; after the fault ends and
the writers stop, each informer's cache must equal a fresh list (keys and resourceVersions) and
its handlers' last event for each object must match the object's final state. The time from the
end of the fault to convergence is measured (writes go on for 1 s after the fault, so 1 s is the
floor) and printed with the other figures at the end; every mode runs twice.
Stall and black hole recover without any cut: only the watch idle timeout ends the dead watch.
Leader election: the leader's own path stalls; both candidates are checked every millisecond and
must never lead together; the handover time is measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fault_support import (
    REPORT,
    FaultCluster,
    InformerSet,
    Writers,
    apiserver_ready,
    direct_config,
    etcd_ready,
    make_proxy,
    proxied_config,
    server_state,
)

from kubetyped.leaderelection import (
    AsyncLeaderElector,
    AsyncRestLeaseLock,
    LeaderElectionConfig,
    LeaderElector,
    RestLeaseLock,
)
from kubetyped.rest import AsyncRESTClient, RESTClient
from tests.cluster import ClusterInfo, binaries_present

WINDOW = 3.0  # seconds each fault lasts
CONVERGENCE_LIMIT = 90.0  # a bound for the test, not a figure: figures are printed

pytestmark = pytest.mark.skipif(
    not binaries_present(), reason="test cluster binaries missing (the cluster fixture reports it)"
)


@pytest.fixture(scope="module")
def fault_cluster(request: pytest.FixtureRequest) -> Iterator[tuple[FaultCluster, ClusterInfo]]:
    cluster = FaultCluster()
    info = cluster.start()
    yield cluster, info
    cluster.stop()
    REPORT.faults = REPORT.faults + len(cluster.kills)
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print("\n" + "\n".join(REPORT.render()))


@pytest.fixture(scope="module")
def rig(
    fault_cluster: tuple[FaultCluster, ClusterInfo], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    cluster, info = fault_cluster
    proxy = make_proxy(info, tmp_path_factory.mktemp("proxy"))
    direct = RESTClient.from_config(direct_config(info))
    namespace = "faults"
    direct.create("/api/v1/namespaces", {"metadata": {"name": namespace}})
    writers = Writers(info, namespace)
    informers = InformerSet(info, proxy, namespace)
    path = f"/api/v1/namespaces/{namespace}/configmaps"
    informers.wait_converged(lambda: server_state(direct, path), CONVERGENCE_LIMIT)
    yield {
        "cluster": cluster,
        "info": info,
        "proxy": proxy,
        "direct": direct,
        "writers": writers,
        "informers": informers,
        "path": path,
    }
    informers.close()
    writers.close()
    REPORT.writes += writers.writes
    REPORT.faults += len(proxy.faults)
    proxy.close()
    direct.close()


def _cut_three_times(rig: dict[str, Any]) -> None:
    for _ in range(3):
        rig["proxy"].cut()
        time.sleep(WINDOW / 3)


def _window(start: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def run(rig: dict[str, Any]) -> None:
        start(rig)
        time.sleep(WINDOW)
        rig["proxy"].clear()

    return run


def _kill(name: str) -> Callable[[dict[str, Any]], None]:
    def run(rig: dict[str, Any]) -> None:
        cluster, info = rig["cluster"], rig["info"]
        cluster.kill(name)
        time.sleep(WINDOW)
        ready = etcd_ready(info) if name == "etcd" else apiserver_ready(info)
        cluster.restart(name, ready)
        if name == "etcd":  # the apiserver answers again once it sees etcd
            deadline = time.monotonic() + 60
            while not apiserver_ready(info)():
                assert time.monotonic() < deadline
                time.sleep(0.1)

    return run


MODES: dict[str, Callable[[dict[str, Any]], None]] = {
    "cut x3": _cut_three_times,
    "stall": _window(lambda rig: rig["proxy"].stall()),
    "black hole": _window(lambda rig: rig["proxy"].black_hole()),
    "slow drip": _window(lambda rig: rig["proxy"].drip()),
    "429 Retry-After": _window(lambda rig: rig["proxy"].http_errors(429)),
    "500": _window(lambda rig: rig["proxy"].http_errors(500)),
    "kill -9 apiserver": _kill("kube-apiserver"),
    "kill -9 etcd": _kill("etcd"),
}


ROUNDS = 2  # each mode twice: median and worst are printed


@pytest.mark.parametrize("mode", [m for _ in range(ROUNDS) for m in MODES])
def test_informers_converge_after_fault(rig: dict[str, Any], mode: str) -> None:
    proxy, writers, informers = rig["proxy"], rig["writers"], rig["informers"]
    cuts_before = proxy.faults.count("cut")
    writers.start()
    time.sleep(1.0)
    MODES[mode](rig)  # the fault, under writes
    fault_end = time.monotonic()
    time.sleep(1.0)  # writes go on after the fault (the only ones when the apiserver was down)
    writers.stop()
    informers.wait_converged(lambda: server_state(rig["direct"], rig["path"]), CONVERGENCE_LIMIT)
    REPORT.add(mode, time.monotonic() - fault_end)
    if mode in ("stall", "black hole"):
        assert proxy.faults.count("cut") == cuts_before  # recovered without any cut
    for probe in informers.all:
        assert probe.informer.health().synced


def test_hook_errors_never_kill_informers(rig: dict[str, Any]) -> None:
    """A transform rejecting some objects, an indexer raising, a raising event handler and a
    raising watch-error handler, thread and asyncio, under writes and a cut."""
    from kubetyped.cache import AsyncSharedIndexInformer, SharedIndexInformer
    from kubetyped.dynamic import AsyncDynamicClient, DynamicClient

    info, proxy, direct, path = rig["info"], rig["proxy"], rig["direct"], rig["path"]
    config = proxied_config(info, proxy)

    def poison(name: str) -> bool:
        return name.startswith("poison-")

    def transform(obj: Any) -> Any:
        if poison(obj["metadata"]["name"]):
            raise ValueError("transform rejects this object")
        return obj

    def index(obj: Any) -> list[str]:
        if obj["metadata"]["name"].startswith("idx-bad"):
            raise KeyError("indexer rejects this object")
        return [obj["metadata"]["name"][:2]]

    def bad_handler(*args: Any) -> None:
        raise RuntimeError("handler bug")

    def bad_error_handler(exc: BaseException) -> None:
        errors.append(exc)
        raise RuntimeError("error handler bug")

    def configure(informer: Any) -> None:
        informer.set_transform(transform)
        informer.add_indexers({"prefix": index})
        informer.set_watch_error_handler(bad_error_handler)
        informer.set_watch_idle_timeout(3)
        informer.add_event_handler(on_add=bad_handler, on_update=bad_handler)

    errors: list[BaseException] = []
    crashes: list[Any] = []
    previous_hook = threading.excepthook
    threading.excepthook = crashes.append
    rest = RESTClient.from_config(config)
    sync_informer: SharedIndexInformer[Any] = SharedIndexInformer(
        DynamicClient(rest).resource("", "v1", "configmaps").namespace("faults").list_watch()
    )
    configure(sync_informer)
    loop = asyncio.new_event_loop()
    loop_thread = threading.Thread(target=loop.run_forever, daemon=True)
    loop_thread.start()

    async def start_async() -> Any:
        arest = AsyncRESTClient.from_config(config)
        informer: AsyncSharedIndexInformer[Any] = AsyncSharedIndexInformer(
            AsyncDynamicClient(arest)
            .resource("", "v1", "configmaps")
            .namespace("faults")
            .list_watch()
        )
        configure(informer)
        informer.start()
        return arest, informer

    arest, async_informer = asyncio.run_coroutine_threadsafe(start_async(), loop).result(30)
    sync_informer.start()
    writers = rig["writers"]
    try:
        both = (sync_informer, async_informer)
        deadline = time.monotonic() + CONVERGENCE_LIMIT
        while not all(i.has_synced() for i in both):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        writers.start()
        # objects the transform and the indexer reject, arriving by watch: reported and skipped
        for name in ("poison-1", "idx-bad", "after-bad"):
            direct.create(path, {"metadata": {"name": name}})
        while not all("faults/after-bad" in i.indexer.list_keys() for i in both):
            assert time.monotonic() < deadline, [(i.health(), len(i.indexer)) for i in both]
            time.sleep(0.05)
        assert not any(
            {"faults/poison-1", "faults/idx-bad"} & set(i.indexer.list_keys()) for i in both
        )
        for name in ("poison-1", "idx-bad", "after-bad"):
            direct.delete(f"{path}/{name}")
        time.sleep(1)
        proxy.cut()  # the relist after the cut finds no rejected object: it syncs
        time.sleep(1)
        writers.stop()
        while True:
            truth = server_state(direct, path)
            caches = [
                {k: o["metadata"]["resourceVersion"] for k, o in i.indexer.snapshot().items()}
                for i in both
            ]
            if all(c == truth for c in caches):
                break
            assert time.monotonic() < deadline, (caches, truth)
            time.sleep(0.1)
        assert any(type(e).__name__ == "IndexFuncError" for e in errors)
        assert any(type(e).__name__ == "TransformError" for e in errors)
        assert sync_informer._runner is not None and sync_informer._runner.handle.is_alive()
        assert async_informer._runner is not None and not async_informer._runner.handle.done()
        assert crashes == []
        assert errors  # the rejections were reported
    finally:
        threading.excepthook = previous_hook
        sync_informer.stop(timeout=5)

        async def stop() -> None:
            await async_informer.stop()
            await arest.close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        loop_thread.join(5)
        rest.close()
        REPORT.faults += 1


# ---- leader election -------------------------------------------------------------------------

LEASE, RENEW, RETRY = 4.0, 3.0, 0.5


class Overlap:
    """Checks every millisecond that at most one candidate leads."""

    def __init__(self, electors: list[Any]) -> None:
        self.electors = electors
        self.overlaps: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            if sum(e.is_leader() for e in self.electors) > 1:
                self.overlaps.append(time.monotonic())
            time.sleep(0.001)

    def close(self) -> list[float]:
        self.stop.set()
        self.thread.join(5)
        return self.overlaps


def _config(identity: str, skew: timedelta = timedelta(0)) -> dict[str, Any]:
    return {
        "config": LeaderElectionConfig(
            identity, lease_duration=LEASE, renew_deadline=RENEW, retry_period=RETRY
        ),
        "wall_clock": lambda: datetime.now(UTC) + skew,
    }


def _wait(cond: Callable[[], bool], timeout: float = 60.0) -> float:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline
        time.sleep(0.005)
    return time.monotonic()


def test_stalled_leader_path_never_two_leaders(
    rig: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    info = rig["info"]
    proxy_a = make_proxy(info, tmp_path_factory.mktemp("proxy-a"))
    rest_a = RESTClient.from_config(proxied_config(info, proxy_a))
    rest_b = RESTClient.from_config(direct_config(info))
    a = LeaderElector(RestLeaseLock(rest_a, "faults", "stall-sync"), **_config("a"))
    b = LeaderElector(RestLeaseLock(rest_b, "faults", "stall-sync"), **_config("b"))
    check = Overlap([a, b])
    try:
        a.start()
        _wait(a.is_leader)
        b.start()
        time.sleep(2 * RETRY)
        proxy_a.stall()
        stalled = time.monotonic()
        stepped_down = _wait(lambda: not a.is_leader())
        took_over = _wait(b.is_leader)
        REPORT.handovers.append(took_over - stalled)
        REPORT.lines.append(
            f"  sync elector: stalled leader stepped down after {stepped_down - stalled:.2f}s "
            f"(renew deadline {RENEW}s), follower led after {took_over - stalled:.2f}s"
        )
        assert stepped_down < took_over
    finally:
        overlaps = check.close()
        proxy_a.clear()
        a.stop(timeout=10)
        b.stop(timeout=10)
        REPORT.faults += len(proxy_a.faults)
        proxy_a.close()
        rest_a.close()
        rest_b.close()
    assert overlaps == []


def test_async_stalled_leader_path_never_two_leaders(
    rig: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    info = rig["info"]
    proxy_a = make_proxy(info, tmp_path_factory.mktemp("proxy-a"))

    async def scenario() -> tuple[float, float, float, list[float]]:
        async with (
            AsyncRESTClient.from_config(proxied_config(info, proxy_a)) as rest_a,
            AsyncRESTClient.from_config(direct_config(info)) as rest_b,
        ):
            a = AsyncLeaderElector(
                AsyncRestLeaseLock(rest_a, "faults", "stall-async"), **_config("a")
            )
            b = AsyncLeaderElector(
                AsyncRestLeaseLock(rest_b, "faults", "stall-async"), **_config("b")
            )
            check = Overlap([a, b])
            ta = asyncio.create_task(a.run())
            while not a.is_leader():
                await asyncio.sleep(0.005)
            tb = asyncio.create_task(b.run())
            await asyncio.sleep(2 * RETRY)
            proxy_a.stall()
            stalled = time.monotonic()
            while a.is_leader():
                await asyncio.sleep(0.002)
            stepped_down = time.monotonic()
            while not b.is_leader():
                await asyncio.sleep(0.002)
            took_over = time.monotonic()
            overlaps = check.close()
            for task in (ta, tb):
                task.cancel()
            await asyncio.gather(ta, tb, return_exceptions=True)
            return stalled, stepped_down, took_over, overlaps

    try:
        stalled, stepped_down, took_over, overlaps = asyncio.run(scenario())
    finally:
        proxy_a.clear()
        REPORT.faults += len(proxy_a.faults)
        proxy_a.close()
    REPORT.handovers.append(took_over - stalled)
    REPORT.lines.append(
        f"  asyncio elector: stalled leader stepped down after {stepped_down - stalled:.2f}s, "
        f"follower led after {took_over - stalled:.2f}s"
    )
    assert stepped_down < took_over
    assert overlaps == []


def test_apiserver_killed_while_leading_and_skewed_clocks_never_two_leaders(
    rig: dict[str, Any],
) -> None:
    cluster, info = rig["cluster"], rig["info"]
    rest_a = RESTClient.from_config(direct_config(info))
    rest_b = RESTClient.from_config(direct_config(info))
    a = LeaderElector(RestLeaseLock(rest_a, "faults", "kill"), **_config("a", timedelta(hours=-1)))
    b = LeaderElector(RestLeaseLock(rest_b, "faults", "kill"), **_config("b", timedelta(hours=1)))
    check = Overlap([a, b])
    try:
        a.start()
        _wait(a.is_leader)
        b.start()
        time.sleep(LEASE + 1)  # longer than the lease: skewed clocks must not make b take over
        assert a.is_leader() and not b.is_leader()
        cluster.kill("kube-apiserver")
        _wait(lambda: not a.is_leader())
        time.sleep(1)
        cluster.restart("kube-apiserver", apiserver_ready(info))
        _wait(lambda: a.is_leader() or b.is_leader())
    finally:
        overlaps = check.close()
        a.stop(timeout=10)
        b.stop(timeout=10)
        rest_a.close()
        rest_b.close()
    assert overlaps == []


def test_fault_suite_report_is_complete(rig: dict[str, Any]) -> None:
    """Runs last in the module: every mode produced a figure."""
    missing = [m for m in MODES if m not in REPORT.convergence]
    assert missing == [], f"modes without a convergence figure: {missing}"
    assert rig["writers"].writes > 0
    assert Path(rig["info"].kubeconfig_path).exists()
