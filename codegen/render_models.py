"""The models renderer: IR schemas -> ``models/<gv>/`` packages (see docs/GENERATED.md).

Output is already in ``ruff format`` style (line breaking is done here, not by ruff), so ruff
is not needed at generation time; a unit test checks the output with ``ruff format --check``.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
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
    typing: set[str] = field(default_factory=lambda: {"TYPE_CHECKING"})
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


def call_lines(prefix: str, args: list[str], indent: int, dict_lines: list[str]) -> list[str]:
    """``<prefix>Field(<args>)`` at ``indent``; ``dict_lines``: the exploded extra dict, if any."""
    pad, inner = " " * indent, " " * (indent + 4)
    one_line = f"{pad}{prefix}Field({', '.join(args)})"
    if not dict_lines and len(one_line) <= _LINE:
        return [one_line]
    if not dict_lines and indent + 4 + len(", ".join(args)) <= _LINE:
        return [f"{pad}{prefix}Field(", inner + ", ".join(args), f"{pad})"]
    lines = [f"{pad}{prefix}Field(", *[f"{inner}{a}," for a in args]]
    if dict_lines:  # the last arg opened the dict: its entries, then close it
        lines[-1] = lines[-1][:-1]
        lines += [f"{inner}    {d}," for d in dict_lines] + [f"{inner}}},"]
    return [*lines, f"{pad})"]


def field_lines(prop: Property, spec: ApiSpec, imports: _Imports) -> list[str]:
    """One field (and its attribute docstring), laid out as ``ruff format`` would."""
    type_text = annotation(prop.type, spec, imports)
    args = [f"alias={_literal(prop.wire_name)}"]
    if not prop.required:
        type_text += " | None"
        args.insert(0, "None")
    dict_lines: list[str] = []
    extra = extension_dict(prop.extensions)
    if extra:
        entries = [f"{_literal(k)}: {_literal(v)}" for k, v in extra.items()]
        flat = "{" + ", ".join(entries) + "}"
        if 8 + len("json_schema_extra=,") + len(flat) <= _LINE:
            args.append(f"json_schema_extra={flat}")
        else:
            args.append("json_schema_extra={")
            dict_lines = entries
    head = f"{prop.python_name}: {type_text} = "
    if 4 + len(head) + len("Field(") <= _LINE:
        lines = call_lines(head, args, 4, dict_lines)
    elif 4 + len(head) + 1 <= _LINE:  # parenthesise the value
        lines = [f"    {head}(", *call_lines("", args, 8, dict_lines), "    )"]
    else:  # parenthesise the annotation
        lines = [f"    {prop.python_name}: (", f"        {type_text}"]
        lines += call_lines(") = ", args, 4, dict_lines)
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
    ref_imports = [
        _import_line(package, aliases) for package, aliases in sorted(by_package.items())
    ]
    return _environment.get_template("model_class.py.jinja").render(
        typing_imports=_sorted_names(imports.typing),
        model_imports=_sorted_names(imports.model),
        ref_imports=ref_imports,
        refs=refs,
        class_name=schema.class_name,
        docstring="\n".join(docstring),
        gvk=gvk,
        fields=fields,
    )


def _import_line(package: str, aliases: list[str]) -> str:
    line = f"from {package} import {', '.join(aliases)}"
    if 4 + len(line) <= _LINE:
        return line
    inner = "\n".join(f"        {a}," for a in aliases)
    return f"from {package} import (\n{inner}\n    )"


def _reexport_line(class_name: str, submodule: str) -> str:
    line = f"from .{submodule} import {class_name} as {class_name}"
    if 4 + len(line) <= _LINE:
        return line
    return f"from .{submodule} import (\n        {class_name} as {class_name},\n    )"


def _sorted_names(names: Iterable[str]) -> list[str]:
    """isort order: CONSTANTS, then Classes, then functions (case-sensitive within each)."""

    def key(name: str) -> tuple[int, str]:
        if name.isupper():
            return (0, name)
        return (1 if name[:1].isupper() else 2, name)

    return sorted(set(names), key=key)


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
        if is_class(schema) and (schema.module != META_MODULE or ctx.render_meta):
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
            import_lines=[_reexport_line(c, m) for c, m in exports],
        )
    return files


def _api_version(module: str, schemas: list[Schema]) -> str:
    for schema in schemas:
        for gvk in schema.gvks:
            if module != META_MODULE:
                return f"{gvk.group or 'core'}/{gvk.version}"
    return module.replace("_", "/", 1) if module != META_MODULE else "meta/v1 (apimachinery)"
