"""Encoding keeps the wire form exact whichever way a model was changed.

A decoded model keeps its JSON after materialising and every change writes through to it, so
`to_json` is one `orjson.dumps`. These tests drive random sequences of changes through every
entry point (assignment, deletion, in-place changes of lists and dicts, `model_fields_set`,
`model_extra`, copies, nested models shared between parents) on both model paths and compare the
result with the same changes applied to plain JSON.
"""

# mypy: disable-error-code="union-attr, index, operator, attr-defined, call-overload"
# (model fields are Optional; the tests read those the input has set)

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubetyped.model import KubeModel
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.core_v1 import (
    Container,
    ContainerPort,
    Pod,
    PodList,
    PodSecurityContext,
    Toleration,
)
from tests.unit.test_model_roundtrip import realistic_deployment, realistic_pod, touch_everything

Json = dict[str, Any]


def lazy(model: type[KubeModel], data: Json) -> Any:
    return model.from_json(orjson.dumps(data))


def validated(model: type[KubeModel], data: Json) -> Any:
    return model.model_validate(copy.deepcopy(data))


def list_item(model: type[KubeModel], data: Json) -> Any:
    assert model is Pod
    return PodList.from_json(orjson.dumps({"kind": "PodList", "items": [data]})).items[0]


PATHS = [lazy, validated, list_item]
PATH_IDS = ["from_json", "model_validate", "list_item"]


def wire(obj: KubeModel) -> Json:
    encoded = orjson.loads(obj.to_json())
    assert encoded == obj.to_dict()
    return encoded


# ---- byte-exact output of what came in ----------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "build"), [(Pod, realistic_pod), (Deployment, realistic_deployment)]
)
def test_reading_every_field_keeps_the_input_bytes(model: type[KubeModel], build: Any) -> None:
    body = orjson.dumps(build())
    obj = model.from_json(body)
    assert touch_everything(obj) > 200
    assert obj.to_json() == body  # same keys, same order, nothing injected


def test_a_list_item_read_in_part_encodes_its_changes() -> None:
    body = orjson.dumps({"kind": "PodList", "items": [realistic_pod()]})
    listed = PodList.from_json(body)
    pod = listed.items[0]
    assert pod.metadata.name  # metadata parsed; spec and status not yet
    assert listed.to_json() == body
    pod.spec.containers[0].image = "changed"
    pod.metadata.labels["new"] = "1"
    expected = orjson.loads(body)
    expected["items"][0]["spec"]["containers"][0]["image"] = "changed"
    expected["items"][0]["metadata"]["labels"]["new"] = "1"
    assert listed.to_json() == orjson.dumps(expected)
    assert pod.to_json() == orjson.dumps(expected["items"][0])


def test_a_read_list_keeps_its_bytes_and_a_change_lands_in_place() -> None:
    body = orjson.dumps({"kind": "PodList", "items": [realistic_pod(), realistic_pod()]})
    listed = PodList.from_json(body)
    touch_everything(listed)
    assert listed.to_json() == body
    listed.items[1].spec.containers[0].image = "changed"
    expected = orjson.loads(body)
    expected["items"][1]["spec"]["containers"][0]["image"] = "changed"
    assert listed.to_json() == orjson.dumps(expected)  # key order kept around the change


# ---- every way of changing a model ----------------------------------------------------------


def _set_image(obj: Any, data: Json, n: int) -> None:
    obj.spec.containers[0].image = f"img:{n}"
    data["spec"]["containers"][0]["image"] = f"img:{n}"


def _set_label_in_place(obj: Any, data: Json, n: int) -> None:
    obj.metadata.labels[f"k{n}"] = str(n)
    data["metadata"]["labels"][f"k{n}"] = str(n)


def _replace_labels(obj: Any, data: Json, n: int) -> None:
    obj.metadata.labels = {"only": str(n)}
    data["metadata"]["labels"] = {"only": str(n)}


def _append_container(obj: Any, data: Json, n: int) -> None:
    obj.spec.containers.append(
        Container(name=f"extra{n}", image="x", ports=[ContainerPort(container_port=80 + n)])
    )
    data["spec"]["containers"].append(
        {"name": f"extra{n}", "image": "x", "ports": [{"containerPort": 80 + n}]}
    )


def _change_appended_container(obj: Any, data: Json, n: int) -> None:
    # a model built by validation, changed after it was put in the tree
    obj.spec.containers[-1].working_dir = f"/w{n}"
    data["spec"]["containers"][-1]["workingDir"] = f"/w{n}"


def _pop_container(obj: Any, data: Json, n: int) -> None:
    if len(obj.spec.containers) > 1:
        obj.spec.containers.pop()
        data["spec"]["containers"].pop()


def _replace_nested_model(obj: Any, data: Json, n: int) -> None:
    obj.spec.security_context = PodSecurityContext(run_as_user=n)
    data["spec"]["securityContext"] = {"runAsUser": n}


def _change_replaced_nested_model(obj: Any, data: Json, n: int) -> None:
    if obj.spec.security_context is None:
        return
    obj.spec.security_context.run_as_group = n
    data["spec"].setdefault("securityContext", {})["runAsGroup"] = n


