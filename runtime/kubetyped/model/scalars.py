"""Kubernetes scalar types: IntOrString, Quantity, Time and MicroTime."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from kubetyped.errors import KubetypedError

__all__ = [
    "IntOrString",
    "MicroTime",
    "Quantity",
    "QuantityError",
    "QuantityInput",
    "Time",
    "TimeInput",
    "TimeParseError",
    "format_time",
    "parse_quantity",
]

IntOrString: TypeAlias = int | str
"""`intstr.IntOrString`: a port number or a port name, a count or a percentage."""

_BINARY_SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_SUFFIXES = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}
_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$")


class QuantityError(KubetypedError, ValueError):
    """A string that is not a Kubernetes resource quantity."""


class Quantity(str):
    """`resource.Quantity`: kept as the exact wire string, compared by value.

    `Quantity("1Gi") == Quantity("1024Mi")` and `Quantity("0.5") == "500m"`.
    """

    __slots__ = ()

    def to_decimal(self) -> Decimal:
        """The value as a `Decimal` (`"1.5Gi"` → 1610612736); raises `QuantityError`."""
        return parse_quantity(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                return parse_quantity(self) == parse_quantity(other)
            except QuantityError:
                return str.__eq__(self, other)
        if isinstance(other, int | float | Decimal):
            try:
                return parse_quantity(self) == Decimal(other)
            except QuantityError:
                return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        try:
            return hash(parse_quantity(self).normalize())
        except QuantityError:
            return str.__hash__(self)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from_value = core_schema.no_info_plain_validator_function(_quantity_from_value)
        return core_schema.json_or_python_schema(
            json_schema=from_value,
            python_schema=from_value,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


QuantityInput: TypeAlias = Quantity | str | int | float | Decimal
"""What a model constructor takes for a `Quantity` field (`"50m"`, `"1Gi"`, `2`): validated and
held as a `Quantity`. Invalid text raises `pydantic.ValidationError`."""


def parse_quantity(text: str) -> Decimal:
    """Parses a quantity string (`"100m"`, `"1.5Gi"`, `"2e3"`) into a Decimal."""
    match = _QUANTITY.match(text.strip())
    if match is None:
        raise QuantityError(f"not a Kubernetes quantity: {text!r}")
    number, suffix = match.groups()
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise QuantityError(f"not a Kubernetes quantity: {text!r}") from exc
    if suffix in _BINARY_SUFFIXES:
        return value * _BINARY_SUFFIXES[suffix]
    return value * _DECIMAL_SUFFIXES[suffix]


#: Strings validated as quantities so far, shared: objects repeat a few values ("100m",
#: "128Mi") and a Quantity cannot change. Bounded; values past the bound are not shared.
_VALIDATED_QUANTITIES: dict[str, Quantity] = {}
_VALIDATED_QUANTITIES_MAX = 4096


def _quantity_from_value(value: Any) -> Quantity:
    if type(value) is str:
        shared = _VALIDATED_QUANTITIES.get(value)
        if shared is not None:
            return shared
    if isinstance(value, Quantity):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f"a quantity must be a string or a number, not {type(value).__name__}")
    text = value if isinstance(value, str) else str(value)
    parse_quantity(text)
    quantity = Quantity(text)
    if type(value) is str and len(_VALIDATED_QUANTITIES) < _VALIDATED_QUANTITIES_MAX:
        _VALIDATED_QUANTITIES[value] = quantity
    return quantity


class TimeParseError(KubetypedError, ValueError):
    """A `Time`/`MicroTime` wire value that is not RFC 3339."""


class Time(datetime):
    """`metav1.Time`: RFC 3339 with whole seconds and `Z` on the wire."""

    wire_format = "%Y-%m-%dT%H:%M:%SZ"

    def to_wire(self) -> str:
        """The apiserver's form: UTC, whole seconds, `Z` (`2026-01-02T03:04:05Z`)."""
        return format_time(self, micro=False)

    @classmethod
    def from_wire(cls, text: str) -> Time:
        """Parse RFC 3339; raises `TimeParseError` for anything else."""
        if not isinstance(text, str):
            raise TimeParseError(f"expected an RFC 3339 string, got {type(text).__name__}")
        try:
            parsed = cls.fromisoformat(text)  # an instance of cls, built once
        except ValueError:
            raise TimeParseError(f"not an RFC 3339 time: {text[:64]!r}") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        micro = issubclass(cls, MicroTime)

        def validate(value: Any) -> Time:
            if isinstance(value, cls):
                return value
            if isinstance(value, str):
                return cls.from_wire(value)
            if isinstance(value, datetime):
                return cls.from_wire(value.isoformat())
            raise ValueError(f"expected an RFC 3339 time, got {type(value).__name__}")

        validator = core_schema.no_info_plain_validator_function(validate)
        return core_schema.json_or_python_schema(
            json_schema=validator,
            python_schema=validator,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: format_time(value, micro=micro)
            ),
        )


class MicroTime(Time):
    """`metav1.MicroTime`: RFC 3339 with six fraction digits and `Z` on the wire."""

    def to_wire(self) -> str:
        """The apiserver's form: UTC, microseconds, `Z` (`2026-01-02T03:04:05.000060Z`)."""
        return format_time(self, micro=True)


TimeInput: TypeAlias = datetime | str
"""What a model constructor takes for a `Time`/`MicroTime` field: a `datetime` (naive means UTC)
or an RFC 3339 string; held as a `Time`/`MicroTime`. Anything else raises
`pydantic.ValidationError`."""


def format_time(value: datetime, *, micro: bool) -> str:
    """Formats a datetime the way the apiserver does (UTC, `Z`; a naive one is taken as UTC):
    `2026-01-02T03:04:05Z`, or with six fraction digits for ``micro`` (Go's RFC 3339 layouts,
    four-digit years)."""
    zone = value.tzinfo
    if zone is not None and zone is not UTC:
        value = value.astimezone(UTC)
    text = _isoformat(value, "T", "microseconds" if micro else "seconds")
    return (text if zone is None else text[:-6]) + "Z"  # "+00:00" -> "Z"


_isoformat = datetime.isoformat
