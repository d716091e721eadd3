"""The work an informer does per watch event (issue 16: consumer CPU per event under churn).

A ConfigMap MODIFIED event goes the informer's way: the watch decoder, the codec's cache form
(typed informer: the ConfigMap; metadata informer: the server's PartialObjectMetadata), the
reflector, the store (key, namespace index), the notification and a handler that reads
only metadata (as a controller enqueuing a key does). client-go decodes each event once and
touches its metadata through the decoded object; here the object stays JSON (nothing parses it
whole) and its metadata is decoded once per event, however many steps read it. Deterministic: it
counts decoder calls and function calls (``sys.setprofile``), not time.
"""

from __future__ import annotations

import sys
from typing import Any

import msgspec
import orjson

from kubetyped.cache import ListResult, object_meta
from kubetyped.cache.handlers import FuncHandler, ListenerState
from kubetyped.cache.informer_core import InformerCore
from kubetyped.cache.reflector_core import ListCall, ReflectorCore
from kubetyped.cache.store import Indexer
from kubetyped.metadata.common import MetadataCodec
from kubetyped.resource.core import ModelCodec
from kubetyped.watch import WatchDecoder
from kubetyped_kubernetes.models.core_v1 import ConfigMap, ConfigMapList

OBJECTS, EVENTS = 50, 400
CHURN = "bench.kubetyped.dev/churn"


def config_map(i: int, rv: int, churn: str | None = None) -> dict[str, Any]:
    """A ConfigMap as the apiserver sends it after a patch (managedFields included)."""
    annotations = {"owner": "team-a"} | ({CHURN: churn} if churn else {})
    managed = [
        {
            "manager": manager,
            "operation": "Update",
            "apiVersion": "v1",
            "time": "2026-11-30T10:00:00Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:data": {".": {}, "f:config.yaml": {}}},
        }
        for manager in ("kubectl-client-side-apply", "bench")
    ]
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": f"cm-{i:05d}",
            "namespace": "scale-cm",
            "uid": f"uid-{i}",
            "resourceVersion": str(rv),
            "creationTimestamp": "2026-11-30T09:00:00Z",
            "labels": {"app": f"app-{i % 7}"},
            "annotations": annotations,
            "managedFields": managed,
        },
        "data": {"config.yaml": "\n".join(f"key{k}: value-{i}-{k}" for k in range(12))},
    }


class Counter:
    """Counts calls while active (``sys.setprofile``): all, msgspec decodes, JSON parses."""

    def __init__(self) -> None:
        self.calls = self.msgspec_decodes = self.json_parses = 0

    def __call__(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            self.calls += 1
        elif event == "c_call":
            self.calls += 1
            owner = getattr(arg, "__self__", None)
            if type(owner) is msgspec.json.Decoder and arg.__name__ == "decode":
                self.msgspec_decodes += 1
            elif arg is orjson.loads:
                self.json_parses += 1

    def __enter__(self) -> Counter:
        sys.setprofile(self)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.setprofile(None)


def partial(obj: dict[str, Any]) -> dict[str, Any]:
    """``obj`` as the apiserver answers a metadata-only request (``as=PartialObjectMetadata``)."""
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": obj["metadata"],
    }


def churn(metadata: bool = False) -> tuple[Counter, list[Any], ReflectorCore, Indexer[Any]]:
    """EVENTS MODIFIED events over a synced cache of OBJECTS ConfigMaps, one line per chunk."""
    codec: Any = MetadataCodec() if metadata else ModelCodec.of(ConfigMap, ConfigMapList)
    shape = partial if metadata else (lambda obj: obj)
    indexer: Indexer[Any] = Indexer()
    core: InformerCore[Any] = InformerCore(indexer, clock=lambda: 0.0)
    seen: list[Any] = []

    def on_update(old: Any, new: Any) -> None:
        if object_meta(new).annotations.get(CHURN) == "v1":
            seen.append(new)

    listener = ListenerState(FuncHandler(update=on_update))
    core.add_listener(listener)
    reflector = ReflectorCore(sink=core)
    assert isinstance(reflector.next_action(), ListCall)
    body = {
        "kind": "PartialObjectMetadataList" if metadata else "ConfigMapList",
        "apiVersion": "meta.k8s.io/v1" if metadata else "v1",
        "metadata": {"resourceVersion": "999"},
        "items": [shape(config_map(i, 100 + i)) for i in range(OBJECTS)],
    }
    items, meta = codec.cache_page(orjson.dumps(body))
    reflector.list_succeeded(ListResult(items, str(meta["resourceVersion"]), None))
    listener.queue.clear()
    call = reflector.next_action()
    reflector.watch_started(call)  # type: ignore[arg-type]
    decoder = WatchDecoder(unparsed=codec.unparsed_watch)  # as `watch_for_cache` makes it
    lines = [
        orjson.dumps({"type": "MODIFIED", "object": shape(config_map(k % OBJECTS, 1000 + k, "v1"))})
        + b"\n"
        for k in range(EVENTS)
    ]
    with Counter() as counter:
        for line in lines:
            for event in decoder.feed(line):
                reflector.watch_event(codec.cache_event(event))
            while (notification := listener.pop()) is not None:
                listener.dispatch(notification)
    assert len(seen) == EVENTS and len(indexer) == OBJECTS
    return counter, seen, reflector, indexer


def test_each_watch_event_is_decoded_once_and_its_object_stays_json() -> None:
    counter, seen, reflector, indexer = churn()
    assert reflector.last_sync_resource_version == str(1000 + EVENTS - 1)
    # one decode of the event line (object kept as raw JSON) + one of the object's metadata,
    # shared by the resourceVersion, the store key, the namespace index and the handler
    assert counter.msgspec_decodes == 2 * EVENTS, counter.msgspec_decodes / EVENTS
    assert counter.json_parses == 0
    # nothing materialised the model: the handler read metadata only
    assert all(obj.unparsed_json() is not None for obj in seen)
    assert all(obj.unparsed_json() is not None for obj in indexer.list())


def test_work_per_watch_event_is_bounded() -> None:
    counter, _, _, _ = churn()
    # Python and C calls per event, from the chunk to the handler's return: 148 before the
    # metadata was shared across the steps, 97 after; a new per-event step shows here first
    assert counter.calls / EVENTS <= 110, counter.calls / EVENTS


def test_metadata_informer_keeps_the_servers_partial_object_as_it_came() -> None:
    counter, seen, reflector, indexer = churn(metadata=True)
    assert reflector.last_sync_resource_version == str(1000 + EVENTS - 1)
    assert all(obj.unparsed_json() is not None for obj in indexer.list())
    # the event line, the object's metadata, its apiVersion/kind (metadata-only answer?): no
    # parse of the whole object, no re-serialisation
    assert counter.msgspec_decodes == 3 * EVENTS, counter.msgspec_decodes / EVENTS
    assert counter.json_parses == 0
    assert all(obj.unparsed_json() is not None for obj in seen)
    assert seen[-1].metadata.annotations == {"owner": "team-a", CHURN: "v1"}
