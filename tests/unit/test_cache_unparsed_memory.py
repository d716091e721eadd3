"""Objects a cache keeps as JSON stay near their JSON size after a transform (issue 16).

`drop_managed_fields` re-serialises an unparsed object; orjson's output buffer is at least
4 KiB, so keeping it as is cost several times a small object's JSON. Deterministic (tracemalloc
counts allocations, not time)."""

from __future__ import annotations

import gc
import tracemalloc

import orjson

from kubetyped.cache import drop_managed_fields
from kubetyped_kubernetes.models.core_v1 import ConfigMap

COUNT = 500


def config_map_json(i: int) -> bytes:
    return orjson.dumps(
        {
            "metadata": {
                "name": f"cm-{i}",
                "namespace": "d",
                "managedFields": [{"manager": "kubectl", "operation": "Apply", "fieldsV1": {}}],
            },
            "data": {f"key-{k}": f"value-{i}-{k}" for k in range(40)},
        }
    )


def test_drop_managed_fields_keeps_unparsed_objects_near_their_json_size() -> None:
    sources = [config_map_json(i) for i in range(COUNT)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    cached = [drop_managed_fields(ConfigMap.from_unparsed(data)) for data in sources]
    gc.collect()
    retained = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    slim = [obj.unparsed_json() for obj in cached]
    assert all(data is not None and b"managedFields" not in bytes(data) for data in slim)
    json_size = sum(len(data) for data in slim if data is not None)
    assert retained < 2 * json_size, (retained, json_size)
