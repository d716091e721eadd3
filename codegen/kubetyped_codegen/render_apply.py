"""Apply configurations: the ``TypedDict`` next to each model that ``apply`` verbs accept.

client-go generates ``applyconfigurations/`` (builders with every field optional); here an
apply configuration is a ``TypedDict`` with the wire names as keys, every key optional, nested
models as their own apply configurations and scalars in their wire form (``Quantity`` ->
``str | int | float``). It is rendered into the model's own module (see ``render_models``),
for type checkers only (a ``TYPE_CHECKING`` block).
"""

from __future__ import annotations

import keyword

from kubetyped_codegen.ir import ApiSpec, Schema
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
from kubetyped_codegen.render_types import AnnotationForm, ModelImports, annotation, enum_literal

#: The wire form an apply configuration takes for a scalar definition.
_APPLY_SCALARS = {
    "IntOrString": "int | str",
    "Quantity": "str | int | float",
    "Time": "str",
    "MicroTime": "str",
}


def _apply_enum(values: tuple[str, ...], imports: ModelImports) -> str:
    imports.typing.add("Literal")
    return enum_literal(values)


#: An apply configuration's key: scalars in their wire form, nested models as their own apply
#: configurations.
APPLY_FORM = AnnotationForm(
    lambda text, _imports: _APPLY_SCALARS.get(text, text), _apply_enum, apply_name
)


def apply_configuration_lines(schema: Schema, spec: ApiSpec, imports: ModelImports) -> list[str]:
    """The ``TypedDict`` of a model's apply configuration (only for type checkers)."""
    name = apply_name(schema.class_name)
    keys = [(p.wire_name, annotation(p.type, spec, imports, APPLY_FORM)) for p in schema.properties]
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
