"""Apply configurations: the ``TypedDict`` next to each model that ``apply`` verbs accept.

client-go generates ``applyconfigurations/`` (builders with every field optional); here an
apply configuration is a ``TypedDict`` with the wire names as keys, every key optional, nested
models as their own apply configurations and scalars in their wire form (``Quantity`` ->
``str | int | float``). It is rendered into the model's own module (see ``render_models``),
for type checkers only (a ``TYPE_CHECKING`` block).
"""

from __future__ import annotations

import keyword

from kubetyped_codegen.ir import AnyType, ApiSpec, Array, Map, Primitive, Ref, Schema, TypeRef
from kubetyped_codegen.naming import apply_name
from kubetyped_codegen.pyformat import (
    Brackets,
    assignment,
    docstring_lines,
    layout,
    literal,
    parse_type,
    prefixed,
)
from kubetyped_codegen.render_types import (
    PRIMITIVES,
    ModelImports,
    enum_literal,
    inline_type,
    is_class,
)

#: The wire form an apply configuration takes for a scalar definition.
_APPLY_SCALARS = {
    "IntOrString": "int | str",
    "Quantity": "str | int | float",
    "Time": "str",
    "MicroTime": "str",
}


def apply_annotation(ref: TypeRef, spec: ApiSpec, imports: ModelImports) -> str:
    """The type of a key of an apply configuration: wire form, nested models as their own
    apply configurations."""
    if isinstance(ref, Primitive):
        if ref.format == "int-or-string":
            return _APPLY_SCALARS["IntOrString"]
        if ref.enum:
            imports.typing.add("Literal")
            return enum_literal(ref.enum)
        return PRIMITIVES[ref.type]
    if isinstance(ref, Array):
        return f"list[{apply_annotation(ref.items, spec, imports)}]"
    if isinstance(ref, Map):
        return f"dict[str, {apply_annotation(ref.values, spec, imports)}]"
    if isinstance(ref, AnyType):
        imports.typing.add("Any")
        return "Any"
    assert isinstance(ref, Ref)
    target = spec.schemas[ref.name]
    if is_class(target):
        imports.modules.add(target.module)
        return f"{target.module}.{apply_name(target.class_name)}"
    text = inline_type(target)
    if "Any" in text:
        imports.typing.add("Any")
    return _APPLY_SCALARS.get(text, text)


def apply_configuration_lines(schema: Schema, spec: ApiSpec, imports: ModelImports) -> list[str]:
    """The ``TypedDict`` of a model's apply configuration (only for type checkers)."""
    name = apply_name(schema.class_name)
    keys = [(p.wire_name, apply_annotation(p.type, spec, imports)) for p in schema.properties]
    docstring = docstring_lines(
        f"{schema.class_name} as a partial object for server-side apply: wire names, every key "
        "optional (client-go's applyconfigurations).",
        8,
    )
    if all(k.isidentifier() and not keyword.iskeyword(k) for k, _ in keys):
        header = layout(Brackets(f"class {name}(", ("TypedDict", "total=False"), "):"), 4)
        lines = ["", *header, *docstring]
        if keys:
            lines.append("")
        for key, type_text in keys:
            lines += assignment(key, type_text, None, 8)
        return lines
    entries = tuple(prefixed(parse_type(t), f"{literal(k)}: ") for k, t in keys)
    call = Brackets(
        "TypedDict(",
        (literal(name), Brackets("{", entries, "}", display=True), "total=False"),
        ")",
    )
    return layout(prefixed(call, f"{name} = "), 4)
