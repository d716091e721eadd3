"""The real test apiserver for the HTTP benchmarks, and fast parallel population of it."""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import fixtures
from benchmarks.common import REPO, log

if REPO not in sys.path:
    sys.path.insert(0, REPO)

from kubetyped.config import ClientConfig, load_kubeconfig
from tests.cluster import Cluster, ClusterInfo, binaries_present

CONCURRENCY = 48


def info_from_kubeconfig(path: str | Path) -> ClusterInfo:
    """ClusterInfo of a running test cluster; its credential files live until exit."""
    files = Path(tempfile.mkdtemp(prefix="kubetyped-bench-"))
    atexit.register(shutil.rmtree, files, ignore_errors=True)
    return ClusterInfo.from_kubeconfig(Path(path), files)


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
    control_plane = Cluster()
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


def populate_config_maps(info: ClusterInfo, namespace: str, count: int, start: int = 0) -> None:
    from kubetyped_kubernetes import AsyncClientset

    async def main() -> None:
        async with AsyncClientset.from_config(admin_config(info)) as cs:
            client = cs.core_v1.config_maps(namespace)
            jobs: list[Callable[[], Awaitable[Any]]] = [
                partial(client.create, _creatable(fixtures.config_map(i, namespace)))
                for i in range(start, start + count)
            ]
            await _gather_limited(jobs)

    log(f"cluster: creating {count} ConfigMaps in {namespace}")
    asyncio.run(main())


def populate_pods(info: ClusterInfo, namespace: str, count: int, start: int = 0) -> None:
    """Pods that never run (no scheduler/kubelet); their status is then written like a kubelet's."""
    from kubetyped.request import PatchType
    from kubetyped_kubernetes import AsyncClientset

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

    log(f"cluster: creating {count} Pods (+ status) in {namespace}")
    asyncio.run(main())
