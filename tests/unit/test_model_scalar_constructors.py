"""Constructors take quantities, times and int-or-strings as users write them (str, numbers,
`datetime`), and the objects hold `Quantity`/`Time`/`MicroTime` and send the apiserver's wire
form. The checker-visible `__init__` that generated models declare for this (only for type
checkers, under `TYPE_CHECKING`) lists exactly the model's fields, so it cannot drift from what
pydantic validates at run time.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pydantic
import pytest

from kubetyped.model import MicroTime, Quantity, Time
from kubetyped_kubernetes.models.coordination_v1 import LeaseSpec
from kubetyped_kubernetes.models.core_v1 import (
    EmptyDirVolumeSource,
    ResourceRequirements,
    ServicePort,
)
from kubetyped_kubernetes.models.meta_v1 import Condition, ObjectMeta

GENERATED = Path(__file__).resolve().parents[2] / "generated" / "kubetyped_kubernetes" / "models"


def test_quantities_from_strings_and_numbers() -> None:
    limits: dict[str, str] = {"cpu": "500m", "memory": "256Mi"}
    resources = ResourceRequirements(requests={"cpu": "50m", "memory": 2**20}, limits=limits)
    assert resources.requests is not None and resources.limits is not None
    assert type(resources.requests["cpu"]) is Quantity
    assert resources.requests["memory"] == Quantity("1Mi")
    assert resources.limits["cpu"].to_decimal() == Decimal("0.5")
    assert resources.to_dict() == {
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "requests": {"cpu": "50m", "memory": "1048576"},
    }
    volume = EmptyDirVolumeSource(size_limit=Decimal("1.5"))
    assert type(volume.size_limit) is Quantity and volume.to_dict() == {"sizeLimit": "1.5"}


def test_times_from_datetimes_and_strings() -> None:
    aware = datetime(2026, 11, 30, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    meta = ObjectMeta(name="x", creation_timestamp=aware, deletion_timestamp="2026-01-01T00:00:00Z")
    assert type(meta.creation_timestamp) is Time and type(meta.deletion_timestamp) is Time
    assert meta.to_dict() == {
        "name": "x",
        "creationTimestamp": "2026-11-30T07:30:15Z",  # UTC, whole seconds (metav1.Time)
        "deletionTimestamp": "2026-01-01T00:00:00Z",
    }
    naive = Condition(
        type="Ready", status="True", reason="R", message="m",
        last_transition_time=datetime(2026, 1, 2, 3, 4, 5),
    )  # fmt: skip
    assert naive.to_dict()["lastTransitionTime"] == "2026-01-02T03:04:05Z"  # naive is UTC
    lease = LeaseSpec(renew_time=datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC))
    assert type(lease.renew_time) is MicroTime
    assert lease.to_dict() == {"renewTime": "2026-01-02T03:04:05.000060Z"}  # metav1.MicroTime


def test_int_or_string_takes_either() -> None:
    assert ServicePort(port=80, target_port=8080).to_dict()["targetPort"] == 8080
    assert ServicePort(port=80, target_port="http").to_dict()["targetPort"] == "http"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: EmptyDirVolumeSource(size_limit="lots"), "size_limit"),
        (lambda: ResourceRequirements(requests={"cpu": "1x"}), "requests.cpu"),
        (lambda: ObjectMeta(creation_timestamp="yesterday"), "creation_timestamp"),
        (lambda: ObjectMeta(creation_timestamp=1700000000), "creation_timestamp"),
    ],
)
def test_what_the_wider_types_do_not_accept_is_a_validation_error(
    build: Callable[[], object], field: str
) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        build()
    assert ".".join(str(p) for p in caught.value.errors()[0]["loc"]) == field


def _declared_inits() -> list[tuple[str, str, ast.FunctionDef]]:
    found = []
    for path in sorted(GENERATED.glob("*/_*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.If):
                        for sub in item.body:
                            if isinstance(sub, ast.FunctionDef) and sub.name == "__init__":
                                found.append((path.parent.name, node.name, sub))
    return found


def test_checker_constructors_list_exactly_the_models_fields() -> None:
    inits = _declared_inits()
    assert len(inits) > 50  # ObjectMeta, ResourceRequirements, every Condition, ...
    names = {(module, cls) for module, cls, _ in inits}
    assert ("meta_v1", "ObjectMeta") in names and ("core_v1", "ResourceRequirements") in names
    for module, class_name, function in inits:
        model = getattr(
            importlib.import_module(f"kubetyped_kubernetes.models.{module}"), class_name
        )
        arguments = function.args
        assert [a.arg for a in arguments.args] == ["self"] and not arguments.kwarg
        parameters = [a.arg for a in arguments.kwonlyargs]
        required = {
            a.arg
            for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
            if d is None
        }
        fields = model.model_fields
        assert parameters == list(fields), class_name
        assert required == {n for n, f in fields.items() if f.is_required()}, class_name
