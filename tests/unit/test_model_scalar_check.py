"""The trusted decode path (`from_json`: get/list/watch) checks the JSON type of scalar fields
when the object is materialised: a value that does not fit raises ModelDecodeError naming the
field when that field is read; the other fields stay readable.

Provenance: newcomer review, session 2 (/tmp/newcomer/gen/trusted.py): `Deployment.spec.replicas`
came back as the str 'three', a CRD int field as the str '2048'.
"""

from __future__ import annotations

import orjson
import pytest

from kubetyped.model.jsonio import ModelDecodeError
from kubetyped_kubernetes.models.apps_v1 import Deployment, DeploymentList
from kubetyped_kubernetes.models.core_v1 import Container, Pod


def deployment(**spec: object) -> bytes:
    body = {"metadata": {"name": "d"}, "spec": {"selector": {}, "template": {}, **spec}}
    return orjson.dumps(body)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("replicas", "three", "an integer"),
        ("replicas", True, "an integer"),  # a JSON boolean is not an integer
        ("replicas", 2.5, "an integer"),
        ("paused", "yes", "a boolean"),
        ("minReadySeconds", [1], "an integer"),
    ],
)
def test_a_scalar_that_does_not_fit_raises_when_read(
    field: str, value: object, expected: str
) -> None:
    d = Deployment.from_json(deployment(**{field: value}))
    assert d.metadata is not None and d.metadata.name == "d"
    assert d.spec is not None
    attr = {"minReadySeconds": "min_ready_seconds"}.get(field, field)
    with pytest.raises(
        ModelDecodeError,
        match=rf"spec\.{field}: expected {expected}, .*\(DeploymentSpec\.{field}\)",
    ) as info:
        getattr(d.spec, attr)
    assert info.value.path.endswith(field)  # type: ignore[attr-defined]
    assert d.spec.selector is not None  # the other fields stay readable


def test_fitting_scalars_and_nulls_decode_as_before() -> None:
    d = Deployment.from_json(deployment(replicas=3, paused=False, revisionHistoryLimit=None))
    assert d.spec is not None
    assert (d.spec.replicas, d.spec.paused, d.spec.revision_history_limit) == (3, False, None)
    pod = Pod.from_json(orjson.dumps({"spec": {"containers": [{"name": "c", "args": ["a"]}]}}))
    assert pod.spec is not None and pod.spec.containers == [Container(name="c", args=["a"])]


def test_string_fields_and_list_items_are_checked() -> None:
    items = [{"metadata": {"name": 7}}, {"metadata": {"name": "ok"}, "spec": {"replicas": "x"}}]
    listed = DeploymentList.from_json(orjson.dumps({"items": items}))
    first, second = listed.items
    assert first.metadata is not None
    with pytest.raises(
        ModelDecodeError,
        match=r"items\[0\]\.metadata\.name: expected a string, got int \(ObjectMeta\.name\)",
    ):
        _ = first.metadata.name
    assert second.metadata is not None and second.metadata.name == "ok"
    with pytest.raises(ModelDecodeError, match="replicas"):
        _ = second.spec.replicas  # type: ignore[union-attr]
