"""The event recorders against the real events.k8s.io/v1 API: a repeat becomes one Event with a
`series` (count, lastObservedTime), a different reason a second Event; thread and asyncio
recorders; a series whose Event was deleted is created again; objects straight from a list
(no apiVersion/kind, as informers cache them) are still referenced with their kind."""

# mypy: disable-error-code="union-attr, index, operator, arg-type"
# (model fields are Optional; the tests read those the server has set)

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from kubetyped.events import AsyncEventRecorder, AsyncRestEventSink, EventRecorder, RestEventSink
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.events_v1 import Event
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

CONTROLLER = "kubetyped.io/events-e2e"


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


@pytest.fixture
async def acs(kubeconfig_path: Path) -> AsyncIterator[AsyncClientset]:
    async with AsyncClientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


def listed_config_map(cs: Clientset, namespace: str, name: str) -> ConfigMap:
    """Create a ConfigMap and return it as a list item: no apiVersion/kind, like a cache entry."""
    cs.core_v1.config_maps(namespace).create(ConfigMap(metadata=ObjectMeta(name=name)))
    (item,) = [i for i in cs.core_v1.config_maps(namespace).list().items if i.metadata.name == name]
    assert item.kind is None and item.api_version is None
    return item


def our_events(cs: Clientset, namespace: str) -> list[Event]:
    items = cs.events_v1.events(namespace).list().items
    return sorted(
        (e for e in items if e.reporting_controller == CONTROLLER), key=lambda e: e.reason or ""
    )


def check_series(event: Event, count: int) -> None:
    assert event.series is not None, "a repeated event must carry a series"
    assert event.series.count == count
    assert event.series.last_observed_time >= event.event_time


def test_sync_recorder_aggregates_repeats_into_a_series(cs: Clientset, namespace: str) -> None:
    cm = listed_config_map(cs, namespace, "subject")
    recorder = EventRecorder(RestEventSink(cs.rest), CONTROLLER, "replica-1")

    first = recorder.record(cm, "Normal", "Synced", "Sync", "synced subject")
    assert first is not None
    recorder.record(cm, "Normal", "Synced", "Sync", "synced subject")
    recorder.record(cm, "Normal", "Synced", "Sync", "synced subject")
    recorder.record(cm, "Warning", "Failed", "Sync", "could not sync subject")

    failed, synced = our_events(cs, namespace)
    assert synced.metadata.name == first.metadata.name
    check_series(synced, 3)
    assert (synced.type, synced.action, synced.note) == ("Normal", "Sync", "synced subject")
    assert synced.reporting_instance == "replica-1"
    # Referenced with kind and apiVersion although the list item had neither.
    assert (synced.regarding.kind, synced.regarding.api_version) == ("ConfigMap", "v1")
    assert (synced.regarding.name, synced.regarding.uid) == ("subject", cm.metadata.uid)
    assert (failed.reason, failed.type, failed.series) == ("Failed", "Warning", None)


def test_series_of_a_deleted_event_is_created_again(cs: Clientset, namespace: str) -> None:
    cm = listed_config_map(cs, namespace, "subject")
    recorder = EventRecorder(RestEventSink(cs.rest), CONTROLLER, "replica-1")
    recorder.record(cm, "Normal", "Synced", "Sync")
    recorder.record(cm, "Normal", "Synced", "Sync")
    (event,) = our_events(cs, namespace)
    check_series(event, 2)

    cs.events_v1.events(namespace).delete(event.metadata.name)  # e.g. expired by its TTL
    again = recorder.record(cm, "Normal", "Synced", "Sync")
    assert again is not None
    (recreated,) = our_events(cs, namespace)
    assert recreated.metadata.name == again.metadata.name != event.metadata.name
    check_series(recreated, 3)
    recorder.record(cm, "Normal", "Synced", "Sync")  # and the new one is patched from now on
    (patched,) = our_events(cs, namespace)
    assert patched.metadata.name == recreated.metadata.name
    check_series(patched, 4)


async def test_async_recorder_aggregates_concurrent_repeats(
    cs: Clientset, acs: AsyncClientset, namespace: str
) -> None:
    cm = listed_config_map(cs, namespace, "subject")
    recorder = AsyncEventRecorder(AsyncRestEventSink(acs.rest), CONTROLLER, "replica-2")

    # Three repeats at once: the first creates, the others must patch that same Event.
    results = await asyncio.gather(
        *(recorder.record(cm, "Normal", "Synced", "Sync", "n") for _ in range(3))
    )
    assert all(r is not None for r in results)
    await recorder.record(cm, "Normal", "Pruned", "Prune", "n")

    pruned, synced = our_events(cs, namespace)
    check_series(synced, 3)
    assert synced.reporting_instance == "replica-2"
    assert (synced.regarding.kind, synced.regarding.uid) == ("ConfigMap", cm.metadata.uid)
    assert (pruned.reason, pruned.series) == ("Pruned", None)


def test_long_note_is_truncated_to_what_the_api_accepts(cs: Clientset, namespace: str) -> None:
    cm = listed_config_map(cs, namespace, "subject")
    recorder = EventRecorder(RestEventSink(cs.rest), CONTROLLER, "replica-1")
    assert recorder.record(cm, "Normal", "Synced", "Sync", "é" * 1000) is not None
    (event,) = our_events(cs, namespace)
    assert len(event.note.encode()) <= 1024 and event.note == "é" * 512
