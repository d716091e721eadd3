"""Objects read from the real apiserver, held in a user's own pydantic model, dump whole.

pydantic's serializer reads a model's fields directly; objects from `get`, `list` and an
informer's cache are decoded lazily and had not read theirs, so a user's `model_dump` gave `{}`
for them (issue 16 follow-up; unit tests in tests/unit/test_model_in_user_models.py). The oracle
is the object's own wire form (`to_dict`) and, when installed, `kubectl get -o json`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pydantic
import pytest

from kubetyped_kubernetes import Clientset, SharedInformerFactory
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

pytestmark = pytest.mark.e2e


class Report(pydantic.BaseModel):
    """What a user might keep: a few objects from the cluster, dumped as JSON later."""

    config_map: ConfigMap
    listed: list[ConfigMap]


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


def test_objects_from_get_list_and_an_informer_dump_whole_in_a_user_model(
    cs: Clientset, namespace: str, kubeconfig_path: Path
) -> None:
    config_maps = cs.core_v1.config_maps(namespace)
    for name in ("one", "two"):
        config_maps.create(
            ConfigMap(
                metadata=ObjectMeta(name=name, labels={"app": "report"}),
                data={"key": f"value-{name}"},
            )
        )
    fetched = config_maps.get("one")
    listed = config_maps.list(label_selector="app=report").items
    expected_one = fetched.to_dict()
    expected_listed = [
        item.to_dict() for item in config_maps.list(label_selector="app=report").items
    ]

    dumped = json.loads(
        Report(config_map=fetched, listed=listed).model_dump_json(by_alias=True, exclude_unset=True)
    )

    assert dumped == {"config_map": expected_one, "listed": expected_listed}
    assert dumped["config_map"]["data"] == {"key": "value-one"}
    kubectl = shutil.which("kubectl")
    if kubectl is not None:  # the oracle: what kubectl reads for the same object
        shown = json.loads(
            subprocess.run(
                [kubectl, "--kubeconfig", str(kubeconfig_path), "--context", "admin",
                 "-n", namespace, "get", "configmap", "one", "-o", "json"],
                check=True, capture_output=True, text=True,
            ).stdout
        )  # fmt: skip
        assert dumped["config_map"]["data"] == shown["data"]
        assert dumped["config_map"]["metadata"]["uid"] == shown["metadata"]["uid"]

    factory = SharedInformerFactory(cs, namespace=namespace)
    lister = factory.core_v1.config_maps().lister()
    factory.start()
    try:
        assert factory.wait_for_cache_sync(timeout=30)
        cached = lister.namespaced(namespace).get("two")
        from_cache = Report(config_map=cached, listed=[]).model_dump(
            by_alias=True, exclude_unset=True
        )
    finally:
        factory.shutdown()
    assert from_cache["config_map"]["data"] == {"key": "value-two"}
    assert from_cache["config_map"]["metadata"]["name"] == "two"
