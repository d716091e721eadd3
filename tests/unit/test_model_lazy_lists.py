"""List responses: items stay unparsed until read, come back verbatim, and bad bytes are typed."""

from __future__ import annotations

import orjson
import pytest

from kubetyped.errors import KubetypedError
from kubetyped.model.jsonio import ModelDecodeError, is_raw
from kubetyped_kubernetes.models.core_v1 import ConfigMap, ConfigMapList, PodList

ITEMS = [
    {"metadata": {"name": f"cm-{i}", "resourceVersion": str(i)}, "data": {"k": str(i)}}
    for i in range(3)
]
BODY = orjson.dumps(
    {
        "apiVersion": "v1",
        "kind": "ConfigMapList",
        "metadata": {"resourceVersion": "9"},
        "items": ITEMS,
    }
)


def test_items_are_parsed_only_when_read() -> None:
    listed = ConfigMapList.from_json(BODY)
    raw = listed.raw_view()
    assert raw is not None and all(is_raw(item) for item in raw["items"])
    first = listed.items[0]
    assert isinstance(first, ConfigMap)
    assert first.metadata is not None and first.metadata.name == "cm-0"
    assert listed.items[2].to_json() == orjson.dumps(ITEMS[2])  # never read: verbatim bytes


def test_a_list_round_trips_whether_or_not_items_were_read() -> None:
    untouched = ConfigMapList.from_json(BODY)
    assert untouched.to_json() == BODY
    touched = ConfigMapList.from_json(BODY)
    assert touched.items[1].data == {"k": "1"}
    assert touched.to_dict() == orjson.loads(BODY)
    assert touched == untouched == ConfigMapList.model_validate_json(BODY)


def test_null_items_decode_as_none() -> None:
    empty = ConfigMapList.from_json(b'{"kind":"ConfigMapList","items":null}')
    assert empty.items is None


@pytest.mark.parametrize(
    ("model", "body", "expected"),
    [
        (ConfigMapList, b"[1, 2]", "ConfigMapList: response is not a JSON list object"),
        (ConfigMapList, b'{"items": [1,', "ConfigMapList: response is not a JSON list object"),
        (ConfigMap, b"not json", "ConfigMap: response is not JSON"),
        (ConfigMap, b'"a string"', "ConfigMap: expected a JSON object, got str"),
    ],
)
def test_bad_bytes_raise_a_typed_error_naming_the_model(
    model: type[ConfigMap] | type[ConfigMapList], body: bytes, expected: str
) -> None:
    with pytest.raises(ModelDecodeError) as caught:
        model.from_json(body)
    assert isinstance(caught.value, KubetypedError)
    assert str(caught.value).startswith(expected)


def test_reading_an_items_metadata_leaves_its_other_objects_unparsed() -> None:
    """A list consumer reading names parses each item's metadata, not its spec or status."""
    body = orjson.dumps(
        {
            "kind": "PodList",
            "items": [
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": "p"},
                    "spec": {"containers": [{"name": "c"}]},
                    "status": {"phase": "Running"},
                    "futureField": {"x": 1},
                }
            ],
        }
    )
    pod = PodList.from_json(body).items[0]
    assert pod.metadata is not None and pod.metadata.name == "p"
    assert pod.kind == "Pod" and pod.model_extra == {"futureField": {"x": 1}}
    held = vars(pod)
    assert is_raw(held["spec"].__kube_raw__) and is_raw(held["status"].__kube_raw__)
    assert pod.spec is not None and pod.spec.containers[0].name == "c"
    assert pod.to_json() == orjson.dumps(orjson.loads(body)["items"][0])
