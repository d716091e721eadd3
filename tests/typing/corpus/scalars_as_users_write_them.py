"""Quantities, times and int-or-strings written as users write them: plain strings, numbers and
`datetime`s in constructors, while the attributes read back as `Quantity`/`Time`.

Checked by `mypy --strict` and pyright with no plugin (tests/typing/test_user_code_types.py);
must produce no diagnostics. The same objects are built at run time by
tests/unit/test_model_scalar_constructors.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import assert_type

from kubetyped.model import MicroTime, Quantity, Time
from kubetyped_kubernetes.models.apps_v1 import RollingUpdateDeployment
from kubetyped_kubernetes.models.coordination_v1 import LeaseSpec
from kubetyped_kubernetes.models.core_v1 import (
    Container,
    EmptyDirVolumeSource,
    HTTPGetAction,
    LimitRangeItem,
    ResourceRequirements,
    ServicePort,
)
from kubetyped_kubernetes.models.meta_v1 import Condition, ObjectMeta

# Quantity: a string or a number, alone or as map values (literal or a dict[str, str] variable)
limits: dict[str, str] = {"cpu": "500m", "memory": "256Mi"}
resources = ResourceRequirements(requests={"cpu": "50m", "memory": 64 * 2**20}, limits=limits)
container = Container(name="api", image="nginx", resources=resources)
volume = EmptyDirVolumeSource(medium="Memory", size_limit="1Gi")
EmptyDirVolumeSource(size_limit=Decimal("0.5"))
EmptyDirVolumeSource(size_limit=Quantity("1Gi"))
LimitRangeItem(type="Container", max={"cpu": 2}, default={"memory": "1Gi"})

# reads stay Quantity (with its methods)
if volume.size_limit is not None:
    assert_type(volume.size_limit, Quantity)
    print(volume.size_limit.to_decimal())
if resources.requests is not None:
    assert_type(resources.requests, dict[str, Quantity])
    assert_type(resources.requests["cpu"], Quantity)

# Time / MicroTime: a datetime (aware or naive UTC) or an RFC 3339 string
now = datetime.now(UTC)
meta = ObjectMeta(name="api", creation_timestamp=now, deletion_timestamp="2026-01-01T00:00:00Z")
condition = Condition(
    type="Ready", status="True", reason="Up", message="ok", last_transition_time=now
)
lease = LeaseSpec(holder_identity="me", acquire_time=now, renew_time=now + timedelta(seconds=5))
if meta.creation_timestamp is not None:
    assert_type(meta.creation_timestamp, Time)
    print(meta.creation_timestamp.to_wire())
assert_type(condition.last_transition_time, Time)
if lease.renew_time is not None:
    assert_type(lease.renew_time, MicroTime)

# IntOrString: an int or a str where the API takes either
ServicePort(port=80, target_port=8080)
ServicePort(port=80, target_port="http")
RollingUpdateDeployment(max_surge="25%", max_unavailable=0)
HTTPGetAction(port="http", path="/healthz")
HTTPGetAction(port=8080)
