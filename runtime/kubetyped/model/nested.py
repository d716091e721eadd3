"""Nested models are validated through their own validator, built when first needed.

pydantic builds one validator per model class, inlining every model the class can reach: the
first ``Workflow.model_validate`` of argo-workflows built about 200 classes (most of core/v1),
though a realistic Workflow uses about 30. Here a model reached from the one being built is a
small function schema that calls the nested class's own validator, which pydantic builds
(``defer_build``) the first time a value of that class is validated. So the first validation
builds the classes the data uses, not the classes the schema could use.

What is kept: error locations (pydantic-core prefixes the nested errors with the field path),
``context``, instances passed through unvalidated (``revalidate_instances="never"``) and
serialisation through the nested class's own serializer. What is lost: ``strict=True``,
``from_attributes`` and ``by_alias``/``by_name`` given to ``model_validate`` do not reach nested
models (the class config, which accepts both names, applies), and their JSON schema is ``{}``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from pydantic_core import core_schema

from kubetyped.model.plan import inject_references

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler

    from kubetyped.model.base import KubeModel

__all__: list[str] = []

_state = threading.local()


def model_schema(
    cls: type[KubeModel], source: Any, handler: GetCoreSchemaHandler
) -> core_schema.CoreSchema:
    """The core schema of ``cls`` where pydantic asks for it (``__get_pydantic_core_schema__``).

    The first model of a schema generation (the class being built, or the first model of a
    ``TypeAdapter``) gets its full schema; the models reached from it get ``deferred(cls)``.
    """
    depth: int = getattr(_state, "depth", 0)
    if depth:
        return deferred(cls)
    bind_references(cls)  # also reached without model_rebuild: TypeAdapter, a user's model
    _state.depth = depth + 1
    try:
        return handler(source)
    finally:
        _state.depth = depth


def bind_references(cls: type) -> None:
    """Binds the modules the annotations of ``cls`` and its generated bases refer to (imported
    only under ``TYPE_CHECKING`` in generated modules), before pydantic evaluates them."""
    for klass in cls.__mro__:
        if klass is not object:
            inject_references(klass)


def deferred(cls: type[KubeModel]) -> core_schema.CoreSchema:
    """A schema validating and serialising a ``cls`` value with ``cls``'s own (lazy) schema."""

    # An instance passed in is kept as it is (`revalidate_instances="never"`), without a call
    # into the validator: what building objects from objects (`Pod(spec=PodSpec(...))`) does.
    passthrough = cls.model_config.get("revalidate_instances", "never") == "never"

    def validate(value: Any, info: core_schema.ValidationInfo) -> Any:
        if passthrough and isinstance(value, cls):
            return value
        if not cls.__pydantic_complete__:
            cls.model_rebuild()
        context = info.context
        if context is None:
            return cls.__pydantic_validator__.validate_python(value)
        return cls.__pydantic_validator__.validate_python(value, context=context)

    def serialize(value: Any, handler: core_schema.SerializerFunctionWrapHandler) -> Any:
        kind = type(value)
        if not getattr(kind, "__pydantic_complete__", True):
            kind.model_rebuild()
        return handler(value)  # inferred: the value's own serializer, same options

    return core_schema.with_info_plain_validator_function(
        validate,
        json_schema_input_schema=core_schema.any_schema(),
        serialization=core_schema.wrap_serializer_function_ser_schema(
            serialize, schema=core_schema.any_schema()
        ),
    )
