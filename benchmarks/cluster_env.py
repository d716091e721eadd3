"""The real test apiserver for the HTTP benchmarks, and fast parallel population of it."""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from benchmarks import fixtures
from benchmarks.common import REPO, log

if REPO not in sys.path:
    sys.path.insert(0, REPO)

from kubetyped.config import ClientConfig, load_kubeconfig
from tests.cluster import Cluster, ClusterInfo, binaries_present

CONCURRENCY = 48
# etcd's default backend quota (2 GiB) is near what 100,000 ConfigMaps + 50,000 Pods, their
# status writes, churn and revision history take before compaction: 8 GiB (etcd's suggested
# maximum). The apiserver keeps its defaults (watch cache on, 400/200 requests in flight;
# the admin user is system:masters, exempt from priority and fairness).
ETCD_ARGS = (f"--quota-backend-bytes={8 * 1024**3}",)
MERGE_PATCH = "application/merge-patch+json"


def info_from_kubeconfig(path: str | Path) -> ClusterInfo:
    """ClusterInfo of a running test cluster; its credential files live until exit."""
    files = Path(tempfile.mkdtemp(prefix="kubetyped-bench-"))
    atexit.register(shutil.rmtree, files, ignore_errors=True)
    return ClusterInfo.from_kubeconfig(Path(path), files, os.environ.get("KUBETYPED_TEST_ETCD"))


@contextmanager
def cluster() -> Iterator[ClusterInfo | None]:
    """KUBETYPED_TEST_KUBECONFIG's cluster, else a fresh one; None when no binaries."""
    external = os.environ.get("KUBETYPED_TEST_KUBECONFIG")
    if external:
        yield info_from_kubeconfig(external)
        return
    if not binaries_present():
        yield None
        return
    control_plane = Cluster(etcd_args=ETCD_ARGS)
    info = control_plane.start()
    log(f"test cluster ready in {info.started_in:.1f}s at {info.server}")
    try:
        yield info
    finally:
        control_plane.stop()


def admin_config(info: ClusterInfo, *, qps: float = -1, burst: int = 10) -> ClientConfig:
    """The admin context; qps -1 disables kubetyped's client-side rate limiter."""
    config = load_kubeconfig(str(info.kubeconfig_path), context="admin")
    return dataclasses.replace(config, qps=qps, burst=burst, timeout=120.0)


def create_namespace(info: ClusterInfo, name: str) -> None:
    with info.http("admin", timeout=30) as http:
        response = http.post("/api/v1/namespaces", json={"metadata": {"name": name}})
        if response.status_code not in (201, 409):
            raise RuntimeError(f"create namespace {name}: {response.status_code} {response.text}")


async def _gather_limited(
    jobs: list[Callable[[], Awaitable[Any]]], limit: int = CONCURRENCY
) -> None:
    semaphore = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[Any]]) -> None:
        async with semaphore:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


def _creatable(obj: dict[str, Any]) -> dict[str, Any]:
    """A fixture object without the fields the server sets."""
    meta = {
        k: v
        for k, v in obj["metadata"].items()
        if k
        not in (
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "managedFields",
            "generation",
            "namespace",
        )
    }
    return {**{k: v for k, v in obj.items() if k != "status"}, "metadata": meta}


