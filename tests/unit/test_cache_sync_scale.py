"""An informer's first list costs the same per object at any size (issue 16).

The apiserver's watch cache answers an informer's first list (resourceVersion "0") in one piece
whatever the limit, so at 50,000 Pods one page holds every object. Storing that page must cost
the same per object at 500 or 2,500 objects: no step that grows with what is already stored (a
copy of the store per object, the page buffer kept alive by its items, a metadata decode more
than once per object, notifications left queued, a re-index of what is stored per object).
Deterministic: it counts GC-tracked objects, function calls, metadata decodes and references,
not time.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from typing import Any

import orjson
import pytest

from kubetyped.cache import ListResult, meta
from kubetyped.cache.handlers import FuncHandler, ListenerState
from kubetyped.cache.informer_core import InformerCore
from kubetyped.cache.reflector_core import ListCall, ReflectorCore
from kubetyped.cache.store import Indexer
from kubetyped.resource.core import ModelCodec
from kubetyped_kubernetes.models.core_v1 import Pod, PodList

SMALL, LARGE = 500, 2_500
METADATA_DECODER = meta._metadata_decoder()


def pod_list(count: int) -> bytes:
    """A PodList answer with ``count`` items, as the watch cache sends it (no continue)."""
    items = [
        {
            "metadata": {
                "name": f"pod-{i:05d}",
                "namespace": f"ns-{i % 3}",
                "uid": f"uid-{i}",
                "resourceVersion": str(1_000 + i),
                "labels": {"app": f"app-{i % 7}"},
            },
            "spec": {"containers": [{"name": "app", "image": "nginx:1.27", "ports": []}]},
            "status": {"phase": "Running", "podIP": f"10.0.{i // 250}.{i % 250}"},
        }
        for i in range(count)
    ]
    body = {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "99999"}}
    return orjson.dumps({**body, "items": items})


class CountingDecoder:
    """The metadata decoder, counting its calls."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.calls = 0

    def decode(self, data: Any) -> Any:
        self.calls += 1
        return self.decoder.decode(data)


class CallCounter:
    """Counts Python and C function calls (``sys.setprofile``) while active."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, frame: Any, event: str, arg: Any) -> None:
        if event in ("call", "c_call"):
            self.calls += 1

    def __enter__(self) -> CallCounter:
        sys.setprofile(self)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)


@dataclass
class Sync:
    tracked_per_object: float
    calls_per_object: float
    decodes_per_object: float
    page_references: int
    queued: int
    cached: int


def sync_one_page(count: int, monkeypatch: pytest.MonkeyPatch) -> Sync:
    """The first list of an informer with one handler, answered by one page of ``count``."""
    decoder = CountingDecoder(METADATA_DECODER)
    monkeypatch.setattr(meta, "_metadata_decoder", lambda: decoder)
    codec = ModelCodec.of(Pod, PodList)
    indexer: Indexer[Any] = Indexer({"app": lambda obj: [meta.object_meta(obj).labels["app"]]})
    core: InformerCore[Any] = InformerCore(indexer, clock=lambda: 0.0)
    seen: list[str] = []
    listener = ListenerState(FuncHandler(add=lambda obj, initial: seen.append("add")))
    core.add_listener(listener)
    reflector = ReflectorCore(sink=core)
    body = pod_list(count)
    action = reflector.next_action()
    assert isinstance(action, ListCall)
    assert action.options.resource_version == "0" and action.options.limit == 500
    gc.collect()
    before = len(gc.get_objects())
    references = sys.getrefcount(body)
    with CallCounter() as counter:
        items, list_meta = codec.cache_page(body)
        reflector.list_succeeded(ListResult(items, str(list_meta["resourceVersion"]), None))
        del items, list_meta
        while (notification := listener.pop()) is not None:
            listener.dispatch(notification)
    gc.collect()
    tracked = len(gc.get_objects()) - before
    assert reflector.last_sync_resource_version == "99999"
    assert len(seen) == count and core.has_synced()
    return Sync(
        tracked_per_object=tracked / count,
        calls_per_object=counter.calls / count,
        decodes_per_object=decoder.calls / count,
        page_references=sys.getrefcount(body) - references,
        queued=len(listener.queue),
        cached=len(indexer),
    )


def test_first_list_in_one_page_costs_the_same_per_object_at_any_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small = sync_one_page(SMALL, monkeypatch)
    large = sync_one_page(LARGE, monkeypatch)
    assert (small.cached, large.cached) == (SMALL, LARGE)
    # the page is not kept alive by the cached objects (each holds an exact copy of its JSON)
    assert small.page_references == large.page_references == 0
    assert small.queued == large.queued == 0
    # key, namespace index and resourceVersion share one decode of each object's metadata; the
    # "app" index reads a parsed twin, whose metadata is decoded once more
    assert small.decodes_per_object == large.decodes_per_object == 2
    # GC-tracked objects kept per cached object: the same at both sizes (the marginal cost of
    # the 2,000 more objects is no higher than the average of the first 500)
    marginal = (large.tracked_per_object * LARGE - small.tracked_per_object * SMALL) / (
        LARGE - SMALL
    )
    assert marginal <= small.tracked_per_object + 0.01, (small, large)
    assert large.tracked_per_object <= 3, large
    # work per object (calls, Python and C): no more at 2,500 than at 500
    assert large.calls_per_object <= small.calls_per_object, (small, large)
