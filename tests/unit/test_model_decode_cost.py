"""What materialising a decoded model allocates and calls (issue 16: read-all cost).

Reading a field of a decoded object builds its `__dict__` from the JSON: scalar fields whose
value has its JSON type go in without a decoder call, and equal quantities are one shared
(immutable) `Quantity` object rather than one object per field.
"""

# mypy: disable-error-code="union-attr, index"

from __future__ import annotations

import orjson
import pytest

from kubetyped.model import Quantity
from kubetyped.model.jsonio import ModelDecodeError
from kubetyped_kubernetes.models.core_v1 import ContainerPort, Pod, ResourceRequirements
from tests.unit.test_model_validated_encode import python_calls


def test_scalar_fields_of_their_json_type_need_no_decoder_call() -> None:
    port = ContainerPort.from_json(b'{"containerPort":80,"name":"http","protocol":"TCP"}')
    with python_calls() as calls:
        assert port.container_port == 80
    # (the profiler also sees the with-block's own exit)
    assert calls[:3] == ["__getattr__", "_materialize", "__exit__"], calls


def test_a_scalar_of_the_wrong_type_still_fails_when_read() -> None:
    for body in (b'{"containerPort":"80"}', b'{"containerPort":true}', b'{"name":7}'):
        port = ContainerPort.from_json(body)
        field = "container_port" if b"containerPort" in body else "name"
        with pytest.raises(ModelDecodeError):
            getattr(port, field)
    assert ContainerPort.from_json(b'{"containerPort":null}').container_port is None


def test_equal_quantities_are_one_shared_object() -> None:
    body = {"limits": {"cpu": "250m", "memory": "128Mi"}, "requests": {"cpu": "250m"}}
    first = ResourceRequirements.from_json(orjson.dumps(body))
    second = ResourceRequirements.from_json(orjson.dumps(body))
    assert first.limits["cpu"] is first.requests["cpu"] is second.limits["cpu"]
    assert isinstance(first.limits["memory"], Quantity)
    assert first.limits["cpu"] == "0.25" and first.limits["cpu"] == Quantity("250m")
    first.limits["cpu"] = Quantity("1")  # replacing one value leaves the others alone
    assert second.limits["cpu"] == "250m"
    assert orjson.loads(first.to_json()) == {
        "limits": {"cpu": "1", "memory": "128Mi"},
        "requests": {"cpu": "250m"},
    }


def test_times_decode_as_their_own_class_in_utc() -> None:
    pod = Pod.from_json(
        b'{"metadata":{"creationTimestamp":"2026-01-02T03:04:05+02:00"},'
        b'"status":{"startTime":"2026-01-02T03:04:05"}}'
    )
    created = pod.metadata.creation_timestamp
    assert type(created).__name__ == "Time"
    assert created.to_wire() == "2026-01-02T01:04:05Z"
    assert pod.status.start_time.to_wire() == "2026-01-02T03:04:05Z"  # no offset: UTC
