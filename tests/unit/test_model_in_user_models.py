"""A decoded model held by a user's own pydantic model dumps what it holds.

pydantic's serializer reads a model's fields directly, without `KubeModel.model_dump`; a lazily
decoded instance (`from_json`, list items, informer caches) has not read its fields yet, so the
user's `model_dump`/`model_dump_json` gave `{}` for it (found by helper V, issue 16). Each
model's own schema now materialises the instance before pydantic's serializer reads it.
"""

from __future__ import annotations

import orjson
import pydantic
import pydantic_core
import pytest

from kubetyped_kubernetes.models.core_v1 import Pod, PodList

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "api", "namespace": "web", "labels": {"app": "api"}},
    "spec": {"containers": [{"name": "app", "image": "registry.example/app:1", "args": ["-v"]}]},
    "status": {"phase": "Running"},
}
DATA = orjson.dumps(POD)


class Holder(pydantic.BaseModel):
    pod: Pod
    pods: list[Pod] = []


def test_an_unread_decoded_model_in_a_user_model_dumps_its_fields() -> None:
    expected = Pod.from_json(DATA).model_dump(exclude_unset=True)
    assert expected["spec"]["containers"][0]["image"] == "registry.example/app:1"

    dumped = Holder(pod=Pod.from_json(DATA)).model_dump(exclude_unset=True)

    assert dumped == {"pod": expected}


def test_the_json_dump_by_wire_names_is_the_objects_json() -> None:
    dumped = Holder(pod=Pod.from_json(DATA)).model_dump_json(by_alias=True, exclude_unset=True)

    assert orjson.loads(dumped) == {"pod": POD}


def test_list_items_and_partly_read_objects_dump_whole() -> None:
    items = PodList.from_json(orjson.dumps({"items": [POD, POD]})).items
    partly = Pod.from_json(DATA)
    assert partly.metadata is not None and partly.metadata.name == "api"  # spec still unread

    dumped = Holder(pod=partly, pods=items).model_dump(by_alias=True, exclude_unset=True)

    assert dumped == {"pod": POD, "pods": [POD, POD]}
    adapter = pydantic.TypeAdapter(list[Pod])
    assert orjson.loads(
        adapter.dump_json(
            PodList.from_json(orjson.dumps({"items": [POD]})).items,
            by_alias=True,
            exclude_unset=True,
        )
    ) == [POD]


def test_a_field_that_does_not_decode_fails_the_dump_naming_it() -> None:
    bad = Pod.from_json(orjson.dumps({**POD, "metadata": 5}))

    with pytest.raises(
        pydantic_core.PydanticSerializationError, match=r"metadata: expected a JSON object"
    ):
        Holder(pod=bad).model_dump()


def test_a_field_that_does_not_decode_shows_in_the_repr_as_what_is_wrong() -> None:
    bad = Pod.from_json(b'{"spec": {"containers": [{"name": "c", "image": 5}]}}')
    assert bad.spec is not None

    shown = repr(bad.spec.containers[0])

    assert "image=None" not in shown
    assert "image=<undecodable: spec.containers[0].image: expected a string, got int" in shown


def test_a_secret_field_of_the_wrong_shape_is_not_shown() -> None:
    from kubetyped_kubernetes.models.core_v1 import Secret

    bad = Secret.from_json(b'{"metadata": {"name": "s"}, "data": "c2VjcmV0LXRva2Vu-plain"}')

    shown = repr(bad)

    assert "c2VjcmV0LXRva2Vu-plain" not in shown
    assert "data='<redacted>'" in shown
