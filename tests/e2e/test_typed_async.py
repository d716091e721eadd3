"""The async clientset mirrors the sync one against the real apiserver."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from kubetyped.errors import AlreadyExistsError, ConflictError, InvalidError, NotFoundError
from kubetyped.request import PatchType
from kubetyped.watch import EventType
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.autoscaling_v1 import Scale
from kubetyped_kubernetes.models.core_v1 import ConfigMap, ConfigMapList
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta
from kubetyped_kubernetes.models.scheduling_v1 import PriorityClass


@pytest.fixture
async def acs(kubeconfig_path: Path) -> AsyncIterator[AsyncClientset]:
    async with AsyncClientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


async def test_async_configmap_crud(acs: AsyncClientset, namespace: str) -> None:
    maps = acs.core_v1.config_maps(namespace)
    created = await maps.create(ConfigMap(metadata=ObjectMeta(name="cm"), data={"a": "1"}))
    assert isinstance(created, ConfigMap)
    assert created.metadata.uid
    with pytest.raises(AlreadyExistsError):
        await maps.create(ConfigMap(metadata=ObjectMeta(name="cm")))

    got = await maps.get("cm")
    assert got == created
    stale = await maps.get("cm")
    got.data["b"] = "2"
    updated = await maps.update(got)
    assert updated.data == {"a": "1", "b": "2"}
    with pytest.raises(ConflictError):
        await maps.update(stale)

    json_patched = await maps.patch(
        "cm", [{"op": "add", "path": "/data/c", "value": "3"}], PatchType.JSON
    )
    assert json_patched.data == {"a": "1", "b": "2", "c": "3"}
    merged = await maps.patch("cm", {"data": {"a": None}}, PatchType.MERGE)
    assert merged.data == {"b": "2", "c": "3"}
    strategic = await maps.patch("cm", {"metadata": {"labels": {"l": "1"}}}, PatchType.STRATEGIC)
    assert strategic.metadata.labels == {"l": "1"}
    applied = await maps.apply(
        {"metadata": {"name": "cm"}, "data": {"d": "4"}}, field_manager="async-test", force=True
    )
    assert applied.data["d"] == "4"

    listed = await maps.list()
    assert isinstance(listed, ConfigMapList)
    assert [item.metadata.name for item in listed.items] == ["cm"]

    await maps.delete("cm")
    with pytest.raises(NotFoundError):
        await maps.get("cm")
    with pytest.raises(InvalidError):
        await maps.create(ConfigMap(metadata=ObjectMeta(name="Bad_Name")))


async def test_async_iterate_watch_and_delete_collection(
    acs: AsyncClientset, namespace: str
) -> None:
    maps = acs.core_v1.config_maps(namespace)
    start = (await maps.list()).metadata.resource_version
    await asyncio.gather(
        *(
            maps.create(ConfigMap(metadata=ObjectMeta(name=f"item-{i}", labels={"batch": "x"})))
            for i in range(5)
        )
    )
    names = [item.metadata.name async for item in maps.iterate(page_size=2)]
    assert sorted(str(name) for name in names) == [f"item-{i}" for i in range(5)]

    added: set[str | None] = set()
    events = maps.watch(resource_version=start, timeout_seconds=10)
    try:
        async for event in events:
            if event.type is EventType.ADDED:
                assert isinstance(event.object, ConfigMap)
                added.add(event.object.metadata.name)
            if len(added) == 5:
                break
    finally:
        await events.aclose()
    assert added == set(names)

    await maps.delete_collection(label_selector="batch=x")
    assert (await maps.list()).items == []


async def test_async_cluster_scoped_and_scale(acs: AsyncClientset, namespace: str) -> None:
    classes = acs.scheduling_v1.priority_classes()
    name = f"async-{secrets.token_hex(4)}"
    await classes.create(PriorityClass(metadata=ObjectMeta(name=name), value=7))
    try:
        assert (await classes.get(name)).value == 7
    finally:
        await classes.delete(name)

    deployments = acs.apps_v1.deployments(namespace)
    await deployments.create(
        Deployment.model_validate(
            {
                "metadata": {"name": "web"},
                "spec": {
                    "replicas": 1,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {
                        "metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "app", "image": "nginx"}]},
                    },
                },
            }
        )
    )
    scale = await deployments.get_scale("web")
    assert isinstance(scale, Scale)
    scale.spec.replicas = 4
    assert (await deployments.update_scale("web", scale)).spec.replicas == 4
    patched = await deployments.patch_scale("web", {"spec": {"replicas": 2}}, PatchType.MERGE)
    assert patched.spec.replicas == 2
    current = await deployments.get("web")
    current.status = Deployment.model_validate({"status": {"replicas": 2}}).status
    assert (await deployments.update_status(current)).status.replicas == 2


async def test_sync_and_async_see_the_same_objects(
    acs: AsyncClientset, kubeconfig_path: Path, namespace: str
) -> None:
    await acs.core_v1.config_maps(namespace).create(
        ConfigMap(metadata=ObjectMeta(name="shared"), data={"k": "v"})
    )
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as cs:
        from_sync = cs.core_v1.config_maps(namespace).get("shared")
    from_async = await acs.core_v1.config_maps(namespace).get("shared")
    assert from_sync == from_async
    assert from_sync.to_json() == from_async.to_json()
