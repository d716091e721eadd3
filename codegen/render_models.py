"""The models renderer: IR schemas -> ``models/<gv>/`` packages (see docs/GENERATED.md).

Output is already in ``ruff format`` style (line breaking is done here, not by ruff), so ruff
is not needed at generation time; a unit test checks the output with ``ruff format --check``.
"""

from __future__ import annotations

import json
import keyword
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from kubetyped.codegen.ir import (
    AnyType,
    ApiSpec,
    Array,
    Extensions,
    Map,
    Primitive,
    Property,
    Ref,
    Schema,
    TypeRef,
)
from kubetyped.codegen.naming import META_MODULE, NameRegistry, snake_case
from kubetyped.codegen.pyformat import (
    Alternatives,
    Brackets,
    Doc,
    fit,
    flat,
    import_block,
    import_line,
    layout,
    parse_type,
    prefixed,
    sorted_names,
)
from kubetyped.codegen.render_context import RenderContext
from kubetyped.codegen.writer import COMMENT_MARKER

#: Definitions rendered as runtime scalar types instead of classes.
SCALARS = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
}
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_LINE = 100

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
    autoescape=False,
)
_environment.globals["marker"] = COMMENT_MARKER  # the first line of every generated file


def is_class(schema: Schema) -> bool:
    """Object definitions with properties become classes; the rest are inlined types."""
    return schema.name not in SCALARS and bool(schema.properties)


def inline_type(schema: Schema) -> str:
    """The annotation standing for a definition that is not a class."""
    if schema.name in SCALARS:
        return SCALARS[schema.name]
    if schema.type in _PRIMITIVES and not schema.extensions.int_or_string:
        return _PRIMITIVES[schema.type]
    if schema.extensions.int_or_string:
        return "IntOrString"
    if schema.type == "object" and not schema.extensions.preserve_unknown_fields:
        return "dict[str, Any]"
    return "Any"


@dataclass
class _Imports:
    typing: set[str] = field(default_factory=set)
    abc: set[str] = field(default_factory=set)
    model: set[str] = field(default_factory=lambda: {"KubeModel"})
    modules: set[str] = field(default_factory=set)


def _enum_literal(values: tuple[str, ...]) -> str:
    return "Literal[" + ", ".join(_literal(v) for v in values) + "]"


def annotation(ref: TypeRef, spec: ApiSpec, imports: _Imports) -> str:
    """The model's annotation of a field (or item, or value) of type ``ref``."""
    if isinstance(ref, Primitive):
        if ref.format == "int-or-string":
            imports.model.add("IntOrString")
            return "IntOrString"
        if ref.enum:  # open: any string validates (see kubetyped.model.strict)
            imports.typing.update(("Annotated", "Literal"))
            imports.model.add("OpenEnum")
            return f"Annotated[{_enum_literal(ref.enum)}, OpenEnum]"
        return _PRIMITIVES[ref.type]
    if isinstance(ref, Array):
        return f"list[{annotation(ref.items, spec, imports)}]"
    if isinstance(ref, Map):
        return f"dict[str, {annotation(ref.values, spec, imports)}]"
    if isinstance(ref, AnyType):
        imports.typing.add("Any")
        return "Any"
    assert isinstance(ref, Ref)
    target = spec.schemas[ref.name]
    if is_class(target):
        imports.modules.add(target.module)
        return f"{target.module}.{target.class_name}"
    text = inline_type(target)
    if "Any" in text:
        imports.typing.add("Any")
    if text in SCALARS.values():
        imports.model.add(text)
    return text


#: The wire form an apply configuration takes for a scalar definition.
_APPLY_SCALARS = {
    "IntOrString": "int | str",
    "Quantity": "str | int | float",
    "Time": "str",
    "MicroTime": "str",
}


#: What a constructor takes for a scalar definition, wider than what the attribute holds: the
#: model validates and converts it (``kubetyped.model.scalars``).
_INIT_SCALARS = {"Quantity": "QuantityInput", "Time": "TimeInput", "MicroTime": "TimeInput"}


