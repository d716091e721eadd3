"""One informer-scale consumer in a fresh process (the Python side of `bench_scale.py`).

Usage: python -m benchmarks.scale_child <variant> <Pod|ConfigMap> <namespace> <kubeconfig>

Speaks the protocol of benchmarks/clientgo/main.go: prints ``{"phase":"listing"}`` just before
the first request, then
``{"phase":"synced","objects":N,"sync_seconds":S,"sync_cpu_seconds":C,"rss_bytes":R,
"rss_base_bytes":B}`` once the cache holds every object (C: this process's CPU time, all
threads, from the first request to then), then for each ``churn <count> <value>`` line on stdin prints
``{"phase":"churning"}`` once it counts events with that value, and
``{"phase":"churned","events":count,"seconds":S,"cpu_seconds":C}`` (C: this process's CPU
time meanwhile) once <count> update events whose object has
annotation bench.kubetyped.dev/churn=<value> were applied to the cache.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import rss_bytes

PAGE = 500
CHURN_ANNOTATION = "bench.kubetyped.dev/churn"


class Counter:
    """Counts update events that carry the current churn marker."""

    def __init__(self) -> None:
        self.wanted = ""
        self.seen = 0
        self.target = 0
        self.done = threading.Event()
        self.lock = threading.Lock()

    def update(self, annotations: Any) -> None:
        if annotations and annotations.get(CHURN_ANNOTATION) == self.wanted:
            with self.lock:
                self.seen += 1
                if self.seen >= self.target:
                    self.done.set()

    def expect(self, wanted: str, count: int) -> None:
        with self.lock:
            self.wanted, self.seen, self.target = wanted, 0, count
            self.done.clear()


Load = Callable[[Counter], Callable[[], int]]  # returns: how many objects are cached


def _kubetyped(kind: str, namespace: str, kubeconfig: str, metadata: bool) -> Load:
    from kubetyped.cache import object_meta
    from kubetyped.config import load_kubeconfig
    from kubetyped.discovery import GroupVersionResource
    from kubetyped.metadata import MetadataClient, MetadataInformerFactory
    from kubetyped_kubernetes import Clientset, SharedInformerFactory

    config = load_kubeconfig(kubeconfig, context="admin")
    cs = Clientset.from_config(config)
    # imports and class set-up before the RSS baseline (they are not per-object memory)
    warm = SharedInformerFactory(cs, namespace=namespace).core_v1
    (warm.pods() if kind == "Pod" else warm.config_maps()).informer()
    model = cs.core_v1.pods(namespace) if kind == "Pod" else cs.core_v1.config_maps(namespace)
    del warm, model

    def load(counter: Counter) -> Callable[[], int]:
        factory: Any
        if metadata:
            factory = MetadataInformerFactory(MetadataClient(cs.rest), namespace=namespace)
            plural = "pods" if kind == "Pod" else "configmaps"
            informer = factory.for_resource(GroupVersionResource("", "v1", plural)).informer()
        else:
            factory = SharedInformerFactory(cs, namespace=namespace)
            group = factory.core_v1
            informer = (group.pods() if kind == "Pod" else group.config_maps()).informer()
        # a controller's handler: reads metadata (enqueues a key), not the whole object
        informer.add_event_handler(
            on_update=lambda old, new: counter.update(object_meta(new).annotations)
        )
        factory.start()
        if not factory.wait_for_cache_sync(timeout=1800):
            raise RuntimeError("informer did not sync")
        _keep.append(factory)
        return lambda: len(informer.indexer)

    return load


def _watch_thread(target: Callable[[], None]) -> None:
    threading.Thread(target=target, daemon=True).start()


def _lightkube(kind: str, namespace: str, kubeconfig: str) -> Load:
    import lightkube
    from lightkube.config.kubeconfig import KubeConfig
    from lightkube.resources.core_v1 import ConfigMap, Pod

    client = lightkube.Client(config=KubeConfig.from_file(kubeconfig))  # current context: admin
    resource: Any = Pod if kind == "Pod" else ConfigMap

    def load(counter: Counter) -> Callable[[], int]:
        cache: dict[str, Any] = {}
        items = client.list(resource, namespace=namespace, chunk_size=PAGE)
        for obj in items:
            cache[obj.metadata.name] = obj
        rv = items.resourceVersion  # type: ignore[attr-defined]

        def watch() -> None:
            for event, obj in client.watch(resource, namespace=namespace, resource_version=rv):
                if event == "DELETED":
                    cache.pop(obj.metadata.name, None)
                else:
                    cache[obj.metadata.name] = obj
                    if event == "MODIFIED":
                        counter.update(obj.metadata.annotations)

        _watch_thread(watch)
        return lambda: len(cache)

    return load


def _official(kind: str, namespace: str, kubeconfig: str) -> Load:
    from kubernetes import client, config, watch

    api_client = config.new_client_from_config(config_file=kubeconfig, context="admin")
    core = client.CoreV1Api(api_client)
    list_fn = core.list_namespaced_pod if kind == "Pod" else core.list_namespaced_config_map

    def load(counter: Counter) -> Callable[[], int]:
        cache: dict[str, Any] = {}
        token = None
        while True:
            page = list_fn(namespace, limit=PAGE, _continue=token)
            for obj in page.items:
                cache[obj.metadata.name] = obj
            token = page.metadata._continue
            if not token:
                break
        rv = page.metadata.resource_version

        def run() -> None:
            w: Any = watch.Watch()
            for event in w.stream(list_fn, namespace, resource_version=rv, timeout_seconds=3600):
                obj = event["object"]
                if event["type"] == "DELETED":
                    cache.pop(obj.metadata.name, None)
                else:
                    cache[obj.metadata.name] = obj
                    if event["type"] == "MODIFIED":
                        counter.update(obj.metadata.annotations)

        _watch_thread(run)
        return lambda: len(cache)

    return load


def _kr8s(kind: str, namespace: str, kubeconfig: str) -> Load:
    """kr8s has no informer and no list-then-watch from a resourceVersion: a watch without one
    (the server first sends every existing object as ADDED) fills a dict and stays live."""
    import kr8s

    api = kr8s.api(kubeconfig=kubeconfig, context="admin")
    plural = "pods" if kind == "Pod" else "configmaps"

    def load(counter: Counter) -> Callable[[], int]:
        cache: dict[str, Any] = {}

        def run() -> None:
            for event, obj in api.watch(plural, namespace=namespace):
                if event == "DELETED":
                    cache.pop(obj.name, None)
                else:
                    cache[obj.name] = obj
                    if event == "MODIFIED":
                        counter.update(obj.annotations)

        _watch_thread(run)
        return lambda: len(cache)

    return load


_keep: list[Any] = []


def _emit(**values: Any) -> None:
    print(json.dumps(values), flush=True)


def main() -> None:
    variant, kind, namespace, kubeconfig, expected = sys.argv[1:6]
    loaders: dict[str, Callable[[], Load]] = {
        "kubetyped": lambda: _kubetyped(kind, namespace, kubeconfig, metadata=False),
        "kubetyped-metadata": lambda: _kubetyped(kind, namespace, kubeconfig, metadata=True),
        "lightkube": lambda: _lightkube(kind, namespace, kubeconfig),
        "official": lambda: _official(kind, namespace, kubeconfig),
        "kr8s": lambda: _kr8s(kind, namespace, kubeconfig),
    }
    load = loaders[variant]()
    counter = Counter()
    gc.collect()
    base = rss_bytes()
    _emit(phase="listing")
    started, cpu_started = time.perf_counter(), time.process_time()
    size = load(counter)
    while size() < int(expected):  # list done; a watch-only peer may still be receiving
        time.sleep(0.005)
    elapsed = time.perf_counter() - started
    sync_cpu = time.process_time() - cpu_started
    gc.collect()
    _emit(
        phase="synced",
        objects=size(),
        sync_seconds=elapsed,
        sync_cpu_seconds=sync_cpu,
        rss_bytes=rss_bytes(),
        rss_base_bytes=base,
    )
    for line in sys.stdin:
        fields = line.split()
        if len(fields) != 3 or fields[0] != "churn":
            continue
        count = int(fields[1])
        churn_started, cpu_started = time.perf_counter(), time.process_time()
        counter.expect(fields[2], count)
        _emit(phase="churning")
        counter.done.wait()
        _emit(
            phase="churned",
            events=count,
            seconds=time.perf_counter() - churn_started,
            cpu_seconds=time.process_time() - cpu_started,
        )
    os._exit(0)  # watch threads may sit in a long read


if __name__ == "__main__":
    main()
