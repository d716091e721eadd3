"""Typed informer caches keep each unread object as its JSON bytes (issue 16, item 1).

Against the real apiserver: after the list and after watch events, every cached object is still
unparsed; keys, labels, namespaces and index values are read without parsing it; reading a field
parses only that object; the retained memory of the cache stays within 2x the JSON it holds
(parsed dicts of the same objects take about 5x).
"""

from __future__ import annotations

import dataclasses
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import orjson

from kubetyped.cache import drop_managed_fields
from kubetyped.request import PatchType
from kubetyped_kubernetes import Clientset, SharedInformerFactory

COUNT = 300
KEYS = 60  # many small fields: where parsed Python objects cost most


def config_map(i: int) -> dict[str, Any]:
    return {
        "metadata": {"name": f"cm-{i}", "labels": {"parity": "even" if i % 2 == 0 else "odd"}},
        "data": {f"key-{k}": f"value-{i}-{k}" for k in range(KEYS)},
    }


def wait_until(cond: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def unparsed(objs: list[Any]) -> bool:
    return all(obj.unparsed_json() is not None for obj in objs)


def test_informer_cache_holds_json_until_read(admin_config: Any, namespace: str) -> None:
    config = dataclasses.replace(admin_config, qps=-1)
    with Clientset.from_config(config) as cs:
        client = cs.core_v1.config_maps(namespace)
        for i in range(COUNT):
            client.create(config_map(i))
        listed = [item.to_json() for item in client.list().items]  # as the server sent them
        wire = {orjson.loads(item)["metadata"]["name"]: item for item in listed}
        json_bytes = sum(len(v) for v in wire.values())

        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        factory = SharedInformerFactory(cs, namespace=namespace)
        informer = factory.core_v1.config_maps().informer()
        informer.add_indexers({"first-key": lambda o: sorted(o.data or {})[:1]})
        factory.start()
        try:
            assert factory.wait_for_cache_sync(60)
            gc.collect()
            retained = tracemalloc.get_traced_memory()[0] - before
            tracemalloc.stop()
            assert retained < 2 * json_bytes, (retained, json_bytes)
            cached = informer.indexer.list()
            assert len(cached) == COUNT
            assert unparsed(cached)
            # the store's JSON is the server's JSON, byte for byte
            assert all(orjson.loads(o.to_json()) == orjson.loads(wire[name_of(o)]) for o in cached)

            # keys, namespace, labels and a custom index: answered without parsing
            lister = informer.lister().namespaced(namespace)
            evens = lister.list("parity=even")
            assert sorted(name_of(o) for o in evens) == sorted(
                f"cm-{i}" for i in range(0, COUNT, 2)
            )
            assert len(informer.indexer.by_index("first-key", "key-0")) == COUNT
            assert unparsed(informer.indexer.list())

            # watch events are cached unparsed too
            client.create(config_map(COUNT))
            client.patch(
                "cm-1",
                {"metadata": {"labels": {"parity": "even"}}, "data": {"new": "1"}},
                PatchType.MERGE,
            )
            wait_until(lambda: len(lister.list("parity=even")) == COUNT // 2 + 2)
            assert unparsed(informer.indexer.list())

            # reading a field parses that object only
            one = lister.get("cm-1")
            assert one.data is not None and one.data["new"] == "1"
            assert one.unparsed_json() is None
            assert sum(o.unparsed_json() is None for o in informer.indexer.list()) == 1
        finally:
            factory.shutdown(timeout=10)


def test_drop_managed_fields_keeps_cached_objects_unparsed(
    admin_config: Any, namespace: str
) -> None:
    with Clientset.from_config(admin_config) as cs:
        cs.core_v1.config_maps(namespace).create(config_map(0))
        factory = SharedInformerFactory(cs, namespace=namespace, transform=drop_managed_fields)
        informer = factory.core_v1.config_maps().informer()
        factory.start()
        try:
            assert factory.wait_for_cache_sync(60)
            (obj,) = informer.indexer.list()
            data = obj.unparsed_json()
            assert data is not None and b"managedFields" not in bytes(data)
            assert obj.metadata.name == "cm-0" and obj.metadata.managed_fields is None
        finally:
            factory.shutdown(timeout=10)


def name_of(obj: Any) -> str:
    data = obj.unparsed_json()
    if data is None:
        return str(obj.metadata.name)
    return str(orjson.loads(data)["metadata"]["name"])


def test_metadata_informer_cache_holds_json_until_read(admin_config: Any, namespace: str) -> None:
    from kubetyped.discovery import GroupVersionResource
    from kubetyped.metadata import MetadataClient, MetadataInformerFactory

    with Clientset.from_config(admin_config) as cs:
        client = cs.core_v1.config_maps(namespace)
        for i in range(3):
            client.create(config_map(i))
        factory = MetadataInformerFactory(MetadataClient(cs.rest), namespace=namespace)
        informer = factory.for_resource(GroupVersionResource("", "v1", "configmaps")).informer()
        factory.start()
        try:
            assert factory.wait_for_cache_sync(60)
            client.create(config_map(3))  # arrives by watch
            wait_until(lambda: len(informer.indexer) == 4)
            cached = informer.indexer.list()
            assert unparsed(cached)
            assert sorted(name_of(o) for o in cached) == [f"cm-{i}" for i in range(4)]
            one = informer.lister().namespaced(namespace).get("cm-3")
            assert one.metadata is not None and one.metadata.labels == {"parity": "odd"}
            assert one.unparsed_json() is None
        finally:
            factory.shutdown(timeout=10)
