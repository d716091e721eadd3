"""What validating a model keeps and calls (issue 16: validation cost of the wire form).

A validated model gets its wire form in `model_post_init` (see test_model_validated_encode),
so what validation leaves behind per model is kept small instead: instances of a class
validated with the same set fields share one fields-set (copied before a change), an instance
without unknown fields keeps no empty extra dict, the set fields' values go into the wire form
without a Python call per field, and a model instance passed to a constructor is kept without
another trip through its validator. Fewer objects per model is less work for the garbage
collector, which is most of the cost of validating a large tree.
"""

# mypy: disable-error-code="union-attr, index, operator, attr-defined"
# (model fields are Optional; the tests read those they have set)

from __future__ import annotations

import copy
import pickle
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from kubetyped_kubernetes.models.core_v1 import ConfigMap, Container, Pod, PodList
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta
from tests.unit.test_model_roundtrip import realistic_pod
from tests.unit.test_model_validated_encode import pod_list, python_calls


@contextmanager
def c_calls() -> Iterator[list[str]]:
    """Records the C functions and methods called inside the block (by name)."""
    calls: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "c_call":
            calls.append(getattr(arg, "__name__", "?"))

    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(None)


# ---- what validation keeps per model -------------------------------------------------------------


def test_instances_validated_with_the_same_fields_share_one_fields_set() -> None:
    first, second = Container(name="a"), Container.model_validate({"name": "b"})
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__ == {"name"}
    other = Container(name="c", image="nginx")
    assert other.__pydantic_fields_set__ == {"name", "image"}
    assert other.__pydantic_fields_set__ is not first.__pydantic_fields_set__
    pods = PodList.model_validate_json(pod_list(3)).items
    assert pods[0].spec.__pydantic_fields_set__ is pods[2].spec.__pydantic_fields_set__
    assert (
        pods[0].spec.containers[0].__pydantic_fields_set__
        is pods[1].spec.containers[0].__pydantic_fields_set__
    )


def test_no_empty_extra_dict_is_kept() -> None:
    plain = Container(name="a")
    assert plain.__pydantic_extra__ is None
    assert plain.model_extra == {}
    unknown = Container.model_validate({"name": "a", "zzFuture": 1})
    assert unknown.__pydantic_extra__ == {"zzFuture": 1}
    plain.model_extra["zzLater"] = True  # the dict appears when asked for, and writes through
    assert plain.to_json() == b'{"name":"a","zzLater":true}'


def test_plain_fields_need_no_python_call_each() -> None:
    few = {"name": "a"}
    many = {
        "name": "a",
        "image": "nginx",
        "command": ["run"],
        "args": ["--x"],
        "workingDir": "/w",
        "terminationMessagePath": "/t",
        "tty": True,
        "stdin": False,
    }
    Container.model_validate(many)  # the class's plans are built once, outside the count
    Container.model_validate(few)
    with python_calls() as few_calls:
        Container.model_validate(few)
    with python_calls() as many_calls:
        Container.model_validate(many)
    assert many_calls == few_calls, many_calls
    assert orjson.loads(Container.model_validate(many).to_json()) == many


def test_an_instance_passed_to_a_constructor_is_kept_without_another_validator_call() -> None:
    metadata = ObjectMeta(name="settings")
    with c_calls() as calls:
        config_map = ConfigMap(metadata=metadata, data={"mode": "fast"})
    assert config_map.metadata is metadata
    assert calls.count("validate_python") == 1, calls  # the ConfigMap's own validation only
    assert config_map.to_json() == b'{"data":{"mode":"fast"},"metadata":{"name":"settings"}}'


def test_wire_names_of_any_spelling_are_written_as_they_are() -> None:
    # The per-fields-set builder is compiled with the names as literals: a CRD's property names
    # may hold quotes, backslashes, newlines or braces.
    from pydantic import Field

    from kubetyped.model import KubeModel

    odd = ["it's", 'say "hi"', "back\\slash", "new\nline", "{brace}", "x': 1}, __import__('os')"]

    class Odd(KubeModel):
        a: str | None = Field(default=None, alias=odd[0])
        b: str | None = Field(default=None, alias=odd[1])
        c: str | None = Field(default=None, alias=odd[2])
        d: str | None = Field(default=None, alias=odd[3])
        e: str | None = Field(default=None, alias=odd[4])
        f: str | None = Field(default=None, alias=odd[5])

    document = {name: f"value {i}" for i, name in enumerate(odd)}
    assert orjson.loads(Odd.model_validate(document).to_json()) == document
    built = Odd(a="1", f="2")
    assert orjson.loads(built.to_json()) == {odd[0]: "1", odd[5]: "2"}


