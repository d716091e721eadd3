"""The fake clientsets: typed clients, reactors, actions, dynamic client, informers, async."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kubetyped.dynamic import DynamicClient
from kubetyped.errors import (
    BadRequestError,
    ConflictError,
    ForbiddenError,
    MethodNotAllowedError,
    NotFoundError,
    NotServedError,
    UnsupportedMediaTypeError,
)
from kubetyped.fake import Action, FakeClientsetMixin, fake_clientset
from kubetyped.fake.errors import conflict
from kubetyped.request import PatchType
from kubetyped_kubernetes import (
    AsyncFakeClientset,
    Clientset,
    FakeClientset,
    SharedInformerFactory,
)
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta


def _cm(name: str, namespace: str = "ns", **data: str) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, namespace=namespace), data=data or None)


def test_fake_is_a_real_generated_clientset() -> None:
    fake = FakeClientset(objects=[_cm("seed", a="1")])
    assert isinstance(fake, Clientset)
    got = fake.core_v1.config_maps("ns").get("seed")
    assert isinstance(got, ConfigMap) and got.data == {"a": "1"}
    assert got.metadata.resource_version == "1"


def test_typed_errors_come_from_status_bodies() -> None:
    fake = FakeClientset()
    cms = fake.core_v1.config_maps("ns")
    with pytest.raises(NotFoundError) as missing:
        cms.get("nope")
    assert missing.value.status["details"] == {"name": "nope", "kind": "configmaps"}
    created = cms.create(_cm("a"))
    cms.update({**created.to_dict(), "data": {"x": "0"}})
    with pytest.raises(ConflictError, match="has been modified"):
        cms.update({**created.to_dict(), "data": {"x": "1"}})  # stale resourceVersion


def test_bad_requests_are_typed() -> None:
    fake = FakeClientset()
    http = fake.rest.http_client
    garbage = http.post(
        "/api/v1/namespaces/ns/configmaps",
        content=b"{nope",
        headers={"content-type": "application/json"},
    )
    assert garbage.status_code == 400
    with pytest.raises(BadRequestError):
        fake.rest.create("/api/v1/namespaces/ns/configmaps", b"{nope")
    with pytest.raises(NotServedError, match=r"does not serve widgets in example\.com/v1"):
        fake.rest.get("/apis/example.com/v1/widgets")
    with pytest.raises(UnsupportedMediaTypeError):
        fake.rest.send(
            httpx.Request(
                "PATCH",
                "/api/v1/namespaces/ns/configmaps/a",
                content=b"{}",
                headers={"content-type": "text/plain"},
            )
        )
    with pytest.raises(MethodNotAllowedError, match="scale"):
        fake.apps_v1.deployments("ns").get_scale("web")


def test_actions_are_recorded() -> None:
    fake = FakeClientset()
    cms = fake.core_v1.config_maps("ns")
    cms.create(_cm("a"))
    cms.patch("a", {"data": {"k": "v"}}, PatchType.MERGE)
    cms.list(label_selector="x=y")
    cms.delete("a")
    actions = fake.actions()
    assert [(a.verb, a.resource, a.name) for a in actions] == [
        ("create", "configmaps", None),
        ("patch", "configmaps", "a"),
        ("list", "configmaps", None),
        ("delete", "configmaps", "a"),
    ]
    assert actions[0].object is not None and actions[0].object["metadata"]["name"] == "a"
    assert actions[1].patch == {"data": {"k": "v"}} and actions[1].patch_type == PatchType.MERGE
    assert actions[2].label_selector == "x=y"
    fake.clear_actions()
    assert fake.actions() == []


def test_reactors_inject_errors_and_answers() -> None:
    fake = FakeClientset(objects=[_cm("a")])
    cms = fake.core_v1.config_maps("ns")
    calls: list[Action] = []

    def deny(action: Action) -> tuple[bool, Any]:
        calls.append(action)
        return True, conflict("", "configmaps", action.name or "", "injected")

    fake.prepend_reactor("update", "configmaps", deny)
    with pytest.raises(ConflictError, match="injected"):
        cms.update(cms.get("a"))
    assert len(calls) == 1
    # a canned answer for get; a reactor that declines passes to the next one
    fake.prepend_reactor("get", "*", lambda a: (a.name == "virtual", _cm("virtual", answer="42")))
    assert cms.get("virtual").data == {"answer": "42"}
    assert cms.get("a").data is None
    # any other exception reaches the caller unchanged
    fake.prepend_reactor("delete", "configmaps", lambda a: (True, PermissionError("nope")))
    with pytest.raises(PermissionError):
        cms.delete("a")
    fake.append_reactor("*", "*", lambda a: (True, ForbiddenError(403, "Forbidden", "later")))
    with pytest.raises(ForbiddenError) as info:
        cms.list()
    # an ApiError built without a Status reaches the client as the Status the apiserver sends
    assert info.value.status == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "later",
        "reason": "Forbidden",
        "code": 403,
    }


def test_status_reactor_matches_subresource() -> None:
    fake = FakeClientset()
    seen: list[str | None] = []
    fake.prepend_reactor(
        "update", "deployments/status", lambda a: (seen.append(a.subresource) or False, None)
    )
    deps = fake.apps_v1.deployments("ns")
    created = deps.create({"metadata": {"name": "d"}, "spec": {"selector": {}, "template": {}}})
    deps.update(created)
    deps.update_status(created)
    assert seen == ["status"]


def test_reactor_canned_watch_events() -> None:
    fake = FakeClientset()
    fake.prepend_reactor(
        "watch", "configmaps", lambda a: (True, [("ADDED", _cm("x")), ("DELETED", _cm("x"))])
    )
    events = [
        (e.type.value, e.object.metadata.name) for e in fake.core_v1.config_maps("ns").watch()
    ]
    assert events == [("ADDED", "x"), ("DELETED", "x")]


def test_dynamic_client_and_discovery_work_on_the_fake() -> None:
    fake = FakeClientset(
        objects=[
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "ns"},
                "spec": {"replicas": 2},
            }
        ]
    )
    dynamic = DynamicClient(fake.rest)
    deployments = dynamic.resource_for_kind("apps/v1", "Deployment").namespace("ns")
    assert deployments.get("web")["spec"]["replicas"] == 2


def test_iterate_pages_through_the_fake() -> None:
    fake = FakeClientset(objects=[_cm(f"c{i:02}") for i in range(7)])
    names = [c.metadata.name for c in fake.core_v1.config_maps("ns").iterate(page_size=3)]
    assert names == [f"c{i:02}" for i in range(7)]
    pages = [a.params.get("limit") for a in fake.actions() if a.verb == "list"]
    assert pages == ["3", "3", "3"]


def test_informer_driven_controller_loop() -> None:
    """A tiny controller: copies each ConfigMap's `a` key into a `-copy` ConfigMap."""
    fake = FakeClientset(objects=[_cm("one", a="1")])
    factory = SharedInformerFactory(fake, namespace="ns")
    informer = factory.core_v1.config_maps().informer()
    done = threading.Event()

    def reconcile(obj: ConfigMap) -> None:
        name = obj.metadata.name
        if name.endswith("-copy"):
            return
        copies = fake.core_v1.config_maps("ns")
        copies.apply(
            {"metadata": {"name": f"{name}-copy"}, "data": obj.data or {}}, field_manager="copier"
        )
        if name == "two":
            done.set()

    informer.add_event_handler(
        on_add=lambda obj, _initial: reconcile(obj), on_update=lambda old, new: reconcile(new)
    )
    factory.start()
    try:
        assert factory.wait_for_cache_sync(timeout=5)
        fake.core_v1.config_maps("ns").create(_cm("two", a="2"))
        assert done.wait(5)
        deadline = time.monotonic() + 5
        lister = factory.core_v1.config_maps().lister()
        while time.monotonic() < deadline and len(lister.list()) < 4:
            time.sleep(0.02)
        assert sorted(c.metadata.name for c in lister.list()) == [
            "one",
            "one-copy",
            "two",
            "two-copy",
        ]
        assert fake.core_v1.config_maps("ns").get("two-copy").data == {"a": "2"}
    finally:
        factory.shutdown(timeout=5)
        fake.close()


