"""Strict construction and open enums: what user-built models may hold.

By default a model built by users (`Model(...)`, `Model.model_validate(...)`) keeps fields it
does not know and enum values it does not list, as objects read from the server do: a newer
apiserver may know them. `strict_construction()` is the client-side counterpart of the
apiserver's `fieldValidation=Strict` (KEP-2885): inside it, validation rejects unknown fields
and enum values outside the listed ones. The trusted decode path (`from_json`, `from_raw`)
never validates and is not affected.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, get_args

from pydantic import GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["OpenEnum", "strict_construction"]

_STRICT: ContextVar[bool] = ContextVar("kubetyped_strict_construction", default=False)


@contextmanager
def strict_construction(enabled: bool = True) -> Iterator[None]:
    """Within the block, validating a model rejects unknown fields and unknown enum values.

    Raises `pydantic.ValidationError` (types `unknown_field`, `unknown_enum_value`) naming the
    location, the field and the closest known name. Per thread and per asyncio task
    (a `ContextVar`). Objects decoded from the server (`from_json`/`from_raw`) are never
    checked. Mirrors the apiserver's `fieldValidation=Strict`, client-side.
    """
    token = _STRICT.set(enabled)
    try:
        yield
    finally:
        _STRICT.reset(token)


def strict_construction_enabled() -> bool:
    """True inside `strict_construction()`."""
    return _STRICT.get()


def _closest(name: str, candidates: list[str]) -> str:
    import difflib  # only on errors

    found = difflib.get_close_matches(name, candidates, n=1)
    return f"; did you mean {found[0]!r}?" if found else ""


def _known_names(model: type[BaseModel]) -> list[str]:
    names: list[str] = []
    for python_name, info in model.__pydantic_fields__.items():
        names.append(python_name)
        if info.serialization_alias and info.serialization_alias != python_name:
            names.append(info.serialization_alias)
    return names


def unknown_fields_error(model: type[BaseModel], extra: Mapping[str, Any]) -> PydanticCustomError:
    """The validation error for fields `model` does not declare (strict construction)."""
    known = _known_names(model)
    details = ", ".join(f"{name!r}{_closest(name, known)}" for name in extra)
    return PydanticCustomError(
        "unknown_field",
        "{model} has no field {details} (strict construction)",
        {"model": model.__name__, "details": details},
    )


def unknown_attribute_message(model: type[BaseModel], name: str) -> str:
    """The `AttributeError` text for assigning a field `model` does not declare."""
    known = list(model.__pydantic_fields__)
    for python_name, info in model.__pydantic_fields__.items():
        if info.serialization_alias == name:  # a wire name: point to the attribute
            return f"{model.__name__} has no attribute {name!r}; the field is {python_name!r}"
    return f"{model.__name__} has no attribute {name!r}{_closest(name, known)}"


class OpenEnum:
    """Marks a `Literal` of enum values as open: `Annotated[Literal["A", "B"], OpenEnum]`.

    Type checkers see the `Literal` (editors complete the values, others are errors). Validation
    accepts any string, since a newer apiserver may add values (Kubernetes enums are strings,
    like client-go's `type PullPolicy string`), except under `strict_construction()`.
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        allowed = frozenset(get_args(source))
        listed = ", ".join(repr(value) for value in get_args(source))

        def check(value: str) -> str:
            if value not in allowed and _STRICT.get():
                raise PydanticCustomError(
                    "unknown_enum_value",
                    "{value} is not one of {listed} (strict construction)",
                    {"value": repr(value), "listed": listed},
                )
            return value

        return core_schema.no_info_after_validator_function(check, core_schema.str_schema())
