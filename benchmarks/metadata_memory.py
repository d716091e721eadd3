"""Bytes per cached object: metadata informer vs full (typed) informer, for N ConfigMaps.

Starts the real test apiserver through `tests.cluster.Cluster` (or uses the cluster of
`--kubeconfig` / KUBETYPED_TEST_KUBECONFIG), creates N ConfigMaps with `--data-bytes` of data
each, then syncs each informer variant in a fresh child process and measures, with tracemalloc,
the memory still allocated after sync (minus the same informer synced on an empty namespace),
divided by N. Prints a table.

    .venv/bin/python -m benchmarks.metadata_memory --count 1000 --data-bytes 1024
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import json
import os
import secrets
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

VARIANTS = {
    "metadata": "metadata informer (PartialObjectMetadata)",
    "metadata-drop-managed-fields": "metadata informer + drop_managed_fields transform",
    "full": "full informer (typed ConfigMap, generated factory)",
}


def _config(kubeconfig: str) -> Any:
    from kubetyped.config import load_kubeconfig

    config = load_kubeconfig(kubeconfig, context="admin")
    return dataclasses.replace(config, qps=-1, timeout=120.0)  # no client-side rate limit


def _informer(variant: str, kubeconfig: str, namespace: str) -> tuple[Any, Any]:
    """(factory, informer) of one variant; nothing started yet."""
    from kubetyped.cache import drop_managed_fields
    from kubetyped.discovery import GroupVersionResource
    from kubetyped.metadata import MetadataClient, MetadataInformerFactory
    from kubetyped_kubernetes import Clientset, SharedInformerFactory

    clientset = Clientset.from_config(_config(kubeconfig))
    if variant.startswith("metadata"):
        transform = drop_managed_fields if variant.endswith("drop-managed-fields") else None
        factory: Any = MetadataInformerFactory(
            MetadataClient(clientset.rest), namespace=namespace, transform=transform
        )
        informer = factory.for_resource(GroupVersionResource("", "v1", "configmaps")).informer()
    else:
        factory = SharedInformerFactory(clientset, namespace=namespace)
        informer = factory.core_v1.config_maps().informer()
    return factory, informer


def _synced_bytes(variant: str, kubeconfig: str, namespace: str) -> tuple[int, int]:
    """(bytes retained after syncing `namespace`, objects cached)."""
    factory, informer = _informer(variant, kubeconfig, namespace)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    factory.start()
    if not all(factory.wait_for_cache_sync(300).values()):
        raise RuntimeError(f"{variant} informer did not sync")
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    count = len(informer.indexer.list())
    factory.shutdown()
    return after - before, count


def child(variant: str, kubeconfig: str, namespace: str, empty_namespace: str) -> None:
    """Measure one variant in this (fresh) process; print one JSON line."""
    # Warm up imports and lazy model plans so they are not counted.
    _synced_bytes(variant, kubeconfig, empty_namespace)
    tracemalloc.start()
    baseline, _ = _synced_bytes(variant, kubeconfig, empty_namespace)
    total, count = _synced_bytes(variant, kubeconfig, namespace)
    tracemalloc.stop()
    print(json.dumps({"variant": variant, "bytes": total - baseline, "count": count}))


def _measure(variant: str, kubeconfig: str, namespace: str, empty: str) -> dict[str, Any]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.metadata_memory",
            "--child",
            variant,
            "--kubeconfig",
            kubeconfig,
            "--namespace",
            namespace,
            "--empty-namespace",
            empty,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{variant} failed:\n{result.stderr[-2000:]}")
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("{")][-1]
    data: dict[str, Any] = json.loads(line)
    return data


def _populate(kubeconfig: str, count: int, data_bytes: int) -> tuple[str, str]:
    """Two fresh namespaces: one with `count` ConfigMaps, one empty."""
    from kubetyped.rest import RESTClient

    full, empty = f"bench-meta-{secrets.token_hex(4)}", f"bench-empty-{secrets.token_hex(4)}"
    payload = "x" * data_bytes
    with RESTClient.from_config(_config(kubeconfig)) as rest:
        for namespace in (full, empty):
            rest.create("/api/v1/namespaces", {"metadata": {"name": namespace}})
        for i in range(count):
            rest.create(
                f"/api/v1/namespaces/{full}/configmaps",
                {
                    "metadata": {"name": f"cm-{i:06d}", "labels": {"app": "bench", "i": str(i)}},
                    "data": {"payload": payload},
                },
            )
    return full, empty


@contextlib.contextmanager
def _cluster(kubeconfig: str | None) -> Iterator[str]:
    """The kubeconfig of a running test cluster (started here unless one is given)."""
    if kubeconfig:
        yield kubeconfig
        return
    from tests.cluster import Cluster, binaries_dir, binaries_present

    if not binaries_present():
        raise SystemExit(f"test cluster binaries missing in {binaries_dir()}")
    with Cluster() as info:
        yield str(info.kubeconfig_path)


def _fmt(value: float) -> str:
    return f"{value / 1024:,.1f} KiB" if value >= 1024 else f"{value:,.0f} B"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="ConfigMaps to cache")
    parser.add_argument("--data-bytes", type=int, default=1024, help="data size per ConfigMap")
    parser.add_argument("--kubeconfig", default=os.environ.get("KUBETYPED_TEST_KUBECONFIG"))
    parser.add_argument("--child", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--namespace", help=argparse.SUPPRESS)
    parser.add_argument("--empty-namespace", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.kubeconfig, args.namespace, args.empty_namespace)
        return 0

    with _cluster(args.kubeconfig) as kubeconfig:
        started = time.monotonic()
        namespace, empty = _populate(kubeconfig, args.count, args.data_bytes)
        print(
            f"created {args.count} ConfigMaps ({args.data_bytes} B of data each) "
            f"in {time.monotonic() - started:.1f}s",
            file=sys.stderr,
        )
        results = {v: _measure(v, kubeconfig, namespace, empty) for v in VARIANTS}

    for variant, result in results.items():
        if result["count"] != args.count:
            raise SystemExit(f"{variant}: cached {result['count']} objects, expected {args.count}")
    full = results["full"]["bytes"] / args.count
    rows = [(VARIANTS[v], r["bytes"] / args.count) for v, r in results.items()]
    print(
        f"\nInformer memory, {args.count} ConfigMaps with {args.data_bytes} B of data each "
        "(tracemalloc, retained after sync)"
    )
    width = max(len(name) for name, _ in rows)
    print(f"{'variant':<{width}}  {'bytes/object':>14}  {'vs full':>8}")
    for name, per_object in rows:
        print(f"{name:<{width}}  {_fmt(per_object):>14}  {per_object / full:>7.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
