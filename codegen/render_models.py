"""The models renderer: IR schemas -> ``models/<gv>/`` packages (see docs/GENERATED.md).

Output is already in ``ruff format`` style (line breaking is done here, not by ruff), so ruff
is not needed at generation time; a unit test checks the output with ``ruff format --check``.
"""

from __future__ import annotations

import json
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
    import_block,
    import_line,
    layout,
    parse_type,
    prefixed,
    sorted_names,
)
from kubetyped.codegen.render_context import RenderContext

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
    model: set[str] = field(default_factory=lambda: {"Field", "KubeModel"})
    modules: set[str] = field(default_factory=set)


def annotation(ref: TypeRef, spec: ApiSpec, imports: _Imports) -> str:
    if isinstance(ref, Primitive):
        if ref.format == "int-or-string":
            imports.model.add("IntOrString")
            return "IntOrString"
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
    }
    return {k: v for k, v in sorted(found.items()) if v is not None}


def _literal(value: object) -> str:
    """A Python literal of JSON-ish data in ruff's style (double quotes, True)."""
    if value is True:
        return "True"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def field_lines(prop: Property, spec: ApiSpec, imports: _Imports) -> list[str]:
    """One field (and its attribute docstring), laid out as ``ruff format`` would."""
    type_text = annotation(prop.type, spec, imports)
    args: list[Doc] = [f"alias={_literal(prop.wire_name)}"]
    if not prop.required:
        type_text += " | None"
        args.insert(0, "None")
    extra = extension_dict(prop.extensions)
    if extra:
        entries = tuple(f"{_literal(k)}: {_literal(v)}" for k, v in extra.items())
        args.append(Brackets("json_schema_extra={", entries, "}", display=True))
    value = Brackets("Field(", tuple(args), ")")
    head = f"{prop.python_name}: {type_text} = "
    if 4 + len(head) + len("Field(") <= _LINE:
        lines = layout(prefixed(value, head), 4)
    elif 4 + len(head) + 1 <= _LINE:  # parenthesise the value
        lines = [f"    {head}(", *layout(value, 8), "    )"]
    else:  # the annotation itself is too long
        hint = parse_type(type_text)
        target = f"{prop.python_name}: "
        if isinstance(hint, Alternatives):  # parenthesised, split at `|`
            lines = [f"    {target}(", *layout(hint, 8)]
            lines += layout(prefixed(value, ") = "), 4)
        elif isinstance(hint, Brackets):  # split its own brackets
            lines = layout(prefixed(hint, target), 4, split=True)[:-1]
            lines += layout(prefixed(value, "] = "), 4)
        else:  # a name: nothing to split but the call
            lines = layout(prefixed(value, head), 4, split=True)
    return lines + docstring_lines(prop.description, 4)


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
    gvk = schema.gvks[0] if len(schema.gvks) == 1 else None
    if gvk is not None:
        imports.typing.add("ClassVar")
    docstring = docstring_lines(schema.description, 4) or [f'    """{schema.class_name}."""']
    refs = sorted((m, ctx.models_module(m)) for m in imports.modules)
    by_package: dict[str, list[str]] = {}
    for alias, module in refs:
        by_package.setdefault(module.rsplit(".", 1)[0], []).append(alias)
    if refs:
        imports.typing.add("TYPE_CHECKING")
    return _environment.get_template("model_class.py.jinja").render(
        typing_imports=", ".join(sorted_names(imports.typing)),
        model_imports="\n".join(import_line("kubetyped.model", imports.model)),
        ref_imports=import_block(by_package, 4),
        refs=refs,
        class_header=fit(Brackets(f"class {schema.class_name}(", ("KubeModel",), "):")),
        docstring="\n".join(docstring),
        gvk=gvk,
        fields=fields,
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
        for schema in sorted(schemas, key=lambda s: s.class_name):
            submodule = registry.claim(module_file_name(schema.class_name), schema.name)
            files[f"models/{module}/{submodule}.py"] = render_class(schema, spec, ctx)
            exports.append((schema.class_name, submodule))
        files[f"models/{module}/__init__.py"] = _environment.get_template(
            "models_package.py.jinja"
        ).render(
            docstring=f"Models of {_api_version(module, schemas)}.",
            exports=exports,
            import_lines=[_reexport_line(c, m) for c, m in sorted(exports, key=lambda e: e[1])],
        )
    return files


def _api_version(module: str, schemas: list[Schema]) -> str:
    for schema in schemas:
        for gvk in schema.gvks:
            if module != META_MODULE:
                return f"{gvk.group or 'core'}/{gvk.version}"
    return module.replace("_", "/", 1) if module != META_MODULE else "meta/v1 (apimachinery)"
