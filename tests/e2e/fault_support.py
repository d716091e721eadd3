"""Support of the fault suite: a test cluster whose etcd and kube-apiserver can be killed with
SIGKILL and restarted on the same ports and data, clients through the fault proxy, writers,
informer probes that check convergence, and the report the suite prints."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import random
import signal
import ssl
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from fault_proxy import FaultProxy

from kubetyped.cache import (
    AsyncSharedIndexInformer,
    DeletedFinalStateUnknown,
    SharedIndexInformer,
    meta_namespace_key,
    object_meta,
)
from kubetyped.config import ClientConfig, load_kubeconfig
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient
from kubetyped.errors import KubetypedError, NotFoundError
from kubetyped.rest import AsyncRESTClient, RESTClient
from tests.cluster import Cluster, ClusterInfo
from tests.cluster.pki import CertificateAuthority

#: seconds without a byte before a watch is abandoned, for the suite (the default is 150 s)
IDLE_TIMEOUT = 3.0
#: client request timeout for the suite (connect, TLS handshake, each read), instead of 30 s
REQUEST_TIMEOUT = 5.0


class FaultCluster(Cluster):
    """`Cluster` whose processes can be killed (-9) and started again with the same arguments."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._argv: dict[str, list[str]] = {}
        self.kills: list[str] = []

    def _spawn(self, name: str, argv: list[str], directory: Path) -> subprocess.Popen[bytes]:
        self._argv[name] = argv
        return super()._spawn(name, argv, directory)

    def _process(self, name: str) -> subprocess.Popen[bytes]:
        return next(p for n, p in reversed(self._processes) if n == name)

    def kill(self, name: str) -> None:
        process = self._process(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        self.kills.append(name)

    def restart(self, name: str, ready: Callable[[], bool], timeout: float = 60.0) -> None:
        assert self.dir is not None
        log = (self.dir / f"{name}.log").open("ab")
        process = subprocess.Popen(
            self._argv[name],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._processes.append((name, process))
        deadline = time.monotonic() + timeout
        while not ready():
            assert process.poll() is None, f"{name} exited on restart\n{self.logs()}"
            assert time.monotonic() < deadline, f"{name} not ready after restart\n{self.logs()}"
            time.sleep(0.1)


def apiserver_ready(info: ClusterInfo) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            with info.http("admin", timeout=2) as http:
                return http.get("/readyz").status_code == 200
        except httpx.HTTPError:
            return False

    return ready


def etcd_ready(info: ClusterInfo) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            return httpx.get(f"{info.etcd_url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    return ready


def make_proxy(info: ClusterInfo, directory: Path) -> FaultProxy:
    assert info.ca_key_path is not None
    ca = CertificateAuthority.load(info.ca_path.read_bytes(), info.ca_key_path.read_bytes())
    cert, key = ca.serving_cert(["127.0.0.1"]).write(directory, f"proxy-{random.random():.6f}")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(str(cert), str(key))
    upstream_ctx = ssl.create_default_context(cafile=str(info.ca_path))
    host, port = info.server.removeprefix("https://").rsplit(":", 1)
    return FaultProxy((host, int(port)), server_ctx, upstream_ctx)


def proxied_config(info: ClusterInfo, proxy: FaultProxy) -> ClientConfig:
    """The `admin-token` user (a bearer token passes the TLS-terminating proxy) via `proxy`."""
    config = load_kubeconfig(info.kubeconfig_path, context="admin-token")
    return dataclasses.replace(config, server=proxy.url, timeout=REQUEST_TIMEOUT, qps=-1)


def direct_config(info: ClusterInfo) -> ClientConfig:
    config = load_kubeconfig(info.kubeconfig_path, context="admin")
    return dataclasses.replace(config, timeout=REQUEST_TIMEOUT, qps=-1)


# ---- writers -------------------------------------------------------------------------------


class Writers:
    """`count` threads creating, updating and deleting ConfigMaps straight at the apiserver
    (not through the proxy), tolerating the apiserver's own outages."""

    def __init__(self, info: ClusterInfo, namespace: str, count: int = 3, names: int = 30) -> None:
        self.client = RESTClient.from_config(direct_config(info))
        self.path = f"/api/v1/namespaces/{namespace}/configmaps"
        self.namespace = namespace
        self.count, self.names = count, names
        self.writes = 0
        self.failed = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        self._stop.clear()
        self._threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(self.count)
        ]
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(30)

    def _run(self, writer: int) -> None:
        rng = random.Random(writer)
        while not self._stop.is_set():
            name = f"w{writer}-{rng.randrange(self.names)}"
            try:
                try:
                    current = self.client.get(f"{self.path}/{name}")
                except NotFoundError:
                    body = {"metadata": {"name": name}, "data": {"n": "0"}}
                    self.client.create(self.path, body)
                else:
                    if rng.random() < 0.3:
                        self.client.delete(f"{self.path}/{name}")
                    else:
                        current["data"] = {"n": str(rng.random())}
                        self.client.update(f"{self.path}/{name}", current)
                with self._lock:
                    self.writes += 1
            except KubetypedError:
                with self._lock:
                    self.failed += 1
                self._stop.wait(0.2)
            self._stop.wait(0.02)

    def close(self) -> None:
        self.stop()
        self.client.close()


def server_state(client: RESTClient, path: str) -> dict[str, str]:
    """key -> resourceVersion of a fresh (consistent) list."""
    items = client.list(path)["items"]
    return {meta_namespace_key(o): object_meta(o).resource_version for o in items}


# ---- informer probes -------------------------------------------------------------------------


class Probe:
    """One informer under test and what its handlers delivered last for each key."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.last: dict[str, tuple[str, str]] = {}  # key -> (event, resourceVersion)
        self.errors: list[BaseException] = []
        self.informer: Any = None

    def on_add(self, obj: Any, initial: bool) -> None:
        self.last[meta_namespace_key(obj)] = ("add", object_meta(obj).resource_version)

    def on_update(self, old: Any, new: Any) -> None:
        self.last[meta_namespace_key(new)] = ("update", object_meta(new).resource_version)

    def on_delete(self, obj: Any) -> None:
        if isinstance(obj, DeletedFinalStateUnknown):
            self.last[obj.key] = ("delete", "")
        else:
            self.last[meta_namespace_key(obj)] = ("delete", "")

    def cache(self) -> dict[str, str]:
        return {
            meta_namespace_key(o): object_meta(o).resource_version
            for o in self.informer.indexer.list()
        }

    def converged(self, truth: dict[str, str]) -> bool:
        if self.cache() != truth:
            return False
        for key, rv in truth.items():
            if self.last.get(key) not in (("add", rv), ("update", rv)):
                return False
        return all(event == "delete" for key, (event, _) in self.last.items() if key not in truth)


class InformerSet:
    """Four informers on one resource through the proxy: typed and dynamic, thread and asyncio."""

    def __init__(self, info: ClusterInfo, proxy: FaultProxy, namespace: str) -> None:
        from kubetyped_kubernetes import Clientset, SharedInformerFactory

        self.path = f"/api/v1/namespaces/{namespace}/configmaps"
        config = proxied_config(info, proxy)
        self._sync_cs = Clientset.from_config(config)
        self._sync_rest = RESTClient.from_config(config)
        self._factory = SharedInformerFactory(self._sync_cs, namespace=namespace)
        self.probes = [Probe(n) for n in ("typed/thread", "dynamic/thread")]
        self.async_probes = [Probe(n) for n in ("typed/asyncio", "dynamic/asyncio")]
        self._dynamic = SharedIndexInformer(
            DynamicClient(self._sync_rest)
            .resource("", "v1", "configmaps")
            .namespace(namespace)
            .list_watch()
        )
        self._setup(self.probes[0], self._factory.core_v1.config_maps().informer())
        self._setup(self.probes[1], self._dynamic)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._async: dict[str, Any] = {}
        self._call(self._start_async(config, namespace))
        self._factory.start()
        self._dynamic.start()

    def _setup(self, probe: Probe, informer: Any) -> None:
        probe.informer = informer
        informer.set_watch_idle_timeout(IDLE_TIMEOUT)
        informer.set_watch_error_handler(probe.errors.append)
        informer.add_event_handler(
            on_add=probe.on_add, on_update=probe.on_update, on_delete=probe.on_delete
        )

    async def _start_async(self, config: ClientConfig, namespace: str) -> None:
        from kubetyped_kubernetes import AsyncClientset, AsyncSharedInformerFactory

        cs = AsyncClientset.from_config(config)
        rest = AsyncRESTClient.from_config(config)
        factory = AsyncSharedInformerFactory(cs, namespace=namespace)
        dynamic = AsyncSharedIndexInformer(
            AsyncDynamicClient(rest)
            .resource("", "v1", "configmaps")
            .namespace(namespace)
            .list_watch()
        )
        self._async = {"cs": cs, "rest": rest, "factory": factory, "dynamic": dynamic}
        self._setup(self.async_probes[0], factory.core_v1.config_maps().informer())
        self._setup(self.async_probes[1], dynamic)
        factory.start()
        dynamic.start()

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(60)

    @property
    def all(self) -> list[Probe]:
        return self.probes + self.async_probes

    def wait_converged(self, truth_of: Callable[[], dict[str, str]], timeout: float) -> float:
        """Seconds until every informer equals a fresh list; fails after `timeout`."""
        start = time.monotonic()
        truth = truth_of()
        checked = start
        while True:
            if all(p.converged(truth) for p in self.all):
                # a fresh list right now must still agree (no write was in flight)
                truth = truth_of()
                if all(p.converged(truth) for p in self.all):
                    return time.monotonic() - start
            now = time.monotonic()
            assert now - start < timeout, self.describe(truth)
            if now - checked > 1.0:
                truth, checked = truth_of(), now
            time.sleep(0.05)

    def describe(self, truth: dict[str, str]) -> str:
        lines = []
        for p in self.all:
            cache = p.cache()
            missing = sorted(set(truth) - set(cache))[:5]
            extra = sorted(set(cache) - set(truth))[:5]
            stale = sorted(k for k in truth if k in cache and cache[k] != truth[k])[:5]
            lines.append(
                f"{p.name}: missing {missing} extra {extra} stale {stale} "
                f"health {p.informer.health()} errors {p.errors[-3:]}"
            )
        return "not converged:\n" + "\n".join(lines)

    def close(self) -> None:
        self._factory.shutdown(timeout=5)
        self._dynamic.stop(timeout=5)

        async def stop_async() -> None:
            await self._async["factory"].shutdown()
            await self._async["dynamic"].stop()
            await self._async["rest"].close()
            await self._async["cs"].close()

        self._call(stop_async())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._sync_rest.close()
        self._sync_cs.close()


# ---- report ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Report:
    convergence: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    handovers: list[float] = dataclasses.field(default_factory=list)
    writes: int = 0
    faults: int = 0
    fuzzed: int = 0
    lines: list[str] = dataclasses.field(default_factory=list)

    def add(self, mode: str, seconds: float) -> None:
        self.convergence.setdefault(mode, []).append(seconds)

    def render(self) -> list[str]:
        out = [f"fault suite: {self.writes} writes, {self.faults} faults injected"]
        for mode, values in self.convergence.items():
            out.append(
                f"  convergence after {mode:<16} median {statistics.median(values):6.2f}s "
                f"worst {max(values):6.2f}s (n={len(values)})"
            )
        if self.handovers:
            out.append(
                "  leader handover after a stalled leader path: "
                + ", ".join(f"{h:.2f}s" for h in self.handovers)
            )
        return out + self.lines


REPORT = Report()