def init_annotation(ref: TypeRef, spec: ApiSpec, imports: _Imports) -> str | None:
    """The constructor's type of a field of type ``ref`` when it is wider than the attribute's
    (a Quantity given as ``"50m"``, a Time as a ``datetime``), else None.

    Maps become ``Mapping`` (covariant), so a ``dict[str, str]`` of quantities is accepted.
    """
    if isinstance(ref, Array):
        inner = init_annotation(ref.items, spec, imports)
        return None if inner is None else f"list[{inner}]"
    if isinstance(ref, Map):
        inner = init_annotation(ref.values, spec, imports)
        if inner is None:
            return None
        imports.abc.add("Mapping")
        return f"Mapping[str, {inner}]"
    if isinstance(ref, Ref):
        target = spec.schemas[ref.name]
        wider = None if is_class(target) else _INIT_SCALARS.get(inline_type(target))
        if wider is not None:
            imports.model.add(wider)
        return wider
    return None


def init_lines(schema: Schema, spec: ApiSpec, imports: _Imports) -> list[str]:
    """A constructor signature for type checkers, for a model that has a field whose
    constructor type is wider than its attribute type (see ``init_annotation``); else nothing.

    ``dataclass_transform`` would give the attribute type to the parameter; mypy and pyright
    both use a class's own ``__init__`` instead. At run time pydantic's ``__init__`` is used.
    """
    params: list[tuple[str, str, bool]] = []
    wider = False
    for prop in schema.properties:
        init_type = init_annotation(prop.type, spec, imports)
        wider = wider or init_type is not None
        text = init_type or annotation(prop.type, spec, imports)
        params.append(
            (prop.python_name, text if prop.required else f"{text} | None", prop.required)
        )
    if not wider:
        return []
    lines = [
        "",
        "    if TYPE_CHECKING:",
        "",
        "        def __init__(",
        "            self,",
        "            *,",
    ]
    for name, text, required in params:
        lines += layout(
            prefixed(parse_type(text), f"{name}: "), 12, "," if required else " = None,"
        )
    return [*lines, "        ) -> None: ..."]


def apply_name(class_name: str) -> str:
    """The apply configuration of a model (client-go's ``<Kind>ApplyConfiguration``)."""
    return f"{class_name}ApplyConfiguration"


def apply_annotation(ref: TypeRef, spec: ApiSpec, imports: _Imports) -> str:
    """The type of a key of an apply configuration: wire form, nested models as their own
    apply configurations."""
    if isinstance(ref, Primitive):
        if ref.format == "int-or-string":
            return _APPLY_SCALARS["IntOrString"]
        if ref.enum:
            imports.typing.add("Literal")
            return _enum_literal(ref.enum)
        return _PRIMITIVES[ref.type]
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


def extension_dict(ext: Extensions) -> dict[str, object]:
    found: dict[str, object] = {
        "x-kubernetes-list-type": ext.list_type,
        "x-kubernetes-list-map-keys": list(ext.list_map_keys) or None,
        "x-kubernetes-map-type": ext.map_type,
        "x-kubernetes-patch-strategy": ext.patch_strategy,
        "x-kubernetes-patch-merge-key": ext.patch_merge_key,
        "x-kubernetes-int-or-string": ext.int_or_string or None,
        "x-kubernetes-preserve-unknown-fields": ext.preserve_unknown_fields or None,
        "x-kubernetes-embedded-resource": ext.embedded_resource or None,
        "x-kubernetes-validations": [json.loads(r) for r in ext.validations] or None,
        "default": json.loads(ext.default) if ext.default is not None else None,
    }
    return {k: v for k, v in sorted(found.items()) if v is not None}


