"""Encoding models built by validation (`Model(...)`, `model_validate`, `model_validate_json`).

A validated model gets its wire form when it is validated (each nested model adds one dict of
its set fields, sharing its children's), so `to_json` is one `orjson.dumps` whatever the size
of the tree. What the wire form must hold: only the fields that were set (a field set to None
explicitly is written as null, an unset one is left out), wire names, unknown fields, Kubernetes
scalars in their wire formats, and after a round trip exactly the bytes that came in.
"""

# mypy: disable-error-code="union-attr, index, operator, attr-defined"
# (model fields are Optional; the tests read those they have set)

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest

from kubetyped.model import KubeModel, MicroTime
from kubetyped_kubernetes.models.core_v1 import (
    Container,
    ContainerPort,
    HTTPGetAction,
    Pod,
    PodList,
    PodSpec,
    Probe,
    ResourceRequirements,
)
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta
from tests.unit.test_model_roundtrip import realistic_pod, touch_everything


@contextmanager
def python_calls() -> Iterator[list[str]]:
    """Records the Python functions called inside the block (C functions are not recorded)."""
    calls: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(None)


def pod_list(count: int) -> bytes:
    items = []
    for i in range(count):
        pod = realistic_pod()
        pod["metadata"]["name"] = f"web-{i}"
        items.append(pod)
    return orjson.dumps({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": items})


# ---- encoding cost does not grow with the tree --------------------------------------------------


@pytest.mark.parametrize(
    "validate",
    [
        lambda body: PodList.model_validate_json(body),
        lambda body: PodList.model_validate(orjson.loads(body)),
        lambda body: PodList(**orjson.loads(body)),
    ],
    ids=["model_validate_json", "model_validate", "constructor"],
)
def test_first_encode_of_a_validated_tree_runs_no_python_per_model(validate: Any) -> None:
    small, large = validate(pod_list(2)), validate(pod_list(20))
    with python_calls() as small_calls:
        small_json = small.to_json()
    with python_calls() as large_calls:
        large_json = large.to_json()
    # one orjson.dumps of the kept wire form: the same few calls for 2 Pods and for 20
    # (building it from the fields here, or a Python serializer per nested model or per
    # time, costs calls per model: about 60 per Pod)
    assert len(large_calls) == len(small_calls) <= 5, large_calls[:20]
    assert orjson.loads(large_json) == orjson.loads(pod_list(20))
    assert orjson.loads(small_json) == orjson.loads(pod_list(2))


def test_a_model_built_by_hand_encodes_without_a_walk() -> None:
    pod = Pod(
        metadata=ObjectMeta(name="web", labels={"app": "web"}),
        spec=PodSpec(containers=[Container(name="app", image="nginx:1.27")]),
    )
    with python_calls() as calls:
        body = pod.to_json()
    assert len(calls) <= 5, calls
    assert body == (  # declaration order
        b'{"metadata":{"labels":{"app":"web"},"name":"web"},'
        b'"spec":{"containers":[{"image":"nginx:1.27","name":"app"}]}}'
    )


# ---- what the wire form holds -------------------------------------------------------------------


def test_only_set_fields_and_explicit_nulls() -> None:
    spec = PodSpec.model_validate({"containers": [], "nodeName": None, "hostname": "h"})
    assert spec.to_json() == b'{"containers":[],"hostname":"h","nodeName":null}'
    built = PodSpec(containers=[], node_name=None)
    assert built.to_json() == b'{"containers":[],"nodeName":null}'
    assert PodSpec(containers=[]).to_json() == b'{"containers":[]}'  # defaults never written


def test_wire_names_whichever_name_the_input_used() -> None:
    by_wire = Container.model_validate({"name": "a", "imagePullPolicy": "Always"})
    by_python = Container.model_validate({"name": "a", "image_pull_policy": "Always"})
    by_keyword = Container(name="a", image_pull_policy="Always")
    for model in (by_wire, by_python, by_keyword):
        assert model.to_json() == b'{"imagePullPolicy":"Always","name":"a"}'


def test_unknown_fields_are_kept_at_every_level() -> None:
    document = {
        "apiVersion": "v1",
        "kind": "Pod",
        "zzTop": {"a": [1, 2]},
        "metadata": {"name": "p", "zzMeta": "m"},
        "spec": {"containers": [{"name": "c", "zzFuture": True}], "zzSpec": None},
    }
    for pod in (Pod.model_validate(document), Pod.model_validate_json(orjson.dumps(document))):
        assert orjson.loads(pod.to_json()) == document


def test_scalars_are_written_in_their_wire_formats() -> None:
    plus_two = timezone(timedelta(hours=2))
    meta = ObjectMeta(
        name="p",
        creation_timestamp=datetime(2026, 1, 2, 5, 4, 5, 123456, tzinfo=plus_two),
        deletion_grace_period_seconds=30,
    )
    container = Container(
        name="c",
        image_pull_policy="SomeFuturePolicy",  # open enum: a newer server's value is kept
        resources=ResourceRequirements(limits={"cpu": 2, "memory": "1Gi"}),
        ports=[ContainerPort(container_port=80, name="http")],
        liveness_probe=Probe(http_get=HTTPGetAction(port="http")),
        readiness_probe=Probe(http_get=HTTPGetAction(port=8080)),
    )
    assert orjson.loads(meta.to_json()) == {
        "name": "p",
        "creationTimestamp": "2026-01-02T03:04:05Z",  # UTC, whole seconds
        "deletionGracePeriodSeconds": 30,
    }
    assert orjson.loads(container.to_json()) == {
        "name": "c",
        "imagePullPolicy": "SomeFuturePolicy",
        "resources": {"limits": {"cpu": "2", "memory": "1Gi"}},  # quantities as strings
        "ports": [{"containerPort": 80, "name": "http"}],
        "livenessProbe": {"httpGet": {"port": "http"}},  # int-or-string keeps its type
        "readinessProbe": {"httpGet": {"port": 8080}},
    }


def test_micro_time_keeps_six_digits() -> None:
    from kubetyped_kubernetes.models.coordination_v1 import LeaseSpec

    spec = LeaseSpec(renew_time=MicroTime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC))
    assert spec.to_json() == b'{"renewTime":"2026-01-02T03:04:05.000060Z"}'


# ---- round trips --------------------------------------------------------------------------------


def test_round_trip_is_byte_exact() -> None:
    body = pod_list(3)
    canonical = PodList.model_validate_json(body).to_json()  # declaration order
    for decode in (PodList.model_validate_json, PodList.from_json):
        again = decode(canonical)
        assert again.to_json() == canonical
        touch_everything(again)
        assert again.to_json() == canonical


def test_changes_after_validation_reach_the_wire_form() -> None:
    pod = Pod.model_validate(realistic_pod())
    pod.spec.containers[0].image = "registry.example.com/app:2"
    pod.spec.containers.append(Container(name="late"))
    pod.spec.containers[-1].image = "late:1"
    pod.metadata.labels["rollout"] = "2"
    pod.spec.node_name = None
    del pod.spec.service_account_name
    expected = realistic_pod()
    expected["spec"]["containers"][0]["image"] = "registry.example.com/app:2"
    expected["spec"]["containers"].append({"name": "late", "image": "late:1"})
    expected["metadata"]["labels"]["rollout"] = "2"
    expected["spec"]["nodeName"] = None
    del expected["spec"]["serviceAccountName"]
    assert orjson.loads(pod.to_json()) == expected


def test_a_users_local_subclass_encodes_its_fields() -> None:
    class Probed(Container):
        started_at: datetime | None = None

    class Spec(PodSpec):
        containers: list[Probed]  # type: ignore[assignment]

    spec = Spec(containers=[Probed(name="a", started_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))])
    assert orjson.loads(spec.to_json()) == {
        "containers": [{"name": "a", "started_at": "2026-01-02T03:04:05Z"}]
    }
    spec.containers[0].image = "x"
    assert orjson.loads(spec.to_json())["containers"][0]["image"] == "x"
    assert isinstance(spec, KubeModel)