# ---- a shared fields-set never changes under another instance ------------------------------------


def _assign(model: Any) -> None:
    model.image = "changed"


def _delete(model: Any) -> None:
    del model.name


def _add_through_model_fields_set(model: Any) -> None:
    model.image = "changed"
    model.model_fields_set.discard("image")


def _discard_through_model_fields_set(model: Any) -> None:
    model.model_fields_set.discard("name")


def _copy_with_update(model: Any) -> Any:
    return model.model_copy(update={"image": "changed"})


def _copy_then_assign(model: Any) -> Any:
    twin = copy.copy(model)
    twin.image = "changed"
    return twin


def _deep_copy_then_assign(model: Any) -> Any:
    twin = copy.deepcopy(model)
    twin.image = "changed"
    return twin


def _unpickle_then_assign(model: Any) -> Any:
    twin = pickle.loads(pickle.dumps(model))
    twin.image = "changed"
    return twin


@pytest.mark.parametrize(
    "change",
    [
        _assign,
        _delete,
        _add_through_model_fields_set,
        _discard_through_model_fields_set,
        _copy_with_update,
        _copy_then_assign,
        _deep_copy_then_assign,
        _unpickle_then_assign,
    ],
)
def test_a_change_to_one_instance_leaves_the_others_alone(change: Callable[[Any], Any]) -> None:
    changed, other = Container(name="a"), Container(name="b")
    shared = other.__pydantic_fields_set__
    result = change(changed) or changed
    assert other.__pydantic_fields_set__ is shared == {"name"}
    assert other.to_json() == b'{"name":"b"}'
    assert Container(name="c").to_json() == b'{"name":"c"}'
    expected = {"name": "a", "image": "changed"}
    if change is _delete:
        expected = {}
    elif change is _add_through_model_fields_set:
        expected = {"name": "a"}
    elif change is _discard_through_model_fields_set:
        expected = {}
    assert orjson.loads(result.to_json()) == expected
    if change is not _delete:  # (pydantic keeps a deleted field's name in its fields-set)
        assert result.model_fields_set == set(expected)


def test_a_shared_fields_set_refuses_changes_in_place() -> None:
    shared = Container(name="a").__pydantic_fields_set__
    for change in (
        lambda: shared.add("image"),
        lambda: shared.discard("name"),
        lambda: shared.update({"image"}),
        lambda: shared.clear(),
    ):
        with pytest.raises(TypeError, match="shared fields-set"):
            change()
    assert shared == {"name"}
    assert type(copy.copy(shared)) is set  # copies are the caller's own


def test_fields_set_changes_on_a_validated_tree_keep_later_list_changes() -> None:
    pod = Pod.model_validate(realistic_pod())
    pod.spec.model_fields_set.discard("node_name")  # the wire form is rebuilt from the fields
    pod.spec.containers.append(Container(name="late"))
    pod.spec.containers[0].image = "app:2"
    expected = realistic_pod()
    del expected["spec"]["nodeName"]
    expected["spec"]["containers"].append({"name": "late"})
    expected["spec"]["containers"][0]["image"] = "app:2"
    assert orjson.loads(pod.to_json()) == expected


# ---- pydantic's own serializer on kubetyped models -----------------------------------------------


def test_a_pydantic_model_holding_kube_models_dumps_them() -> None:
    class Holder(BaseModel):
        pod: Pod

    document = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"labels": {"app": "web"}, "name": "web"},
        "spec": {"containers": [{"name": "app"}]},
    }
    decoded = Pod.from_json(orjson.dumps(document))
    assert decoded.spec.containers[0].name == "app"  # materialised (fields-sets shared)
    assert decoded.metadata.name == "web"
    for pod in (Pod.model_validate(document), decoded):
        dumped = Holder(pod=pod).model_dump(exclude_unset=True, by_alias=True)
        assert dumped == {"pod": document}
