"""One informer-memory measurement in a fresh process (so RSS deltas are clean).

Usage: python -m benchmarks.memory_child <variant> <Pod|ConfigMap> <kubeconfig> <tracemalloc|rss>
Prints one JSON line: {"objects": n, "bytes": retained bytes, "seconds": load time}; the
`dicts` variant adds "json_bytes": the compact JSON size of the objects it holds.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from benchmarks.common import rss_bytes

PAGE = 500


def _kubetyped(kind: str, kubeconfig: str, transform: Any, read_all: bool) -> Callable[[], Any]:
    from benchmarks.walkers import walk_kubetyped
    from kubetyped_kubernetes import Clientset, SharedInformerFactory
    from kubetyped_kubernetes.models import core_v1

    cs = Clientset.from_kubeconfig(kubeconfig, context="admin")
    # warm the model classes (lazy class set-up is not per-object memory)
    model = core_v1.Pod if kind == "Pod" else core_v1.ConfigMap
    walk_kubetyped(model.from_raw({"metadata": {"name": "warm", "managedFields": [{}]}}))

    def load() -> Any:
        factory = SharedInformerFactory(cs, transform=transform)
        group = factory.core_v1
        informer = (group.pods() if kind == "Pod" else group.config_maps()).informer()
        factory.start()
        if not factory.wait_for_cache_sync(timeout=300):
            raise RuntimeError("informer did not sync")
        if read_all:
            walk_kubetyped(informer.indexer.list())
        return factory, informer.indexer

    return load


def _dicts(kind: str, kubeconfig: str) -> Callable[[], Any]:
    import orjson

    from benchmarks.cluster_env import info_from_kubeconfig

    info = info_from_kubeconfig(kubeconfig)
    http = info.http("admin", timeout=120)
    plural = "pods" if kind == "Pod" else "configmaps"

    def load() -> Any:
        cache: dict[str, Any] = {}
        token = None
        while True:
            params: dict[str, Any] = {"limit": PAGE}
            if token:
                params["continue"] = token
            page = orjson.loads(http.get(f"/api/v1/{plural}", params=params).content)
            for item in page["items"]:
                meta = item["metadata"]
                cache[f"{meta['namespace']}/{meta['name']}"] = item
            token = page["metadata"].get("continue")
            if not token:
                return cache

    return load


def _lightkube(kind: str, kubeconfig: str) -> Callable[[], Any]:
    import lightkube
    from lightkube.config.kubeconfig import KubeConfig
    from lightkube.resources.core_v1 import ConfigMap, Pod

    client = lightkube.Client(config=KubeConfig.from_file(kubeconfig))

    resource: Any = Pod if kind == "Pod" else ConfigMap

    def load() -> Any:
        return {
            f"{obj.metadata.namespace}/{obj.metadata.name}": obj
            for obj in client.list(resource, namespace="*", chunk_size=PAGE)
        }

    return load


def _size(held: Any) -> int:
    if isinstance(held, tuple):
        return len(held[1])
    return len(held)


def main() -> None:
    variant, kind, kubeconfig, mode = sys.argv[1:5]
    from kubetyped.cache import drop_managed_fields

    loaders = {
        "kubetyped": lambda: _kubetyped(kind, kubeconfig, None, False),
        "kubetyped-drop-managed-fields": lambda: _kubetyped(
            kind, kubeconfig, drop_managed_fields, False
        ),
        "kubetyped-read-all": lambda: _kubetyped(kind, kubeconfig, None, True),
        "dicts": lambda: _dicts(kind, kubeconfig),
        "lightkube": lambda: _lightkube(kind, kubeconfig),
    }
    load = loaders[variant]()
    gc.collect()
    if mode == "tracemalloc":
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
    else:
        before = rss_bytes()
    start = time.perf_counter()
    held = load()
    elapsed = time.perf_counter() - start
    gc.collect()
    after = tracemalloc.get_traced_memory()[0] if mode == "tracemalloc" else rss_bytes()
    result = {"objects": _size(held), "bytes": after - before, "seconds": elapsed}
    if variant == "dicts":  # the objects' own size: their compact JSON, as the apiserver sends it
        import orjson

        result["json_bytes"] = sum(len(orjson.dumps(item)) for item in held.values())
    print(json.dumps(result), flush=True)
    # informer threads may sit in a long watch: a measurement child just leaves
    os._exit(0)


if __name__ == "__main__":
    main()