def _literal(value: object) -> str:
    """A Python literal of JSON-ish data in ruff's style (double quotes, True)."""
    if value is True or value is False or value is None:
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.count('"') > value.count("'"):
        # the quotes needing fewer escapes, as ruff format picks them
        return "'" + text[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"
    return text


def _literal_doc(value: object) -> Doc:
    """``_literal`` as a layout document: lists and dicts split the way ruff splits them."""
    if isinstance(value, list) and value:
        return Brackets("[", tuple(_literal_doc(v) for v in value), "]", display=True)
    if isinstance(value, dict) and value:
        items = tuple(prefixed(_literal_doc(v), f"{_literal(k)}: ") for k, v in value.items())
        return Brackets("{", items, "}", display=True)
    return _literal(value)


def field_lines(prop: Property, spec: ApiSpec, imports: _Imports) -> list[str]:
    """One field (and its attribute docstring), laid out as ``ruff format`` would.

    ``Field(default=..., validation_alias=..., serialization_alias=...)``: with ``alias=`` or a
    positional default, type checkers (``dataclass_transform``) would take the wire name as
    the parameter and lose the default. Fields named as on the wire need no aliases.
    """
    type_text = annotation(prop.type, spec, imports)
    args: list[Doc] = []
    if not prop.required:
        type_text += " | None"
        args.append("default=None")
    if prop.wire_name != prop.python_name:
        wire = _literal(prop.wire_name)
        args += [f"validation_alias={wire}", f"serialization_alias={wire}"]
    extra = extension_dict(prop.extensions)
    if extra:
        entries = tuple(prefixed(_literal_doc(v), f"{_literal(k)}: ") for k, v in extra.items())
        args.append(Brackets("json_schema_extra={", entries, "}", display=True))
    value: Doc | None
    if not args:
        value = None
    elif args == ["default=None"]:
        value = "None"
    else:
        imports.model.add("Field")
        value = Brackets("Field(", tuple(args), ")")
    return _assignment(prop.python_name, type_text, value, 4) + docstring_lines(prop.description, 4)


def _assignment(target: str, type_text: str, value: Doc | None, indent: int) -> list[str]:
    """``target: type_text = value`` (or a bare annotation) laid out as ruff would."""
    pad = " " * indent
    if value is None:
        line = f"{target}: {type_text}"
        if indent + len(line) <= _LINE:
            return [pad + line]
        hint = parse_type(type_text)
        if isinstance(hint, Brackets):
            return layout(prefixed(hint, f"{target}: "), indent, split=True)
        if isinstance(hint, str) and indent + 4 + len(hint) > _LINE:
            return [pad + line]  # ruff parenthesises only when that makes it fit
        return [f"{pad}{target}: (", *layout(hint, indent + 4), f"{pad})"]
    head = f"{target}: {type_text} = "
    opening = value.open if isinstance(value, Brackets) else flat(value)
    if indent + len(head) + len(opening) <= _LINE:
        return layout(prefixed(value, head), indent)
    if indent + len(head) + 1 <= _LINE and (
        max(len(line) for line in layout(value, indent + 4)) <= _LINE
        or isinstance(parse_type(type_text), Alternatives | Brackets)
    ):
        return [f"{pad}{head}(", *layout(value, indent + 4), f"{pad})"]  # parenthesise the value
    if indent + len(head) + 1 <= _LINE:  # too long anyway (a long CEL rule): ruff hugs the call
        return layout(prefixed(value, head), indent, split=True)
    hint = parse_type(type_text)  # the annotation itself is too long
    if isinstance(hint, Alternatives):  # parenthesised, split at `|`
        return [
            f"{pad}{target}: (",
            *layout(hint, indent + 4),
            *layout(prefixed(value, ") = "), indent),
        ]
    if isinstance(hint, Brackets):  # split its own brackets
        lines = layout(prefixed(hint, f"{target}: "), indent, split=True)[:-1]
        return lines + layout(prefixed(value, "] = "), indent)
    return layout(prefixed(value, head), indent, split=True)


def _assignment_value(target: str, value: str, indent: int) -> list[str]:
    """``target = value``; ruff parenthesises the value when that makes the line fit."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if len(line) <= _LINE or len(f"{pad}{target} = (") > _LINE:
        return [line]
    return [f"{pad}{target} = (", f"{pad}    {value}", f"{pad})"]


def apply_configuration_lines(schema: Schema, spec: ApiSpec, imports: _Imports) -> list[str]:
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
            lines += _assignment(key, type_text, None, 8)
        return lines
    entries = tuple(prefixed(parse_type(t), f"{_literal(k)}: ") for k, t in keys)
    call = Brackets(
        "TypedDict(",
        (_literal(name), Brackets("{", entries, "}", display=True), "total=False"),
        ")",
    )
    return layout(prefixed(call, f"{name} = "), 4)


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\t", "    ")
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return text


def docstring_lines(description: str, indent: int) -> list[str]:
    """An attribute/class docstring wrapped at 100 columns; nothing for no description."""
    text = _escape(description.strip())
    if not text:
        return []
    pad = " " * indent
    width = _LINE - indent
    wrapped: list[str] = []
    first, *rest = text.splitlines()
    lines = [first, *textwrap.dedent("\n".join(rest)).splitlines()]  # ruff strips common indent
    for number, line in enumerate(lines):
        line = line.rstrip()
        opening = 3 if number == 0 else 0  # the first line follows the opening quotes
        if len(line) + opening <= width or line.startswith(" "):
            wrapped.append(line)
        else:
            chunks = textwrap.wrap(
                "\0" * opening + line, width, break_long_words=False, break_on_hyphens=False
            )
            wrapped.extend(c.replace("\0", "") for c in chunks)
    if len(wrapped) == 1:  # ruff keeps one-line docstrings on one line, whatever their length
        return [f'{pad}"""{wrapped[0]}"""']
    body = [f"{pad}{w}" if w else "" for w in wrapped]
    body[0] = f'{pad}"""{wrapped[0]}'
    return [*body, f'{pad}"""']


def render_class(schema: Schema, spec: ApiSpec, ctx: RenderContext) -> str:
    imports = _Imports()
    fields: list[str] = []
    for prop in schema.properties:
        fields.append("\n".join(field_lines(prop, spec, imports)))
    constructor = init_lines(schema, spec, imports)
    apply_lines = apply_configuration_lines(schema, spec, imports)
    imports.typing.update(("TYPE_CHECKING", "TypedDict"))
    gvk = schema.gvks[0] if len(schema.gvks) == 1 else None
    if gvk is not None:
        imports.typing.add("ClassVar")
    docstring = docstring_lines(schema.description, 4) or [f'    """{schema.class_name}."""']
    refs = sorted((m, ctx.models_module(m)) for m in imports.modules)
    by_package: dict[str, list[str]] = {}
    for alias, module in refs:
        by_package.setdefault(module.rsplit(".", 1)[0], []).append(alias)
    return _environment.get_template("model_class.py.jinja").render(
        abc_imports=", ".join(sorted_names(imports.abc)),
        typing_imports=", ".join(sorted_names(imports.typing)),
        model_imports="\n".join(import_line("kubetyped.model", imports.model)),
        ref_imports=import_block(by_package, 4),
        refs=refs,
        class_header=fit(Brackets(f"class {schema.class_name}(", ("KubeModel",), "):")),
        docstring="\n".join(docstring),
        gvk=gvk,
        fields=fields,
        constructor="\n".join(constructor),
        apply_configuration="\n".join(apply_lines),
        apply_fallback="\n".join(_assignment_value(apply_name(schema.class_name), "dict", 4)),
    )


def _reexport_line(class_name: str, submodule: str) -> str:
    line = f"from .{submodule} import {class_name} as {class_name}"
    if 4 + len(line) <= _LINE:
        return line
    return f"from .{submodule} import (\n        {class_name} as {class_name},\n    )"


def module_file_name(class_name: str) -> str:
    return f"_{snake_case(class_name)}"


def render_models(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """``models/`` files for every class-worthy schema of ``spec``."""
    files: dict[str, str] = {
        "models/__init__.py": _environment.get_template("models_root.py.jinja").render(
            version=spec.version_info.major_minor
        )
    }
    modules: dict[str, list[Schema]] = {}
    for schema in spec.schemas.values():
        if is_class(schema) and ctx.renders(schema.module):
            modules.setdefault(schema.module, []).append(schema)
    for module, schemas in sorted(modules.items()):
        registry = NameRegistry(f"package models/{module}")
        exports = []
        names = NameRegistry(f"module models/{module}")
        for schema in schemas:
            names.claim(schema.class_name, schema.name)
        for schema in sorted(schemas, key=lambda s: (not s.class_name.isupper(), s.class_name)):
            submodule = registry.claim(module_file_name(schema.class_name), schema.name)
            files[f"models/{module}/{submodule}.py"] = render_class(schema, spec, ctx)
            configuration = names.claim(apply_name(schema.class_name), f"{schema.name} (apply)")
            exports += [(schema.class_name, submodule), (configuration, submodule)]
        files[f"models/{module}/__init__.py"] = _environment.get_template(
            "models_package.py.jinja"
        ).render(
            docstring=f"Models of {_api_version(module, schemas)}.",
            exports=sorted(exports, key=lambda e: (not e[0].isupper(), e)),  # ruff's RUF022
            import_lines=[_reexport_line(c, m) for c, m in sorted(exports, key=lambda e: e[1])],
        )
    return files


def _api_version(module: str, schemas: list[Schema]) -> str:
    for schema in schemas:
        for gvk in schema.gvks:
            if module != META_MODULE:
                return f"{gvk.group or 'core'}/{gvk.version}"
    return module.replace("_", "/", 1) if module != META_MODULE else "meta/v1 (apimachinery)"
