"""How IR types become Python types in models and apply configurations (shared by both).

Scalar definitions (IntOrString, Quantity, Time, MicroTime) become the runtime's scalar types,
object definitions with properties become classes, anything else is inlined.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubetyped_codegen.ir import Schema
from kubetyped_codegen.pyformat import literal

#: Definitions rendered as runtime scalar types instead of classes.
SCALARS = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
}


PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def is_class(schema: Schema) -> bool:
    """Object definitions with properties become classes; the rest are inlined types."""
    return schema.name not in SCALARS and bool(schema.properties)


def inline_type(schema: Schema) -> str:
    """The annotation standing for a definition that is not a class."""
    if schema.name in SCALARS:
        return SCALARS[schema.name]
    if schema.type in PRIMITIVES and not schema.extensions.int_or_string:
        return PRIMITIVES[schema.type]
    if schema.extensions.int_or_string:
        return "IntOrString"
    if schema.type == "object" and not schema.extensions.preserve_unknown_fields:
        return "dict[str, Any]"
    return "Any"


@dataclass
class ModelImports:
    """What one model module imports, collected while its annotations are written.

    ``typing``: names from ``typing``; ``abc``: names from ``collections.abc``; ``model``:
    names from ``kubetyped.model``;
    ``modules``: group-version model modules referenced (imported for type checkers only).
    """

    typing: set[str] = field(default_factory=set)
    abc: set[str] = field(default_factory=set)
    model: set[str] = field(default_factory=lambda: {"KubeModel"})
    modules: set[str] = field(default_factory=set)


def enum_literal(values: tuple[str, ...]) -> str:
    """``Literal["A", "B"]`` of an enum's values, as ruff formats string literals."""
    return "Literal[" + ", ".join(literal(v) for v in values) + "]"
