"""Informers at controller scale: sync time, memory and watch throughput under churn.

For each kind and size, every consumer runs alone in a fresh process against the same
namespace of the test apiserver: kubetyped's informer (full and metadata-only), lightkube /
the official client / kr8s listing into a dict and watching from there, and client-go's own
shared informer (benchmarks/clientgo, built into a cache directory outside the repository;
skipped when Go is missing). Each consumer reports when its cache holds every object, its RSS
then, and, once the parent has patched ``churn`` objects (48 writes in flight), how long it
took to see all those updates. A consumer whose RSS passes 2 GiB is stopped (bounded).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from benchmarks import cluster_env
from benchmarks.common import PYTHON, REPO, Ratio, Section, Table, fmt_bytes, fmt_seconds, log
from tests.cluster import ClusterInfo

RSS_LIMIT = 2 * 1024**3
SYNC_TIMEOUT = 300.0
CHURN_TIMEOUT = 180.0
OVER_LIMIT = "over 2 GiB RSS"
TOO_SLOW = f"not synced in {SYNC_TIMEOUT / 60:.0f} min"
CHURN_ANNOTATION = "bench.kubetyped.dev/churn"
NAMESPACES = {"ConfigMap": "scale-cm", "Pod": "scale-pods"}
NAME_PREFIX = {"ConfigMap": "cm", "Pod": "pod"}
# objects per kind created through the apiserver; the rest are copies (see populate)
API_CREATED = int(os.environ.get("KUBETYPED_BENCH_API_CREATED", "10000"))
FULL_SIZES = {"ConfigMap": [10_000, 50_000, 100_000], "Pod": [10_000, 50_000]}
QUICK_SIZES = {"ConfigMap": [1_000], "Pod": [500]}
CLIENTGO_SOURCE = Path(REPO) / "benchmarks" / "clientgo"
# syncs per informer consumer (kubetyped's and client-go's, whose ratio the issue tracks): the
# table shows the median; the extra runs skip churn. On 2 shared cores one sync can take twice
# another's time, mostly on the apiserver's side (see "apiserver CPU during sync").
SYNC_REPEATS = int(os.environ.get("KUBETYPED_BENCH_SYNC_REPEATS", "3"))
REPEATED = ("kubetyped", "kubetyped-metadata", "client-go", "client-go-metadata")

PYTHON_VARIANTS = (
    ("kubetyped", "kubetyped informer"),
    ("kubetyped-metadata", "kubetyped metadata-only informer"),
    ("lightkube", "lightkube list + watch into a dict"),
    ("official", "kubernetes (official) list + watch into a dict"),
    ("kr8s", "kr8s watch into a dict"),
)
GO_VARIANTS = (
    ("client-go", "client-go shared informer (JSON)", ["-mode", "full"]),
    ("client-go-metadata", "client-go metadata informer", ["-mode", "metadata"]),
)


def parse_sizes(spec: str) -> dict[str, list[int]]:
    """``"ConfigMap=10000,50000;Pod=10000"``, or ``full`` / ``quick``."""
    if spec == "full":
        return FULL_SIZES
    if spec == "quick":
        return QUICK_SIZES
    sizes: dict[str, list[int]] = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        kind, _, counts = part.partition("=")
        if kind not in NAMESPACES:
            raise ValueError(f"unknown kind {kind!r} in --scale-sizes (ConfigMap or Pod)")
        sizes[kind] = sorted(int(c) for c in counts.split(",") if c.strip())
    return sizes


# ---- client-go ---------------------------------------------------------------------------


def build_clientgo() -> tuple[Path | None, str]:
    """The built client-go program (cached by source hash), or None and why not."""
    go = shutil.which("go")
    if go is None:
        return None, "Go is not installed: client-go rows skipped"
    sources = sorted(p.name for p in CLIENTGO_SOURCE.iterdir() if p.suffix in (".go", ".mod"))
    digest = hashlib.sha256()
    for name in sources:
        digest.update(name.encode() + b"\0" + (CLIENTGO_SOURCE / name).read_bytes())
    cache = Path(
        os.environ.get("KUBETYPED_BENCH_CACHE", Path.home() / ".cache" / "kubetyped" / "bench")
    )
    workdir = cache / f"clientgo-{digest.hexdigest()[:12]}"
    binary = workdir / "clientgo-informer"
    if binary.exists():
        return binary, ""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in sources:
        shutil.copy(CLIENTGO_SOURCE / name, workdir / name)
    env = {**os.environ, "GOFLAGS": "-mod=mod"}
    for argv in ([go, "mod", "tidy"], [go, "build", "-o", binary.name, "."]):
        log(f"client-go: {' '.join(argv[1:])} in {workdir}")
        result = subprocess.run(
            argv, cwd=workdir, env=env, capture_output=True, text=True, timeout=1800, check=False
        )
        if result.returncode != 0:
            return None, f"client-go build failed ({' '.join(argv[1:])}): {result.stderr[-600:]}"
    return binary, ""


# ---- the apiserver's CPU time ------------------------------------------------------------


def apiserver_pid(info: ClusterInfo) -> int | None:
    """The local kube-apiserver serving ``info.server`` (by its --secure-port), else None."""
    port = urlsplit(info.server).port
    flag = f"--secure-port={port}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv[0].endswith(b"kube-apiserver") and flag in argv:
            return int(proc.name)
    return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` (all its threads), None when unreadable."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- population and churn ----------------------------------------------------------------


def _count(info: ClusterInfo, kind: str) -> int:
    plural = "pods" if kind == "Pod" else "configmaps"
    with info.http("admin", timeout=120) as http:
        response = http.get(f"/api/v1/namespaces/{NAMESPACES[kind]}/{plural}", params={"limit": 1})
        if response.status_code == 404:
            return 0
        body = response.json()
        return len(body["items"]) + int(body["metadata"].get("remainingItemCount") or 0)


def _wait_count(info: ClusterInfo, kind: str, size: int, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while (have := _count(info, kind)) < size:
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"apiserver lists {have:,} {kind}s after {timeout:.0f} s, not {size:,}"
            )
        time.sleep(1.0)


def populate(info: ClusterInfo, kind: str, size: int) -> tuple[float, str]:
    """Grow the kind's namespace to ``size`` objects; returns the seconds it took and how.

    The first API_CREATED objects are created through the apiserver (admission, defaulting,
    managedFields, a kubelet-style status write for Pods); beyond that, when the etcd URL is
    known, each further object is a copy of one of those stored objects (new name and uid)
    written straight into etcd, where the apiserver's watch cache picks it up like any write.
    Consumers then list and watch objects the apiserver itself produced, and a 50,000-Pod fill
    takes seconds instead of a quarter of an hour on 2 shared cores.
    """
    namespace = NAMESPACES[kind]
    cluster_env.create_namespace(info, namespace)
    have = _count(info, kind)
    if have >= size:
        return 0.0, ""
    started = time.perf_counter()
    through_api = size if info.etcd_url is None else min(size, API_CREATED)
    how = []
    if have < through_api:
        if kind == "Pod":
            cluster_env.populate_pods(info, namespace, through_api - have, start=have)
        else:
            cluster_env.populate_config_maps(info, namespace, through_api - have, start=have)
        how.append(f"{through_api - have:,} created through the apiserver")
        have = through_api
    if have < size:
        cluster_env.clone_in_etcd(info, kind, namespace, NAME_PREFIX[kind], have, size, API_CREATED)
        how.append(f"{size - have:,} copied from those into etcd")
    _wait_count(info, kind, size)
    cluster_env.wait_for_watch_cache(info, namespace, "pods" if kind == "Pod" else "configmaps")
    return time.perf_counter() - started, ", ".join(how)


def churn(info: ClusterInfo, kind: str, count: int, value: str) -> float:
    """Patch an annotation onto the first ``count`` objects; returns the seconds it took."""
    from kubetyped.request import PatchType
    from kubetyped_kubernetes import AsyncClientset

    namespace = NAMESPACES[kind]
    prefix = NAME_PREFIX[kind]
    plural = "pods" if kind == "Pod" else "configmaps"
    body = {"metadata": {"annotations": {CHURN_ANNOTATION: value}}}
    started = time.perf_counter()
    patches = (
        [
            {
                "method": "PATCH",
                "path": f"/api/v1/namespaces/{namespace}/{plural}/{prefix}-{i:05d}",
                "contentType": cluster_env.MERGE_PATCH,
                "body": body,
            }
        ]
        for i in range(count)
    )
    if cluster_env.send_requests(info, patches) is None:
        return time.perf_counter() - started

    async def main() -> None:
        async with AsyncClientset.from_config(cluster_env.admin_config(info)) as cs:
            group = cs.core_v1
            client = group.pods(namespace) if kind == "Pod" else group.config_maps(namespace)
            jobs: list[Callable[[], Awaitable[Any]]] = [
                partial(client.patch, f"{prefix}-{i:05d}", body, PatchType.MERGE)
                for i in range(count)
            ]
            await cluster_env._gather_limited(jobs)

    asyncio.run(main())
    return time.perf_counter() - started


# ---- one consumer ------------------------------------------------------------------------


@dataclass
class Result:
    objects: int = 0
    sync_seconds: float | None = None
    #: the consumer's own CPU time from its first request to synced (all threads)
    sync_cpu: float | None = None
    #: the apiserver's CPU time over the same interval (what serving the sync cost it)
    server_cpu: float | None = None
    rss: int | None = None
    rss_base: int | None = None
    heap: int | None = None
    churn_seconds: float | None = None
    churn_cpu: float | None = None
    events: int = 0
    failure: str = ""
    peak_rss: int = 0
    #: the highest RSS sampled (every 0.2 s) from the start to synced: a list's transient peak
    sync_peak_rss: int = 0
    notes: list[str] = field(default_factory=list)


class _Child:
    """A consumer process: JSON lines out, churn commands in, RSS watched."""

    def __init__(self, argv: list[str], server_pid: int | None = None) -> None:
        self.server_pid = server_pid
        #: the apiserver's CPU seconds when the "listing" and "synced" lines arrived
        self.server_cpu: dict[str, float] = {}
        self.proc = subprocess.Popen(
            argv,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: list[dict[str, Any]] = []
        self._eof = False
        self.peak_rss = 0
        self.sync_peak_rss = 0
        self.over_limit = False
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._watch_rss, daemon=True).start()
        self.stderr = ""

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("{"):
                data = json.loads(line)
                phase = data.get("phase")
                if phase in ("listing", "synced"):
                    cpu = cpu_seconds(self.server_pid)
                    if cpu is not None:
                        self.server_cpu[phase] = cpu
                if phase == "synced":
                    self.sync_peak_rss = max(self.peak_rss, int(data.get("rss_bytes") or 0))
                with self._cond:
                    self.lines.append(data)
                    self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def _watch_rss(self) -> None:
        status = Path(f"/proc/{self.proc.pid}/status")
        while self.proc.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1]) * 1024
                        self.peak_rss = max(self.peak_rss, rss)
                        if rss > RSS_LIMIT:
                            self.over_limit = True
                            self.kill()
            except OSError:
                return
            time.sleep(0.2)

    def wait_phase(self, phase: str, timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if line.get("phase") == phase:
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and self._eof):
                    return None
                self._cond.wait(min(left, 1.0))

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, 9)

    def finish(self) -> str:
        self.kill()
        try:
            _, err = self.proc.communicate(timeout=30)
        except (subprocess.TimeoutExpired, ValueError):
            err = ""
        return (err or "").strip()[-600:]


def measure(
    info: ClusterInfo, kind: str, size: int, argv: list[str], churn_events: int, value: str
) -> Result:
    result = Result()
    child = _Child(argv, apiserver_pid(info))
    try:
        synced = child.wait_phase("synced", SYNC_TIMEOUT)
        if synced is None:
            if child.over_limit:
                result.failure = OVER_LIMIT
            elif child.proc.poll() is None:
                result.failure = TOO_SLOW
            else:
                result.failure = "did not sync"
            return result
        result.objects = int(synced["objects"])
        result.sync_seconds = float(synced["sync_seconds"])
        if synced.get("sync_cpu_seconds") is not None:
            result.sync_cpu = float(synced["sync_cpu_seconds"])
        if {"listing", "synced"} <= child.server_cpu.keys():
            result.server_cpu = child.server_cpu["synced"] - child.server_cpu["listing"]
        result.rss = int(synced["rss_bytes"])
        result.rss_base = synced.get("rss_base_bytes")
        result.heap = synced.get("heap_bytes")
        if churn_events:
            events = min(churn_events, size)
            child.send(f"churn {events} {value}\n")
            if child.wait_phase("churning", 60) is None:
                result.failure = OVER_LIMIT if child.over_limit else "did not start churn"
                return result
            churn(info, kind, events, value)
            churned = child.wait_phase("churned", CHURN_TIMEOUT)
            if churned is None:
                result.failure = OVER_LIMIT if child.over_limit else "missed churn events"
            else:
                result.churn_seconds = float(churned["seconds"])
                if churned.get("cpu_seconds") is not None:
                    result.churn_cpu = float(churned["cpu_seconds"])
                result.events = events
        return result
    finally:
        stderr = child.finish()
        result.peak_rss = child.peak_rss
        result.sync_peak_rss = child.sync_peak_rss
        last = [line for line in stderr.splitlines() if line.strip()][-1:]
        if result.failure and last:
            result.failure += f" ({last[0].strip()[:300]})"


# ---- the section -------------------------------------------------------------------------


def _rate(result: Result) -> float | None:
    if not result.churn_seconds:
        return None
    return result.events / result.churn_seconds


def _plan(sizes: dict[str, list[int]]) -> list[tuple[str, int]]:
    """Smallest sizes first across kinds, so an interrupted run still has every kind."""
    steps = [
        (size, rank, kind) for rank, (kind, counts) in enumerate(sizes.items()) for size in counts
    ]
    return [(kind, size) for size, _, kind in sorted(steps)]


def run(
    info: ClusterInfo,
    sizes: dict[str, list[int]],
    churn_events: int,
    progress: Callable[[Section], None] | None = None,
) -> Section:
    """The scale section; ``progress`` gets the section after each table (partial results)."""
    section = Section("Informers at scale: sync time, memory, watch events/s under churn")
    binary, why = build_clientgo()
    if binary is None:
        section.notes.append(why)
    consumers: list[tuple[str, str, Callable[[str, str, int], list[str]]]] = [
        (
            name,
            label,
            lambda kind, ns, size, name=name: [  # type: ignore[misc]
                PYTHON,
                "-m",
                "benchmarks.scale_child",
                name,
                kind,
                ns,
                str(info.kubeconfig_path),
                str(size),
            ],
        )
        for name, label in PYTHON_VARIANTS
    ]
    if binary is not None:
        consumers += [
            (
                name,
                label,
                lambda kind, ns, size, flags=flags: [  # type: ignore[misc]
                    str(binary),
                    "-kubeconfig",
                    str(info.kubeconfig_path),
                    "-namespace",
                    ns,
                    "-resource",
                    "pods" if kind == "Pod" else "configmaps",
                    *flags,
                ],
            )
            for name, label, flags in GO_VARIANTS
        ]
    cut_off: dict[tuple[str, str], str] = {}  # (kind, consumer) -> why larger sizes are not run
    fitted: dict[tuple[str, str], int] = {}  # largest size measured within the limits
    timings: list[str] = []
    per_object_rss: dict[tuple[str, str], float] = {}
    base_rss: dict[tuple[str, str], int] = {}
    round_no = 0
    run_id = f"{time.time():.0f}"  # a patch repeating an earlier value would be a no-op
    for kind, size in _plan(sizes):
        took, how = populate(info, kind, size)
        if took:
            section.notes.append(f"populating {kind}s up to {size:,}: {took:.0f} s ({how})")
        table = Table(
            f"{size:,} {kind}s in one namespace",
            [
                "consumer",
                "sync time",
                "RSS after sync",
                "RSS delta / object",
                "Go heap / object",
                f"events/s under churn ({min(churn_events, size):,} patches)",
                "consumer CPU / event",
                "consumer CPU to sync",
                "apiserver CPU during sync",
                "peak RSS to sync",
            ],
        )
        results: dict[str, Result] = {}
        churn_rates: list[float] = []
        for name, label, make_argv in consumers:
            round_no += 1
            if (kind, name) in cut_off:
                table.add(label, f"not run: {cut_off[kind, name]}", "", "", "", "", "", "", "", "")
                continue
            log(f"scale: {kind} x {size} {name}")
            started = time.perf_counter()
            res = measure(
                info,
                kind,
                size,
                make_argv(kind, NAMESPACES[kind], size),
                churn_events,
                f"{run_id}-{round_no}",
            )
            if res.sync_seconds is not None and name in REPEATED and SYNC_REPEATS > 1:
                _median_sync(info, kind, size, make_argv(kind, NAMESPACES[kind], size), res)
                section.notes.append(f"{label}, {size:,} {kind}s: {'; '.join(res.notes)}")
            timings.append(f"{kind} {size:,} {name} {time.perf_counter() - started:.0f} s")
            results[name] = res
            if res.failure.startswith(OVER_LIMIT) or res.failure.startswith(TOO_SLOW):
                # a larger size cannot do better: stated in the table, not run
                cut_off[kind, name] = f"{res.failure.split(' (')[0]} at {size:,}"
            if res.sync_seconds is None:
                first = res.failure.split(" (")[0] if res.failure else "failed"
                table.add(label, f"FAILED: {first}", "", "", "", "", "", "", "", "")
                section.notes.append(f"{label}, {size:,} {kind}s: {res.failure}")
                continue
            if not res.failure.startswith(OVER_LIMIT):
                fitted[kind, name] = max(fitted.get((kind, name), 0), res.objects)
            delta = (res.rss - res.rss_base) if res.rss and res.rss_base else None
            per_obj = (delta if delta is not None else (res.rss or 0)) / max(res.objects, 1)
            # the 2 GiB estimate counts the sync's transient peak (a list body held while its
            # items are copied out), which the cut-off meets before the cache's own size
            peak = max(res.sync_peak_rss, res.rss or 0) - (res.rss_base or 0)
            per_object_rss[(kind, name)] = max(per_obj, peak / max(res.objects, 1))
            base_rss[(kind, name)] = res.rss_base or 0
            rate = _rate(res)
            if rate:
                churn_rates.append(rate)
            table.add(
                label,
                fmt_seconds(res.sync_seconds),
                fmt_bytes(res.rss or 0),
                fmt_bytes(per_obj) + ("" if delta is not None else " (of total)"),
                fmt_bytes(res.heap / max(res.objects, 1)) if res.heap else "",
                f"{rate:,.0f}" if rate else (res.failure.split(" (")[0] if res.failure else "-"),
                fmt_seconds(res.churn_cpu / res.events) if res.churn_cpu and res.events else "",
                fmt_seconds(res.sync_cpu) if res.sync_cpu is not None else "",
                fmt_seconds(res.server_cpu) if res.server_cpu is not None else "",
                fmt_bytes(res.sync_peak_rss) if res.sync_peak_rss else "",
            )
        section.tables.append(table)
        _ratios(section, kind, size, results)
        if progress is not None:
            progress(section)
    _fits(section, sizes, per_object_rss, base_rss, fitted, cut_off)
    section.notes.append("Time per consumer run (start, sync, churn, stop): " + "; ".join(timings))
    section.notes.append(
        "Each consumer is a fresh process caching one namespace (only the benchmark's objects). "
        "Sync time runs from the first request to a cache holding every object (kr8s: a watch "
        "without resourceVersion, whose initial ADDED events fill the dict; lightkube and the "
        "official client: a paginated list, pages of 500, then a watch from its resourceVersion). RSS is read after "
        "sync and a full GC (Go: runtime.GC + FreeOSMemory; its heap is HeapAlloc then); RSS "
        "delta is against the same process just before the first request (Python; Go has no "
        "baseline, the per-object figure is the total RSS). Churn: the parent patches "
        "one annotation onto N objects, 48 requests in flight; events/s = N / (time from the "
        "first patch sent to the consumer having applied all N updates), so a consumer faster "
        "than the apiserver's write rate shows that rate; consumer CPU / event = the consumer "
        "process's CPU time (user + system, all threads) over those N events / N, which does "
        "not depend on the write rate or the machine's load. Consumer CPU to sync = the consumer's CPU "
        "time (all threads) from its first request to synced; apiserver CPU during sync = the "
        "kube-apiserver process's CPU time over the same interval (read from /proc): on 2 shared "
        "cores the sync time is mostly the apiserver's work and whatever else runs, so these two "
        "say which side a slow sync came from"
        + (
            f"; kubetyped's and client-go's sync time is the median of {SYNC_REPEATS} syncs "
            "(the others without churn), each in a fresh process"
            if SYNC_REPEATS > 1
            else ""
        )
        + ". Peak RSS to sync: the highest RSS sampled every "
        "0.2 s until synced (a list answered in one piece is held whole while its items are "
        "copied out). The patches are sent by the Go "
        "request sender (benchmarks/clientgo -mode requests; kubetyped's AsyncClientset when Go "
        "is missing), so the writer takes little CPU from the consumer measured. Handlers read only metadata (as a "
        "controller enqueuing keys does). "
        f"Cut-offs: a consumer is stopped when its RSS passes 2 GiB or it has not synced after "
        f"{SYNC_TIMEOUT / 60:.0f} min, and is then not run at the larger sizes of that kind (the "
        "table says so). Fill: the first "
        f"{API_CREATED:,} objects of each kind are created through the apiserver (Pods also get "
        "a kubelet-style status write); larger sizes add copies of those stored objects (new "
        "name and uid) written into etcd, which the apiserver's watch cache picks up like any "
        "write. Test cluster: etcd "
        f"{' '.join(cluster_env.ETCD_ARGS)} (the default 2 GiB is near what this section "
        "stores); kube-apiserver with its defaults: watch cache on, 400 / 200 requests in "
        "flight, the benchmark's admin user (system:masters) exempt from priority and fairness."
    )
    return section


def _median_sync(info: ClusterInfo, kind: str, size: int, argv: list[str], res: Result) -> None:
    """Sync ``SYNC_REPEATS - 1`` more times (no churn); ``res`` gets the median sync time
    and the consumer and apiserver CPU of that run, and a note of every time measured."""
    runs = [res]
    for _ in range(SYNC_REPEATS - 1):
        again = measure(info, kind, size, argv, 0, "")
        if again.sync_seconds is not None:
            runs.append(again)
    runs.sort(key=lambda r: r.sync_seconds or 0.0)
    median = runs[len(runs) // 2]
    times = ", ".join(fmt_seconds(r.sync_seconds or 0.0) for r in runs)
    res.notes.append(f"sync times {times} (the table shows the median)")
    res.sync_seconds, res.sync_cpu, res.server_cpu = (
        median.sync_seconds,
        median.sync_cpu,
        median.server_cpu,
    )


def _ratios(section: Section, kind: str, size: int, results: dict[str, Result]) -> None:
    kt = results.get("kubetyped")
    if kt is None or kt.sync_seconds is None:
        return
    for peer, target in (("client-go", "<= 2"), ("lightkube", ""), ("official", "")):
        other = results.get(peer)
        if other is not None and other.sync_seconds:
            section.ratios.append(
                Ratio(
                    f"informer sync, {size:,} {kind}s: kubetyped / {peer}",
                    kt.sync_seconds / other.sync_seconds,
                    target,
                )
            )
    for peer in ("client-go", "lightkube"):
        other = results.get(peer)
        if other is None or not (other.rss and other.rss_base and kt.rss and kt.rss_base):
            continue
        section.ratios.append(
            Ratio(
                f"informer RSS delta per object, {size:,} {kind}s: kubetyped / {peer}",
                ((kt.rss - kt.rss_base) / max(kt.objects, 1))
                / ((other.rss - other.rss_base) / max(other.objects, 1)),
            )
        )
    cg = results.get("client-go")
    if cg is not None and cg.heap and kt.rss and kt.rss_base:
        section.ratios.append(
            Ratio(
                f"informer memory per object, {size:,} {kind}s: kubetyped RSS delta / "
                "client-go heap",
                ((kt.rss - kt.rss_base) / max(kt.objects, 1)) / (cg.heap / max(cg.objects, 1)),
            )
        )
    kt_rate, cg_rate = _rate(kt), (_rate(cg) if cg is not None else None)
    if kt_rate and cg_rate:
        section.ratios.append(
            Ratio(
                f"watch events/s under churn, {size:,} {kind}s: kubetyped / client-go",
                kt_rate / cg_rate,
            )
        )


def _fits(
    section: Section,
    sizes: dict[str, list[int]],
    per_object: dict[tuple[str, str], float],
    base: dict[tuple[str, str], int],
    fitted: dict[tuple[str, str], int],
    cut_off: dict[tuple[str, str], str],
) -> None:
    table = Table(
        "Largest cache within 2 GiB RSS: measured (the largest size that synced under the "
        "limit; a consumer over 2 GiB was stopped and not run at larger sizes) and estimated "
        "((2 GiB - RSS before the first request) / RSS per object at the largest size that "
        "fitted, the higher of the peak during sync and the RSS after it, less that baseline)",
        ["consumer", *[f"{kind}s {what}" for kind in sizes for what in ("measured", "estimated")]],
    )
    names = sorted({name for _, name in per_object} | {name for _, name in cut_off})
    for name in names:
        row: list[Any] = [name]
        for kind in sizes:
            have = fitted.get((kind, name))
            stopped = cut_off.get((kind, name))
            row.append(
                f"{have:,}" + (f" ({stopped})" if stopped else "")
                if have
                else (f"< {min(sizes[kind]):,} ({stopped})" if stopped else "-")
            )
            per = per_object.get((kind, name))
            room = RSS_LIMIT - base.get((kind, name), 0)
            row.append(f"≈ {int(room / per):,}" if per else "-")
        table.add(*row)
    section.tables.append(table)
