"""The model runtime: the base class of generated models and the Kubernetes scalar types."""

from pydantic import Field

from kubetyped.model.base import KubeModel
from kubetyped.model.jsonio import ModelDecodeError
from kubetyped.model.lazy import lazy_exports
from kubetyped.model.scalars import (
    IntOrString,
    MicroTime,
    Quantity,
    QuantityError,
    QuantityInput,
    Time,
    TimeInput,
    TimeParseError,
    format_time,
    parse_quantity,
)
from kubetyped.model.strict import OpenEnum, strict_construction

__all__ = [
    "Field",
    "IntOrString",
    "KubeModel",
    "MicroTime",
    "ModelDecodeError",
    "OpenEnum",
    "Quantity",
    "QuantityError",
    "QuantityInput",
    "Time",
    "TimeInput",
    "TimeParseError",
    "format_time",
    "lazy_exports",
    "parse_quantity",
    "strict_construction",
]
