"""HTTP benchmarks against the real test apiserver: list, watch throughput, rate limiter."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from benchmarks.cluster_env import admin_config
from benchmarks.common import Ratio, Section, Table, fmt_seconds, log
from tests.cluster import ClusterInfo

LIST_RUNS = 5
PAGE = 500


# ---- clients ----------------------------------------------------------------------------


def kubetyped_clientset(info: ClusterInfo, **kwargs: Any) -> Any:
    from kubetyped_kubernetes import Clientset

    return Clientset.from_config(admin_config(info, **kwargs))


def lightkube_client(info: ClusterInfo) -> Any:
    import lightkube
    from lightkube.config.kubeconfig import KubeConfig

    return lightkube.Client(config=KubeConfig.from_file(str(info.kubeconfig_path)))


def official_core(info: ClusterInfo) -> Any:
    from kubernetes import client, config

    loader: Any = config
    api_client = loader.new_client_from_config(
        config_file=str(info.kubeconfig_path), context="admin"
    )
    return client.CoreV1Api(api_client)


# ---- list -------------------------------------------------------------------------------


def list_cases(info: ClusterInfo, namespace: str) -> dict[str, Callable[[], int]]:
    """Each case lists every ConfigMap and reads `metadata.name` of each; returns the count."""
    from lightkube.resources.core_v1 import ConfigMap

    cs = kubetyped_clientset(info)
    lk = lightkube_client(info)
    core = official_core(info)
    cms = cs.core_v1.config_maps(namespace)

    def names(items: Any) -> int:
        return sum(1 for item in items if item.metadata.name)

    def official_pages() -> int:
        count, token = 0, None
        while True:
            page = core.list_namespaced_config_map(namespace, limit=PAGE, _continue=token)
            count += names(page.items)
            token = page.metadata._continue
            if not token:
                return count

    return {
        "kubetyped, one request": lambda: names(cms.list().items),
        f"kubetyped, pages of {PAGE}": lambda: names(cms.iterate(page_size=PAGE)),
        "lightkube, one request": lambda: names(lk.list(ConfigMap, namespace=namespace)),
        f"lightkube, pages of {PAGE}": lambda: names(
            lk.list(ConfigMap, namespace=namespace, chunk_size=PAGE)
        ),
        "official, one request": lambda: names(core.list_namespaced_config_map(namespace).items),
        f"official, pages of {PAGE}": official_pages,
    }


def run_list(info: ClusterInfo, namespace: str, expected: int) -> Section:
    section = Section(f"List over HTTP: {expected:,} ConfigMaps from the real apiserver")
    table = Table(f"median of {LIST_RUNS} runs", ["client / mode", "time", "items"])
    times: dict[str, float] = {}
    for name, fn in list_cases(info, namespace).items():
        log(f"list: {name}")
        count = fn()  # warm-up: connections, TLS, lazy imports
        samples = []
        for _ in range(LIST_RUNS):
            start = time.perf_counter()
            count = fn()
            samples.append(time.perf_counter() - start)
        if count != expected:
            section.notes.append(f"{name}: saw {count} items, expected {expected}")
        times[name] = statistics.median(samples)
        table.add(name, fmt_seconds(times[name]), count)
    section.tables.append(table)
    section.notes.append(
        "Each run lists every ConfigMap and reads `metadata.name` of each item. kubetyped runs "
        "with its client-side rate limiter disabled (qps=-1); the peers have none. The server's "
        "own time (serialising from the watch cache) is in every figure."
    )
    for mode in ("one request", f"pages of {PAGE}"):
        kt = times[f"kubetyped, {mode}"]
        section.ratios.append(
            Ratio(
                f"list 5000 ConfigMaps ({mode}): kubetyped / lightkube",
                kt / times[f"lightkube, {mode}"],
            )
        )
        section.ratios.append(
            Ratio(
                f"list 5000 ConfigMaps ({mode}): official / kubetyped (speed-up)",
                times[f"official, {mode}"] / kt,
            )
        )
    return section


# ---- watch ------------------------------------------------------------------------------


def _watchers(info: ClusterInfo, namespace: str) -> dict[str, Callable[[str], Iterator[Any]]]:
    """library → function(resource_version) yielding decoded objects of ADDED/MODIFIED events."""
    from kubernetes import watch
    from lightkube.resources.core_v1 import ConfigMap

    cs = kubetyped_clientset(info)
    lk = lightkube_client(info)
    core = official_core(info)

    def kubetyped_watch(rv: str) -> Iterator[Any]:
        for event in cs.core_v1.config_maps(namespace).watch(
            resource_version=rv, timeout_seconds=120, allow_watch_bookmarks=False
        ):
            if event.type in ("ADDED", "MODIFIED"):
                yield event.object

    def lightkube_watch(rv: str) -> Iterator[Any]:
        for kind, obj in lk.watch(ConfigMap, namespace=namespace, resource_version=rv):
            if kind in ("ADDED", "MODIFIED"):
                yield obj

    def official_watch(rv: str) -> Iterator[Any]:
        w: Any = watch.Watch()  # type: ignore[no-untyped-call]
        for event in w.stream(
            core.list_namespaced_config_map, namespace, resource_version=rv, timeout_seconds=120
        ):
            if event["type"] in ("ADDED", "MODIFIED"):
                yield event["object"]

    return {"kubetyped": kubetyped_watch, "lightkube": lightkube_watch, "official": official_watch}


def _current_rv(info: ClusterInfo, namespace: str) -> str:
    with info.http("admin", timeout=30) as http:
        body = http.get(f"/api/v1/namespaces/{namespace}/configmaps", params={"limit": 1}).json()
        return str(body["metadata"]["resourceVersion"])


def _writers(
    info: ClusterInfo, namespace: str, names: list[str], threads: int, tag: str
) -> list[threading.Thread]:
    def write(chunk: list[str]) -> None:
        with info.http("admin", timeout=60) as http:
            for name in chunk:
                response = http.patch(
                    f"/api/v1/namespaces/{namespace}/configmaps/{name}",
                    json={"data": {"bench-tag": tag}},
                    headers={"Content-Type": "application/merge-patch+json"},
                )
                response.raise_for_status()

    return [
        threading.Thread(target=write, args=(names[i::threads],), daemon=True)
        for i in range(threads)
    ]


def _consume(stream: Iterator[Any], count: int) -> int:
    seen = 0
    for obj in stream:
        if obj.metadata.name:
            seen += 1
        if seen >= count:
            break
    close = getattr(stream, "close", None)
    if close:
        close()
    return seen


def run_watch(info: ClusterInfo, namespace: str, events: int, writer_threads: int = 4) -> Section:
    section = Section(f"Watch throughput: {events:,} ConfigMap MODIFIED events")
    table = Table(
        "events per second (each event decoded to a typed object, `metadata.name` read)",
        ["client", "live (writers running)", "replay (backlog from an older resourceVersion)"],
    )
    names = [f"cm-{i:05d}" for i in range(events)]
    live: dict[str, float] = {}
    replay: dict[str, float] = {}
    for library, watcher in _watchers(info, namespace).items():
        log(f"watch: {library}")
        rv = _current_rv(info, namespace)
        writers = _writers(info, namespace, names, writer_threads, f"{library}-{time.time()}")
        stream = watcher(rv)
        start = time.perf_counter()
        for thread in writers:
            thread.start()
        seen = _consume(stream, events)
        live[library] = seen / (time.perf_counter() - start)
        for thread in writers:
            thread.join()
        start = time.perf_counter()
        seen = _consume(watcher(rv), events)
        replay[library] = seen / (time.perf_counter() - start)
        table.add(library, f"{live[library]:,.0f} /s", f"{replay[library]:,.0f} /s")
    section.tables.append(table)
    section.notes.append(
        f"Live: {writer_threads} writer threads merge-patch {events:,} ConfigMaps while the watch, "
        "started at the resourceVersion before the first write, consumes their events; the rate "
        "is bounded by how fast this 2-core box can write (writers, apiserver and watcher share "
        "the CPUs), so it mostly shows that no client falls behind. Replay: a second watch from "
        "the same resourceVersion receives the whole backlog at once from the watch cache, which "
        "measures the client's decode throughput. Single run each (the live phase rewrites the "
        "objects, so runs are not repeatable)."
    )
    section.ratios.append(
        Ratio(
            "watch replay events/s: kubetyped / lightkube",
            replay["kubetyped"] / replay["lightkube"],
        )
    )
    section.ratios.append(
        Ratio(
            "watch replay events/s: kubetyped / official", replay["kubetyped"] / replay["official"]
        )
    )
    section.ratios.append(
        Ratio("watch live events/s: kubetyped / lightkube", live["kubetyped"] / live["lightkube"])
    )
    return section


# ---- rate limiter -----------------------------------------------------------------------

RATE_SETTINGS = ((5, 10), (20, 40), (50, 100))


def run_rate_limiter(
    info: ClusterInfo, namespace: str, seconds: float = 5.0, threads: int = 8
) -> Section:
    section = Section("Client-side rate limiter: achieved vs configured QPS")
    table = Table(
        f"{threads} threads issuing GETs for {seconds:.0f} s",
        [
            "qps / burst",
            "requests",
            "achieved QPS",
            "expected (qps + burst/T)",
            "achieved / expected",
            "steady QPS ((n - burst)/T)",
        ],
    )
    for qps, burst in RATE_SETTINGS:
        log(f"rate limiter: qps={qps} burst={burst}")
        cs = kubetyped_clientset(info, qps=qps, burst=burst)
        cms = cs.core_v1.config_maps(namespace)
        count = [0] * threads
        deadline = time.perf_counter() + seconds

        def hammer(
            slot: int, cms: Any = cms, count: list[int] = count, deadline: float = deadline
        ) -> None:
            while time.perf_counter() < deadline:
                cms.get("cm-00000")
                count[slot] += 1

        start = time.perf_counter()
        workers = [threading.Thread(target=hammer, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - start
        total = sum(count)
        achieved = total / elapsed
        expected = qps + burst / elapsed
        steady = (total - burst) / elapsed
        table.add(
            f"{qps} / {burst}",
            total,
            f"{achieved:.1f}",
            f"{expected:.1f}",
            f"{achieved / expected:.2f}",
            f"{steady:.1f}",
        )
        section.ratios.append(
            Ratio(f"rate limiter {qps}/{burst}: steady QPS / configured QPS", steady / qps)
        )
        cs.close()
    section.tables.append(table)
    section.notes.append(
        "One short run per setting. A token bucket lets `burst` requests through at once and then "
        "`qps` per second, so over T seconds about qps·T + burst requests complete; the steady "
        "rate subtracts the initial burst. A request blocked at the deadline may finish just after "
        "it, so the counts can exceed the expectation by up to the thread count."
    )
    return section