def _set_time(obj: Any, data: Json, n: int) -> None:
    obj.metadata.creation_timestamp = datetime(2030, 1, 2, 3, 4, n % 60, 999, tzinfo=UTC)
    data["metadata"]["creationTimestamp"] = f"2030-01-02T03:04:{n % 60:02d}Z"


def _unset_via_fields_set(obj: Any, data: Json, n: int) -> None:
    if "generation" in obj.metadata.model_fields_set:
        obj.metadata.model_fields_set.discard("generation")
        data["metadata"].pop("generation", None)


def _unknown_field_via_model_extra(obj: Any, data: Json, n: int) -> None:
    obj.spec.model_extra[f"zzFuture{n}"] = {"n": n}
    data["spec"][f"zzFuture{n}"] = {"n": n}


def _toleration_list_replaced(obj: Any, data: Json, n: int) -> None:
    obj.spec.tolerations = [Toleration(key=f"t{n}", operator="Exists")]
    data["spec"]["tolerations"] = [{"key": f"t{n}", "operator": "Exists"}]


def _share_metadata_with_a_copy(obj: Any, data: Json, n: int) -> None:
    # the same nested model in two parents: a change through one shows in both
    twin = obj.model_copy()
    twin.metadata.name = f"twin{n}"
    data["metadata"]["name"] = f"twin{n}"
    assert wire(twin)["metadata"]["name"] == f"twin{n}"


def _deep_copy_is_independent(obj: Any, data: Json, n: int) -> None:
    twin = copy.deepcopy(obj)
    twin.metadata.name = f"deep{n}"
    twin.spec.containers.append(Container(name="only-in-copy"))
    twin_data = copy.deepcopy(data)
    twin_data["metadata"]["name"] = f"deep{n}"
    twin_data["spec"]["containers"].append({"name": "only-in-copy"})
    assert wire(twin) == twin_data


def _read_everything(obj: Any, data: Json, n: int) -> None:
    touch_everything(obj)


def _pickle_round_trip(obj: Any, data: Json, n: int) -> None:
    assert wire(pickle.loads(pickle.dumps(obj))) == data


CHANGES = [
    _set_image,
    _set_label_in_place,
    _replace_labels,
    _append_container,
    _change_appended_container,
    _pop_container,
    _replace_nested_model,
    _change_replaced_nested_model,
    _set_time,
    _unset_via_fields_set,
    _unknown_field_via_model_extra,
    _toleration_list_replaced,
    _share_metadata_with_a_copy,
    _deep_copy_is_independent,
    _read_everything,
    _pickle_round_trip,
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(0, 99)), max_size=8),
    path=st.sampled_from(PATHS),
)
def test_random_changes_encode_like_the_same_changes_to_json(steps: list[Any], path: Any) -> None:
    data = realistic_pod()
    obj = path(Pod, data)
    expected = copy.deepcopy(data)
    for change, n in steps:
        change(obj, expected, n)
        assert wire(obj) == expected, change.__name__


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_a_nested_model_in_two_parents_encodes_in_both(path: Any) -> None:
    first, second = path(Pod, realistic_pod()), path(Pod, realistic_pod())
    second.spec = first.spec
    first.spec.containers[0].image = "shared"
    assert wire(first)["spec"]["containers"][0]["image"] == "shared"
    assert wire(second)["spec"]["containers"][0]["image"] == "shared"


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_deleting_a_field_removes_it_from_the_wire(path: Any) -> None:
    data = realistic_pod()
    pod = path(Pod, data)
    del pod.spec.restart_policy
    del data["spec"]["restartPolicy"]
    assert wire(pod) == data


def test_micro_time_is_written_with_six_digits() -> None:
    from kubetyped_kubernetes.models.coordination_v1 import Lease, LeaseSpec

    lease = Lease.from_json(b'{"spec":{"renewTime":"2024-05-01T10:20:30.123456Z"}}')
    assert lease.spec.renew_time.microsecond == 123456
    assert lease.to_json() == b'{"spec":{"renewTime":"2024-05-01T10:20:30.123456Z"}}'
    lease.spec.renew_time = datetime(2024, 5, 1, 10, 20, 31, tzinfo=UTC)
    assert lease.to_json() == b'{"spec":{"renewTime":"2024-05-01T10:20:31.000000Z"}}'
    built = Lease(spec=LeaseSpec(acquire_time=datetime(2024, 5, 1, tzinfo=UTC)))
    assert built.to_json() == b'{"spec":{"acquireTime":"2024-05-01T00:00:00.000000Z"}}'


def test_a_value_that_failed_to_decode_is_written_back_until_replaced() -> None:
    body = b'{"metadata":{"name":"p","creationTimestamp":"yesterday"}}'
    pod = Pod.from_json(body)
    assert pod.metadata.name == "p"
    assert pod.to_json() == body
    pod.metadata.creation_timestamp = datetime(2024, 1, 1, tzinfo=UTC)
    assert pod.to_json() == b'{"metadata":{"name":"p","creationTimestamp":"2024-01-01T00:00:00Z"}}'


def test_from_raw_keeps_the_callers_dict_values_plain() -> None:
    """Reading a model decoded from a caller's dict may put models into that dict (it takes
    ownership); `to_dict` and `raw_view` still give plain JSON."""
    pod = Pod.from_raw(realistic_pod())
    touch_everything(pod)
    assert pod.raw_view() is None
    assert pod.to_dict() == realistic_pod()