def send_requests(info: ClusterInfo, sequences: Iterable[list[dict[str, Any]]]) -> str | None:
    """Send request sequences (each in order, CONCURRENCY at a time) with the Go sender.

    Each request is ``{"method", "path", "body", "contentType"?, "accept"?: [codes]}``. Returns
    None when sent, or why the Go sender is unavailable (the caller then uses kubetyped's
    AsyncClientset); raises RuntimeError when a request failed. A Go client spends a fraction
    of the CPU per request a Python client does, so on 2 cores the fill and churn rates are the
    apiserver's, and churn takes less CPU from the consumer being measured.
    """
    from benchmarks.bench_scale import build_clientgo

    binary, why = build_clientgo()
    if binary is None:
        return why
    argv = [str(binary), "-kubeconfig", str(info.kubeconfig_path), "-mode", "requests"]
    argv += ["-workers", str(CONCURRENCY)]
    child = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdin is not None

    def feed() -> None:
        assert child.stdin is not None
        try:
            for sequence in sequences:
                child.stdin.write(orjson.dumps(sequence) + b"\n")
            child.stdin.close()
        except BrokenPipeError:
            pass

    errors: list[bytes] = []
    assert child.stdout is not None and child.stderr is not None
    threads = [
        threading.Thread(target=feed, daemon=True),
        threading.Thread(target=lambda: errors.append(child.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for thread in threads:
        thread.start()
    child.stdout.read()
    child.wait()
    for thread in threads:
        thread.join()
    if child.returncode != 0:
        stderr = b"".join(errors).decode(errors="replace")
        raise RuntimeError(f"request sender exited {child.returncode}: {stderr[-1500:]}")
    return None


def clone_in_etcd(
    info: ClusterInfo, kind: str, namespace: str, prefix: str, start: int, stop: int, templates: int
) -> None:
    """Objects ``start``..``stop`` of a namespace as copies of the first ``templates`` ones.

    Each copy is a stored object as the apiserver returned it (after admission, defaulting and
    its managedFields), with a new name (``<prefix>-<index>``) and uid and no resourceVersion,
    put into etcd under the apiserver's key (JSON, which the apiserver's storage decoder reads
    beside protobuf), one put per revision as the apiserver writes (a transaction of several
    puts gives them one revision, and a watch cache list taken in the middle of such a revision
    followed by a watch from it loses the rest). The apiserver's watch cache sees the puts as
    ADDED events.
    """
    import base64
    import random
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    assert info.etcd_url is not None
    plural = "pods" if kind == "Pod" else "configmaps"
    with info.http("admin", timeout=600) as http:
        response = http.get(_path(namespace, plural), params={"limit": templates})
        response.raise_for_status()
        items = response.json()["items"]
    if not items:
        raise RuntimeError(f"no {plural} in {namespace} to copy")
    log(f"cluster: copying {len(items):,} {plural} in etcd up to {stop:,}")

    def put_body(index: int) -> dict[str, str]:
        obj = {"apiVersion": "v1", "kind": kind, **items[index % len(items)]}
        meta = {k: v for k, v in obj["metadata"].items() if k != "resourceVersion"}
        meta["name"] = f"{prefix}-{index:05d}"
        meta["uid"] = str(uuid.UUID(int=random.Random(index).getrandbits(128), version=4))
        obj["metadata"] = meta
        key = f"/registry/{plural}/{namespace}/{meta['name']}".encode()
        return {
            "key": base64.b64encode(key).decode(),
            "value": base64.b64encode(orjson.dumps(obj)).decode(),
        }

    with httpx.Client(base_url=info.etcd_url, timeout=120) as etcd:

        def put(index: int) -> int:
            response = etcd.post("/v3/kv/put", json=put_body(index))
            if response.status_code != 200:
                raise RuntimeError(f"etcd put: {response.status_code} {response.text[:300]}")
            return int(response.json()["header"]["revision"])

        with ThreadPoolExecutor(8) as pool:
            for _ in pool.map(put, range(start, stop), chunksize=64):
                pass
    wait_for_watch_cache(info, namespace, plural)


def wait_for_watch_cache(info: ClusterInfo, namespace: str, plural: str) -> None:
    """Return once the apiserver's watch cache has caught up with etcd's current revision.

    A consistent list (``resourceVersion=""``) gives the current revision; a list at
    ``resourceVersion="0"`` (the cache, what informers list first) gives the cache's. Waiting
    for them to meet keeps the cache's backlog after a fill out of the first consumer's sync.
    """
    path = _path(namespace, plural)
    none = {"fieldSelector": "metadata.name=-"}  # matches nothing: a tiny answer
    deadline = time.monotonic() + 600
    with info.http("admin", timeout=120) as http:
        etcd_rv = int(http.get(path, params={"limit": 1}).json()["metadata"]["resourceVersion"])
        while True:
            cached = http.get(path, params={"resourceVersion": "0", **none}).json()
            if int(cached["metadata"]["resourceVersion"]) >= etcd_rv:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"the watch cache did not reach revision {etcd_rv}")
            time.sleep(0.5)


def _path(namespace: str, plural: str, name: str = "", sub: str = "") -> str:
    return "/".join(filter(None, (f"/api/v1/namespaces/{namespace}/{plural}", name, sub)))


GO_SENDER = "the Go request sender (benchmarks/clientgo -mode requests)"
PY_SENDER = "kubetyped's AsyncClientset (rate limiter off)"


def populate_config_maps(info: ClusterInfo, namespace: str, count: int, start: int = 0) -> str:
    """Create ConfigMaps ``start``..``start + count``; returns which client sent them."""
    from kubetyped_kubernetes import AsyncClientset

    log(f"cluster: creating {count} ConfigMaps in {namespace}")
    creates = (
        [
            {
                "method": "POST",
                "path": _path(namespace, "configmaps"),
                "body": _creatable(fixtures.config_map(i, namespace)),
                "accept": [409],
            }
        ]
        for i in range(start, start + count)
    )
    if send_requests(info, creates) is None:
        return GO_SENDER

    async def main() -> None:
        async with AsyncClientset.from_config(admin_config(info)) as cs:
            client = cs.core_v1.config_maps(namespace)
            jobs: list[Callable[[], Awaitable[Any]]] = [
                partial(client.create, _creatable(fixtures.config_map(i, namespace)))
                for i in range(start, start + count)
            ]
            await _gather_limited(jobs)

    asyncio.run(main())
    return PY_SENDER


def populate_pods(info: ClusterInfo, namespace: str, count: int, start: int = 0) -> str:
    """Pods that never run (no scheduler/kubelet); their status is then written like a kubelet's."""
    from kubetyped.request import PatchType
    from kubetyped_kubernetes import AsyncClientset

    log(f"cluster: creating {count} Pods (+ status) in {namespace}")

    def pod_requests(i: int) -> list[dict[str, Any]]:
        obj = fixtures.pod(i, namespace)
        return [
            {
                "method": "POST",
                "path": _path(namespace, "pods"),
                "body": _creatable(obj),
                "accept": [409],
            },
            {
                "method": "PATCH",
                "path": _path(namespace, "pods", obj["metadata"]["name"], "status")
                + "?fieldManager=kubelet",
                "contentType": MERGE_PATCH,
                "body": {"status": obj["status"]},
            },
        ]

    account = [
        {
            "method": "POST",
            "path": _path(namespace, "serviceaccounts"),
            "body": {"metadata": {"name": "default"}},
            "accept": [409],
        }
    ]
    sequences = (pod_requests(i) for i in range(start, start + count))
    if send_requests(info, [account]) is None and send_requests(info, sequences) is None:
        return GO_SENDER

    async def main() -> None:
        async with AsyncClientset.from_config(admin_config(info)) as cs:
            if start == 0:
                await cs.core_v1.service_accounts(namespace).create(
                    {"metadata": {"name": "default"}}
                )
            pods = cs.core_v1.pods(namespace)

            async def one(i: int) -> None:
                obj = fixtures.pod(i, namespace)
                await pods.create(_creatable(obj))
                await pods.patch_status(
                    obj["metadata"]["name"],
                    {"status": obj["status"]},
                    PatchType.MERGE,
                    field_manager="kubelet",
                )

            await _gather_limited([partial(one, i) for i in range(start, start + count)])

    asyncio.run(main())
    return PY_SENDER
