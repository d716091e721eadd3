"""How IR types become Python types in models and apply configurations (shared by both).

Scalar definitions (IntOrString, Quantity, Time, MicroTime) become the runtime's scalar types,
object definitions with properties become classes, anything else is inlined. One walk
(``annotation``) writes both annotations of a type; an ``AnnotationForm`` says where they differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kubetyped_codegen.ir import AnyType, ApiSpec, Array, Map, Primitive, Ref, Schema, TypeRef
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


@dataclass(frozen=True)
class AnnotationForm:
    """Where a model's annotation of a type and an apply configuration's differ.

    ``scalar(text, imports)``: the annotation of an inlined definition (``inline_type``'s text,
    e.g. ``"Quantity"``, ``"IntOrString"``, ``"dict[str, Any]"``); ``enum(values, imports)``:
    the annotation of a string enum; ``class_name(name)``: the name a model class is referred to
    by. Each records what it needs in ``imports``.
    """

    scalar: Callable[[str, ModelImports], str]
    enum: Callable[[tuple[str, ...], ModelImports], str]
    class_name: Callable[[str], str]


def annotation(ref: TypeRef, spec: ApiSpec, imports: ModelImports, form: AnnotationForm) -> str:
    """The annotation of a field (or item, or value) of type ``ref`` in ``form``; records the
    names it uses in ``imports``."""
    if isinstance(ref, Primitive):
        if ref.format == "int-or-string":
            return form.scalar("IntOrString", imports)
        if ref.enum:
            return form.enum(ref.enum, imports)
        return PRIMITIVES[ref.type]
    if isinstance(ref, Array):
        return f"list[{annotation(ref.items, spec, imports, form)}]"
    if isinstance(ref, Map):
        return f"dict[str, {annotation(ref.values, spec, imports, form)}]"
    if isinstance(ref, AnyType):
        imports.typing.add("Any")
        return "Any"
    assert isinstance(ref, Ref)
    target = spec.schemas[ref.name]
    if is_class(target):
        imports.modules.add(target.module)
        return f"{target.module}.{form.class_name(target.class_name)}"
    text = inline_type(target)
    if "Any" in text:
        imports.typing.add("Any")
    return form.scalar(text, imports)
