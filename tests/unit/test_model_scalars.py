"""The Kubernetes scalars: Quantity, Time, MicroTime and IntOrString in generated models."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import orjson
import pytest
from pydantic import ValidationError

from kubetyped.errors import KubetypedError
from kubetyped.model import MicroTime, Quantity, QuantityError, Time, parse_quantity
from kubetyped.model.scalars import format_time
from kubetyped_kubernetes.models.apps_v1 import RollingUpdateDeployment
from kubetyped_kubernetes.models.coordination_v1 import Lease, LeaseSpec
from kubetyped_kubernetes.models.core_v1 import HTTPGetAction, Pod, ResourceRequirements
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

# ---- Quantity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("1Gi", "1024Mi"),
        ("0.5", "500m"),
        ("1k", "1000"),
        ("1M", "1000k"),
        ("2e3", "2k"),
        ("1Ki", "1024"),
        ("100m", "0.1"),
        ("1500u", "1.5m"),
        ("1", "1000000000n"),
    ],
)
def test_quantities_compare_by_value(left: str, right: str) -> None:
    assert Quantity(left) == right
    assert Quantity(left) == Quantity(right)
    assert hash(Quantity(left)) == hash(Quantity(right))
    assert str(Quantity(left)) == left  # the wire string is kept as written


@pytest.mark.parametrize(("left", "right"), [("1Gi", "1G"), ("500m", "5"), ("1Mi", "1M")])
def test_different_quantities_are_not_equal(left: str, right: str) -> None:
    assert Quantity(left) != right
    assert (Quantity(left) == Quantity(right)) is False


def test_quantity_against_numbers() -> None:
    assert Quantity("2") == 2
    assert Quantity("500m") == Decimal("0.5")
    assert Quantity("1Ki").to_decimal() == Decimal(1024)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100m", Decimal("0.1")),
        ("1.5Gi", Decimal("1.5") * 2**30),
        ("-2k", Decimal(-2000)),
        ("3", 3),
    ],
)
def test_parse_quantity(text: str, value: Decimal) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("bad", ["", "abc", "1XB", "Gi", "1..2", "1 Gi", "--1"])
def test_bad_quantity_raises_quantity_error(bad: str) -> None:
    with pytest.raises(QuantityError, match="not a Kubernetes quantity"):
        parse_quantity(bad)
    with pytest.raises(QuantityError):
        Quantity(bad).to_decimal()


def test_quantity_error_is_a_kubetyped_error() -> None:
    assert issubclass(QuantityError, KubetypedError)


def test_model_validation_rejects_bad_quantities_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        ResourceRequirements(limits={"cpu": "bogus"})
    assert "limits.cpu" in str(caught.value)
    assert "not a Kubernetes quantity" in str(caught.value)
    with pytest.raises(ValidationError):
        ResourceRequirements(limits={"cpu": True})


def test_model_quantities_accept_numbers_and_keep_strings() -> None:
    requirements = ResourceRequirements(limits={"cpu": 1, "memory": "1Gi"}, requests={"cpu": 0.5})
    assert requirements.to_dict() == {
        "limits": {"cpu": "1", "memory": "1Gi"},
        "requests": {"cpu": "0.5"},
    }
    assert isinstance(requirements.limits["memory"], Quantity)
    assert requirements.limits["memory"] == "1024Mi"


def test_validated_equal_quantities_are_one_shared_object() -> None:
    first = ResourceRequirements(limits={"cpu": "250m"}, requests={"cpu": "250m"})
    second = ResourceRequirements.model_validate_json(b'{"limits":{"cpu":"250m"}}')
    assert first.limits["cpu"] is first.requests["cpu"] is second.limits["cpu"]
    assert isinstance(second.limits["cpu"], Quantity)
    with pytest.raises(ValidationError):  # what is shared was validated: bad text still fails
        ResourceRequirements(limits={"cpu": "250mm"})
    with pytest.raises(ValidationError):
        ResourceRequirements(limits={"cpu": "250mm"})


def test_lazy_quantities_are_quantity_objects() -> None:
    requirements = ResourceRequirements.from_json(b'{"limits":{"memory":"1Gi"}}')
    memory = requirements.limits["memory"]
    assert isinstance(memory, Quantity)
    assert memory == "1024Mi"
    assert requirements.to_dict() == {"limits": {"memory": "1Gi"}}


# ---- Time and MicroTime -------------------------------------------------------------------------


def test_time_serialises_rfc3339_whole_seconds_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    meta = ObjectMeta(name="x", creation_timestamp=datetime(2024, 1, 2, 3, 4, 5, 999999, plus_two))
    assert meta.to_dict() == {"name": "x", "creationTimestamp": "2024-01-02T01:04:05Z"}
    assert orjson.loads(meta.model_dump_json(exclude_unset=True))["creationTimestamp"] == (
        "2024-01-02T01:04:05Z"
    )
    assert isinstance(meta.creation_timestamp, Time)


@pytest.mark.parametrize(
    ("value", "micro", "wire"),
    [
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), False, "2024-01-02T03:04:05Z"),
        (datetime(2024, 1, 2, 3, 4, 5, 60, tzinfo=UTC), True, "2024-01-02T03:04:05.000060Z"),
        (datetime(2024, 1, 2, 3, 4, 5, 999999, tzinfo=UTC), False, "2024-01-02T03:04:05Z"),
        (datetime(2024, 1, 2, 3, 4, 5), False, "2024-01-02T03:04:05Z"),  # naive: taken as UTC
        (datetime(2024, 1, 2, 3, 4, 5, 1), True, "2024-01-02T03:04:05.000001Z"),
        (
            datetime(2024, 1, 2, 0, 30, tzinfo=timezone(timedelta(hours=1))),
            False,
            "2024-01-01T23:30:00Z",
        ),
        (datetime(2024, 1, 2, tzinfo=timezone(timedelta(0))), True, "2024-01-02T00:00:00.000000Z"),
        (datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC), False, "0999-01-02T03:04:05Z"),  # Go: 4 digits
        (datetime(1, 1, 1, tzinfo=UTC), False, "0001-01-01T00:00:00Z"),  # Go's zero time
    ],
)
def test_times_are_written_in_gos_rfc3339_layouts(value: datetime, micro: bool, wire: str) -> None:
    """metav1.Time.MarshalJSON: `time.RFC3339` in UTC; MicroTime: `2006-01-02T15:04:05.000000Z07:00`."""
    kind = MicroTime if micro else Time
    assert kind.from_wire(value.isoformat()).to_wire() == wire
    assert format_time(value, micro=micro) == wire


def test_time_parses_the_wire_form() -> None:
    value = Time.from_wire("2024-05-01T10:20:30Z")
    assert value == datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)
    assert value.to_wire() == "2024-05-01T10:20:30Z"
    meta = ObjectMeta.from_json(b'{"creationTimestamp":"2024-05-01T10:20:30Z"}')
    assert meta.creation_timestamp == datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)
    assert type(meta.creation_timestamp) is Time


def test_time_validation_rejects_garbage() -> None:
    with pytest.raises(ValidationError):
        ObjectMeta(creation_timestamp="yesterday")
    with pytest.raises(ValidationError):
        ObjectMeta(creation_timestamp=12)


def test_microtime_serialises_six_fraction_digits() -> None:
    spec = LeaseSpec(renew_time=datetime(2024, 1, 2, 3, 4, 5, 7, tzinfo=UTC))
    assert spec.to_dict() == {"renewTime": "2024-01-02T03:04:05.000007Z"}
    assert isinstance(spec.renew_time, MicroTime)
    whole = LeaseSpec(acquire_time=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert whole.to_dict() == {"acquireTime": "2024-01-02T03:04:05.000000Z"}
    assert MicroTime.from_wire("2024-01-02T03:04:05.5Z").to_wire() == "2024-01-02T03:04:05.500000Z"


def test_microtime_round_trips_both_paths_after_a_mutation() -> None:
    data = {"metadata": {"name": "l"}, "spec": {"renewTime": "2024-01-02T03:04:05.123456Z"}}
    for lease in (Lease.from_json(orjson.dumps(data)), Lease.model_validate(data)):
        assert type(lease.spec.renew_time) is MicroTime
        assert lease.spec.renew_time.microsecond == 123456
        lease.spec.holder_identity = "me"
        assert lease.to_dict() == {
            "metadata": {"name": "l"},
            "spec": {"renewTime": "2024-01-02T03:04:05.123456Z", "holderIdentity": "me"},
        }


# ---- IntOrString --------------------------------------------------------------------------------


@pytest.mark.parametrize("port", [8080, "http"])
def test_int_or_string_keeps_the_python_type(port: int | str) -> None:
    action = HTTPGetAction(port=port)
    assert action.port == port
    assert type(action.port) is type(port)
    assert action.to_dict() == {"port": port}
    lazy = HTTPGetAction.from_json(orjson.dumps({"port": port}))
    assert type(lazy.port) is type(port)


def test_int_or_string_rejects_other_types() -> None:
    with pytest.raises(ValidationError):
        HTTPGetAction(port=[8080])
    with pytest.raises(ValidationError):
        HTTPGetAction(port=None)  # required


def test_rolling_update_percent_and_count() -> None:
    rolling = RollingUpdateDeployment.model_validate({"maxSurge": "25%", "maxUnavailable": 1})
    assert rolling.max_surge == "25%"
    assert rolling.max_unavailable == 1
    assert rolling.to_dict() == {"maxSurge": "25%", "maxUnavailable": 1}


def test_pod_with_an_int_probe_port_validates() -> None:
    pod = Pod.model_validate(
        {
            "metadata": {"name": "p"},
            "spec": {
                "containers": [
                    {
                        "name": "c",
                        "image": "nginx",
                        "ports": [{"containerPort": 8080, "name": "http"}],
                        "livenessProbe": {"httpGet": {"port": 8080}},
                        "readinessProbe": {"httpGet": {"port": "http"}},
                    }
                ]
            },
        }
    )
    container = pod.spec.containers[0]
    assert container.liveness_probe.http_get.port == 8080
    assert container.readiness_probe.http_get.port == "http"
    assert pod.to_dict()["spec"]["containers"][0]["livenessProbe"] == {"httpGet": {"port": 8080}}
