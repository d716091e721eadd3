"""One convention across client families against the real apiserver (issue 11 §3): `delete`
returns the server's answer in the typed, dynamic and metadata clients alike: the object (here
marked for deletion while a finalizer holds it) or a `Status`; the typed `Scale` subresource
is written and read as the scale model its `ResourceInfo` names; every family's watch delivers
BOOKMARKs by one rule (`kubetyped.request.watch_bookmarks`)."""

# mypy: disable-error-code="union-attr"
# (model fields are Optional; the tests read those the server has set)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kubetyped import api
from kubetyped.discovery import GroupVersionResource
from kubetyped.dynamic import DynamicClient
from kubetyped.metadata import MetadataClient
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

FINALIZER = "kubetyped.io/hold"
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


def held(cs: Clientset, namespace: str, name: str) -> None:
    cs.core_v1.config_maps(namespace).create(
        ConfigMap(metadata=ObjectMeta(name=name, finalizers=[FINALIZER]))
    )


def release(cs: Clientset, namespace: str, name: str) -> None:
    patch = {"metadata": {"finalizers": None}}
    cs.core_v1.config_maps(namespace).patch(name, patch, "application/merge-patch+json")


def test_delete_returns_the_servers_answer_in_every_family(cs: Clientset, namespace: str) -> None:
    typed = cs.core_v1.config_maps(namespace)
    dynamic = DynamicClient(cs.rest).resource("", "v1", "configmaps").namespace(namespace)
    metadata = MetadataClient(cs.rest).resource(CONFIGMAPS).namespace(namespace)
    for name in ("typed", "dynamic", "metadata"):
        held(cs, namespace, name)

    # an object a finalizer holds: the answer is the object, marked for deletion
    marked_typed = typed.delete("typed")
    assert isinstance(marked_typed, ConfigMap)
    assert marked_typed.metadata.deletion_timestamp is not None
    marked_dynamic = dynamic.delete("dynamic")
    assert marked_dynamic["kind"] == "ConfigMap"
    assert marked_dynamic["metadata"]["deletionTimestamp"]
    marked_metadata = metadata.delete("metadata")
    assert isinstance(marked_metadata, api.PartialObjectMetadata)
    assert marked_metadata.metadata.name == "metadata"
    assert marked_metadata.metadata.deletion_timestamp is not None

    # once nothing holds it, deleting answers a Status (ConfigMaps do not return the object)
    for name in ("typed", "dynamic", "metadata"):
        release(cs, namespace, name)
    for name in ("a", "b", "c"):
        cs.core_v1.config_maps(namespace).create(ConfigMap(metadata=ObjectMeta(name=name)))
    gone_typed = typed.delete("a")
    assert isinstance(gone_typed, api.Status) and gone_typed.status == "Success"
    assert gone_typed.details.name == "a"
    assert dynamic.delete("b")["kind"] == "Status"
    gone_metadata = metadata.delete("c")
    assert isinstance(gone_metadata, api.Status) and gone_metadata.details.name == "c"


def test_typed_scale_speaks_the_scale_model_the_resource_names(
    cs: Clientset, namespace: str
) -> None:
    deployments = cs.apps_v1.deployments(namespace)
    model = deployments.resource.subresource_model("scale")
    deployments.create(
        Deployment.model_validate(
            {
                "metadata": {"name": "web"},
                "spec": {
                    "replicas": 1,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": {
                        "metadata": {"labels": {"app": "web"}},
                        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
                    },
                },
            }
        )
    )
    scale = deployments.get_scale("web")
    assert type(scale) is model
    scale.spec.replicas = 3
    updated = deployments.update_scale("web", scale)
    assert type(updated) is model and updated.spec.replicas == 3
    applied = deployments.apply_scale(
        "web", {"spec": {"replicas": 2}}, field_manager="conventions", force=True
    )
    assert type(applied) is model and applied.spec.replicas == 2
    assert deployments.get("web").spec.replicas == 2


def _event_kinds(events: Iterator[Any]) -> list[tuple[str, str | None]]:
    """(type, name) of each event; bookmarks carry no name."""
    out = []
    for event in events:
        obj = event.object
        meta = obj.get("metadata") or {} if isinstance(obj, dict) else obj.metadata.to_dict()
        out.append((event.type.value, meta.get("name")))
    return out


@pytest.mark.parametrize("family", ["typed", "dynamic", "metadata"])
def test_every_familys_watch_follows_one_bookmark_rule(
    cs: Clientset, namespace: str, family: str
) -> None:
    """A watch-list (`send_initial_events=True`) ends its initial events with a BOOKMARK that
    every family delivers; a plain watch (bookmarks left out) is not sent any (they are
    requested, for idle detection, and dropped), in every family alike."""
    cs.core_v1.config_maps(namespace).create(ConfigMap(metadata=ObjectMeta(name="one")))
    watchers = {
        "typed": cs.core_v1.config_maps(namespace),
        "dynamic": DynamicClient(cs.rest).resource("", "v1", "configmaps").namespace(namespace),
        "metadata": MetadataClient(cs.rest).resource(CONFIGMAPS).namespace(namespace),
    }
    client: Any = watchers[family]
    streamed = _event_kinds(
        client.watch(
            send_initial_events=True, resource_version_match="NotOlderThan", timeout_seconds=2
        )
    )
    assert streamed[0] == ("ADDED", "one")
    assert [t for t, _ in streamed].count("BOOKMARK") == 1, streamed  # initial events end
    plain = _event_kinds(client.watch(resource_version="0", timeout_seconds=2))
    assert plain == [("ADDED", "one")]