def _wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_closing_the_fake_ends_its_watches() -> None:
    fake = FakeClientset()
    watch = fake.core_v1.config_maps("ns").watch()
    result: list[str] = []

    def consume() -> None:
        for event in watch:
            result.append(event.type.value)

    thread = threading.Thread(target=consume)
    thread.start()
    _wait_until(lambda: fake.tracker.watcher_count == 1)  # the watch opens on first iteration
    fake.core_v1.config_maps("ns").create(_cm("a"))
    _wait_until(lambda: result == ["ADDED"])
    assert fake.tracker.watcher_count == 1
    fake.close()
    thread.join(5)
    assert not thread.is_alive() and result == ["ADDED"]
    assert fake.tracker.watcher_count == 0


def test_watch_timeout_seconds_ends_the_stream() -> None:
    fake = FakeClientset()
    started = time.monotonic()
    assert list(fake.core_v1.config_maps("ns").watch(timeout_seconds=1)) == []
    assert 0.9 < time.monotonic() - started < 3


def test_fake_clientset_for_any_generated_class() -> None:
    fake = fake_clientset(Clientset, objects=[_cm("a")])
    assert isinstance(fake, FakeClientsetMixin) and isinstance(fake, Clientset)
    assert fake.core_v1.config_maps("ns").get("a").metadata.name == "a"
    assert type(fake) is type(fake_clientset(Clientset))


async def test_async_fake_shares_a_tracker_and_watches() -> None:
    sync_fake = FakeClientset()
    fake = AsyncFakeClientset(tracker=sync_fake.tracker)
    cms = fake.core_v1.config_maps("ns")
    events: list[tuple[str, str]] = []

    async def consume() -> None:
        async for event in cms.watch(timeout_seconds=5):
            events.append((event.type.value, event.object.metadata.name))
            if len(events) == 3:
                return

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.05)
    await cms.create(_cm("a"))
    # a write from another thread reaches the async watcher in order
    await asyncio.to_thread(sync_fake.core_v1.config_maps("ns").create, _cm("b"))
    await cms.patch("a", {"data": {"k": "v"}}, PatchType.STRATEGIC)
    await asyncio.wait_for(task, 5)
    assert events == [("ADDED", "a"), ("ADDED", "b"), ("MODIFIED", "a")]
    assert (await cms.get("b")).metadata.name == "b"
    await fake.close()
