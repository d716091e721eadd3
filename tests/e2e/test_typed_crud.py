"""Every verb of the generated typed clients against the real apiserver (sync clientset)."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from kubetyped.errors import NotFoundError
from kubetyped.request import PatchType
from kubetyped.typed import ALL_NAMESPACES
from kubetyped.watch import EventType
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.core_v1 import ConfigMap, ConfigMapList
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta
from kubetyped_kubernetes.models.scheduling_v1 import PriorityClass


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


def config_map(name: str, **data: str) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, labels={"suite": "typed"}), data=data)


def test_configmap_create_get_list_update_delete(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    created = maps.create(config_map("cm", a="1"))
    assert isinstance(created, ConfigMap)
    assert created.metadata.uid
    assert created.metadata.namespace == namespace
    assert created.data == {"a": "1"}

    got = maps.get("cm")
    assert got == created
    got.data["b"] = "2"
    updated = maps.update(got)
    assert updated.data == {"a": "1", "b": "2"}
    assert int(updated.metadata.resource_version or 0) > int(created.metadata.resource_version or 0)

    listed = maps.list(label_selector="suite=typed")
    assert isinstance(listed, ConfigMapList)
    assert [item.metadata.name for item in listed.items] == ["cm"]
    assert isinstance(listed.items[0], ConfigMap)
    everywhere = cs.core_v1.config_maps(ALL_NAMESPACES).list(label_selector="suite=typed")
    assert ("cm", namespace) in {(i.metadata.name, i.metadata.namespace) for i in everywhere.items}

    maps.delete("cm", grace_period_seconds=0)
    with pytest.raises(NotFoundError):
        maps.get("cm")


def test_iterate_paginates(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    names = [f"page-{index:02d}" for index in range(7)]
    for name in names:
        maps.create(config_map(name))
    first_page = maps.list(limit=3)
    assert len(first_page.items) == 3
    assert first_page.metadata.continue_
    second_page = maps.list(limit=3, continue_=first_page.metadata.continue_)
    assert [i.metadata.name for i in second_page.items] == names[3:6]

    iterated = list(maps.iterate(page_size=2, label_selector="suite=typed"))
    assert [item.metadata.name for item in iterated] == names
    assert all(isinstance(item, ConfigMap) for item in iterated)


def test_watch_sees_typed_events(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    start = maps.list().metadata.resource_version
    maps.create(config_map("watched", v="1"))
    maps.patch("watched", {"data": {"v": "2"}}, PatchType.MERGE)
    maps.delete("watched")

    seen: list[tuple[EventType, str | None, str | None]] = []
    for event in maps.watch(resource_version=start, timeout_seconds=10):
        if event.type is EventType.BOOKMARK:
            continue
        assert isinstance(event.object, ConfigMap)
        seen.append((event.type, event.object.metadata.name, (event.object.data or {}).get("v")))
        if event.type is EventType.DELETED:
            break
    assert seen == [
        (EventType.ADDED, "watched", "1"),
        (EventType.MODIFIED, "watched", "2"),
        (EventType.DELETED, "watched", "2"),
    ]
    # the abandoned watch did not break the client
    assert maps.list().items == []


def test_all_patch_kinds(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    maps.create(config_map("patched", a="1", b="2"))

    json_patched = maps.patch(
        "patched",
        [{"op": "add", "path": "/data/c", "value": "3"}, {"op": "remove", "path": "/data/a"}],
        PatchType.JSON,
    )
    assert json_patched.data == {"b": "2", "c": "3"}

    merged = maps.patch("patched", {"data": {"b": None, "d": "4"}}, PatchType.MERGE)
    assert merged.data == {"c": "3", "d": "4"}

    strategic = maps.patch(
        "patched", {"metadata": {"labels": {"extra": "yes"}}}, PatchType.STRATEGIC
    )
    assert strategic.metadata.labels == {"suite": "typed", "extra": "yes"}

    with_model = maps.patch("patched", ConfigMap(data={"e": "5"}), PatchType.MERGE)
    assert with_model.data == {"c": "3", "d": "4", "e": "5"}
    assert maps.get("patched").data == {"c": "3", "d": "4", "e": "5"}


def test_strategic_merge_patch_merges_containers_by_name(cs: Clientset, namespace: str) -> None:
    deployments = cs.apps_v1.deployments(namespace)
    deployments.create(_deployment("smp"))
    patched = deployments.patch(
        "smp",
        {"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:2"}]}}}},
        PatchType.STRATEGIC,
    )
    containers = patched.spec.template.spec.containers
    assert [(c.name, c.image) for c in containers] == [("app", "nginx:2"), ("side", "busybox")]


def test_server_side_apply(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    applied = maps.apply(
        ConfigMap(metadata=ObjectMeta(name="applied"), data={"owned": "1"}), field_manager="alpha"
    )
    assert applied.data == {"owned": "1"}
    managers = {entry.manager for entry in applied.metadata.managed_fields}
    assert "alpha" in managers
    # a second manager takes the field only with force
    from kubetyped.errors import ConflictError

    with pytest.raises(ConflictError):
        maps.apply({"metadata": {"name": "applied"}, "data": {"owned": "2"}}, field_manager="beta")
    forced = maps.apply(
        {"metadata": {"name": "applied"}, "data": {"owned": "2"}}, field_manager="beta", force=True
    )
    assert forced.data == {"owned": "2"}
    dry = maps.apply(
        {"metadata": {"name": "applied"}, "data": {"owned": "3"}},
        field_manager="beta",
        dry_run=True,
    )
    assert dry.data == {"owned": "3"}
    assert maps.get("applied").data == {"owned": "2"}


def test_delete_collection(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps(namespace)
    for name in ("keep", "drop-1", "drop-2"):
        obj = config_map(name)
        obj.metadata.labels["fate"] = "keep" if name == "keep" else "drop"
        maps.create(obj)
    maps.delete_collection(label_selector="fate=drop")
    assert [item.metadata.name for item in maps.list().items] == ["keep"]


def test_cluster_scoped_priority_class(cs: Clientset) -> None:
    classes = cs.scheduling_v1.priority_classes()
    name = f"typed-{secrets.token_hex(4)}"
    created = classes.create(
        PriorityClass(metadata=ObjectMeta(name=name), value=1000, description="x")
    )
    try:
        assert isinstance(created, PriorityClass)
        assert created.metadata.namespace is None
        assert created.value == 1000
        got = classes.get(name)
        got.description = "updated"
        assert classes.update(got).description == "updated"
        assert (
            classes.patch(name, {"description": "merged"}, PatchType.MERGE).description == "merged"
        )
        applied = classes.apply(
            {"metadata": {"name": name}, "value": 1000, "description": "applied"},
            field_manager="typed-test",
            force=True,
        )
        assert applied.description == "applied"
        names = {item.metadata.name for item in classes.iterate(page_size=1)}
        assert {name, "system-node-critical", "system-cluster-critical"} <= names
    finally:
        classes.delete(name)
    with pytest.raises(NotFoundError):
        classes.get(name)


def test_cluster_scoped_namespace_client(cs: Clientset, namespace: str) -> None:
    got = cs.core_v1.namespaces().get(namespace)
    assert got.metadata.name == namespace
    assert got.status.phase == "Active"
    listed = {item.metadata.name for item in cs.core_v1.namespaces().list().items}
    assert {namespace, "default"} <= listed


def _deployment(name: str) -> dict[str, object]:
    labels = {"app": name}
    return {
        "metadata": {"name": name},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {"name": "app", "image": "nginx:1"},
                        {"name": "side", "image": "busybox"},
                    ]
                },
            },
        },
    }
