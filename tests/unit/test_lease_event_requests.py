"""Leader election's lease lock and the event recorder's sink go through the typed clients'
request builder with the real API models (issue 11 §3): no hand-written paths or dicts.

Checked against the fake apiserver (an httpx transport): what reaches it (verb, resource,
namespace, name) and what comes back (`kubetyped.api.Lease` / `kubetyped.api.Event` models).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kubetyped import api
from kubetyped.events import AsyncEventRecorder, AsyncRestEventSink, EventRecorder, RestEventSink
from kubetyped.events.common import EVENTS
from kubetyped.leaderelection import (
    LEASES,
    AsyncLeaderElector,
    AsyncRestLeaseLock,
    LeaderElectionConfig,
    LeaderElector,
    LockConflictError,
    RestLeaseLock,
)
from kubetyped.leaderelection.core import ElectionCore
from kubetyped.typed.resource import ResourceInfo
from kubetyped_kubernetes import AsyncFakeClientset, FakeClientset
from kubetyped_kubernetes.clients import coordination_v1, events_v1
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def same_resource(runtime: ResourceInfo, generated: ResourceInfo) -> None:
    for field in ("group", "version", "plural", "singular", "kind", "list_kind", "namespaced"):
        assert getattr(runtime, field) == getattr(generated, field), field
    assert runtime.verbs == generated.verbs
    assert runtime.model_class() is generated.model_class()
    assert runtime.list_model_class() is generated.list_model_class()


def test_lease_and_event_resources_match_the_generated_clients() -> None:
    same_resource(LEASES, coordination_v1.LEASES)
    same_resource(EVENTS, events_v1.EVENTS)


def test_rest_lease_lock_reads_and_writes_lease_models() -> None:
    fake = FakeClientset()
    lock = RestLeaseLock(fake.rest, "ns", "lock")
    assert lock.get() is None
    cfg = LeaderElectionConfig("a", lease_duration=10, renew_deadline=5, retry_period=1)
    core = ElectionCore(cfg, "ns", "lock", lambda: 0.0, lambda: NOW)
    plan = core.plan(None)
    assert plan is not None
    created = lock.create(plan.lease)
    assert isinstance(created, api.Lease)
    assert created.metadata is not None and created.metadata.resource_version
    with pytest.raises(LockConflictError):
        lock.create(plan.lease)
    current = lock.get()
    assert isinstance(current, api.Lease) and current.spec is not None
    assert current.spec.holder_identity == "a" and current.spec.renew_time == NOW
    stale = current.model_copy(deep=True)
    current.spec.lease_transitions = 1  # a change: a no-op update keeps the resourceVersion
    updated = lock.update(current)
    assert updated.metadata is not None and created.metadata is not None
    assert updated.metadata.resource_version != created.metadata.resource_version
    with pytest.raises(LockConflictError):
        lock.update(stale)  # the resourceVersion it was read at is gone
    seen = [(a.verb, a.resource, a.namespace, a.name) for a in fake.actions()]
    assert seen == [
        ("get", "leases", "ns", "lock"),
        ("create", "leases", "ns", None),
        ("create", "leases", "ns", None),
        ("get", "leases", "ns", "lock"),
        ("update", "leases", "ns", "lock"),
        ("update", "leases", "ns", "lock"),
    ]
    assert fake.coordination_v1.leases("ns").get("lock").spec.holder_identity == "a"  # type: ignore[union-attr]


def test_sync_elector_leads_through_the_rest_lock() -> None:
    fake = FakeClientset()
    cfg = LeaderElectionConfig("a", lease_duration=10, renew_deadline=5, retry_period=1)
    elector = LeaderElector(RestLeaseLock(fake.rest, "ns", "lock"), cfg)
    assert elector.try_acquire_or_renew(5.0)
    assert elector.leader == "a"
    assert elector.try_acquire_or_renew(5.0)  # a renewal: update with the read resourceVersion
    lease = fake.coordination_v1.leases("ns").get("lock")
    assert lease.spec is not None and lease.spec.lease_duration_seconds == 10
    assert lease.spec.lease_transitions == 0


async def test_async_elector_leads_and_releases_through_the_rest_lock() -> None:
    fake = AsyncFakeClientset()
    cfg = LeaderElectionConfig("a", lease_duration=10, renew_deadline=5, retry_period=1)
    elector = AsyncLeaderElector(AsyncRestLeaseLock(fake.rest, "ns", "lock"), cfg)
    assert await elector.try_acquire_or_renew(5.0)
    assert await elector.release()
    lease = await fake.coordination_v1.leases("ns").get("lock")
    assert lease.spec is not None
    assert (lease.spec.holder_identity, lease.spec.lease_duration_seconds) == ("", 1)


def test_event_sink_writes_event_models_and_series_patches() -> None:
    fake = FakeClientset()
    cm = ConfigMap(metadata=ObjectMeta(name="subject", namespace="ns", uid="u1"))
    recorder = EventRecorder(RestEventSink(fake.rest), "ctrl", "ctrl-1")
    first = recorder.record(cm, "Normal", "Synced", "Sync", "done")
    again = recorder.record(cm, "Normal", "Synced", "Sync", "done")
    assert isinstance(first, api.Event) and isinstance(again, api.Event)
    assert first.metadata is not None and again.metadata is not None
    assert again.metadata.name == first.metadata.name
    assert again.series is not None and again.series.count == 2
    assert first.regarding is not None
    assert (first.regarding.kind, first.regarding.api_version) == ("ConfigMap", "v1")
    seen = [(a.verb, a.group, a.resource, a.namespace) for a in fake.actions()]
    assert seen == [
        ("create", "events.k8s.io", "events", "ns"),
        ("patch", "events.k8s.io", "events", "ns"),
    ]


async def test_async_event_sink_writes_event_models() -> None:
    fake = AsyncFakeClientset()
    recorder = AsyncEventRecorder(AsyncRestEventSink(fake.rest), "ctrl", "ctrl-1")
    cm = ConfigMap(metadata=ObjectMeta(name="subject", namespace="ns"))
    event = await recorder.record(cm, "Warning", "Failed", "Sync", "boom")
    assert isinstance(event, api.Event) and event.type == "Warning"
    (stored,) = (await fake.events_v1.events("ns").list()).items
    assert stored.note == "boom" and stored.reporting_controller == "ctrl"
