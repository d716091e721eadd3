"""The models renderer: IR schemas -> ``models/<gv>/`` packages (see docs/GENERATED.md).

One package per group-version, one private submodule per class (``models/apps_v1/_deployment.py``
holds ``Deployment`` and its apply configuration, see ``render_apply``), re-exported lazily by
the package. Output is already in ``ruff format`` style (line breaking is done here, not by
ruff), so ruff is not needed at generation time; a unit test checks the output with
``ruff format --check``.
"""

from __future__ import annotations

import json
import re

from kubetyped_codegen.ir import (
    ApiSpec,
    Array,
    Extensions,
    Map,
    Property,
    Ref,
    Schema,
    TypeRef,
)
from kubetyped_codegen.naming import META_MODULE, NameRegistry, apply_name, module_file_name
from kubetyped_codegen.pyformat import (
    LINE,
    Brackets,
    Doc,
    assignment,
    assignment_value,
    docstring_lines,
    fit,
    import_block,
    import_line,
    layout,
    literal,
    literal_doc,
    parse_type,
    prefixed,
    sorted_names,
)
from kubetyped_codegen.render_apply import apply_configuration_lines
from kubetyped_codegen.render_common import environment
from kubetyped_codegen.render_context import RenderContext
from kubetyped_codegen.render_types import (
    SCALARS,
    AnnotationForm,
    ModelImports,
    annotation,
    enum_literal,
    inline_type,
    is_class,
)


def _model_scalar(text: str, imports: ModelImports) -> str:
    if text in SCALARS.values():
        imports.model.add(text)
    return text


def _model_enum(values: tuple[str, ...], imports: ModelImports) -> str:
    # open: any string validates (see kubetyped.model.strict)
    imports.typing.update(("Annotated", "Literal"))
    imports.model.add("OpenEnum")
    return f"Annotated[{enum_literal(values)}, OpenEnum]"


#: A model's attribute: the runtime's scalar types, open enums, the model classes.
MODEL_FORM = AnnotationForm(_model_scalar, _model_enum, lambda name: name)


#: What a constructor takes for a scalar definition, wider than what the attribute holds: the
#: model validates and converts it (``kubetyped.model.scalars``).
_INIT_SCALARS = {"Quantity": "QuantityInput", "Time": "TimeInput", "MicroTime": "TimeInput"}


def init_annotation(ref: TypeRef, spec: ApiSpec, imports: ModelImports) -> str | None:
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


def init_lines(schema: Schema, spec: ApiSpec, imports: ModelImports) -> list[str]:
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
        text = init_type or annotation(prop.type, spec, imports, MODEL_FORM)
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


def extension_dict(ext: Extensions) -> dict[str, object]:
    """The ``x-kubernetes-*`` extensions (and a CRD default) kept in ``json_schema_extra``."""
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


def field_lines(prop: Property, spec: ApiSpec, imports: ModelImports) -> list[str]:
    """One field (and its attribute docstring), laid out as ``ruff format`` would.

    ``Field(default=..., validation_alias=..., serialization_alias=...)``: with ``alias=`` or a
    positional default, type checkers (``dataclass_transform``) would take the wire name as
    the parameter and lose the default. Fields named as on the wire need no aliases.
    """
    type_text = annotation(prop.type, spec, imports, MODEL_FORM)
    args: list[Doc] = []
    if not prop.required:
        type_text += " | None"
        args.append("default=None")
    if prop.wire_name != prop.python_name:
        wire = literal(prop.wire_name)
        args += [f"validation_alias={wire}", f"serialization_alias={wire}"]
    extra = extension_dict(prop.extensions)
    if extra:
        entries = tuple(prefixed(literal_doc(v), f"{literal(k)}: ") for k, v in extra.items())
        args.append(Brackets("json_schema_extra={", entries, "}", display=True))
    value: Doc | None
    if not args:
        value = None
    elif args == ["default=None"]:
        value = "None"
    else:
        imports.model.add("Field")
        value = Brackets("Field(", tuple(args), ")")
    return assignment(prop.python_name, type_text, value, 4) + docstring_lines(prop.description, 4)


def render_class(schema: Schema, spec: ApiSpec, ctx: RenderContext) -> str:
    """The module text of one model class and its apply configuration (``_<class>.py``)."""
    imports = ModelImports()
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
    return (
        environment()
        .get_template("model_class.py.jinja")
        .render(
            abc_imports=", ".join(sorted_names(imports.abc)),
            typing_imports=", ".join(sorted_names(imports.typing)),
            model_imports="\n".join(import_line("kubetyped.model", imports.model)),
            ref_imports=import_block(by_package, 4, package=ctx.package),
            refs=refs,
            class_header=fit(Brackets(f"class {schema.class_name}(", ("KubeModel",), "):")),
            docstring="\n".join(docstring),
            gvk=gvk,
            fields=fields,
            constructor="\n".join(constructor),
            apply_configuration="\n".join(apply_lines),
            apply_fallback="\n".join(assignment_value(apply_name(schema.class_name), "dict", 4)),
            aliases=[
                line
                for alias in schema.aliases
                for target, value in (
                    (alias, schema.class_name),
                    (apply_name(alias), apply_name(schema.class_name)),
                )
                for line in assignment_value(target, value, 0)
            ],
        )
    )


def _member_order(name: str) -> list[str | int]:
    """ruff's isort order of imported members: case-insensitive, numbers by value."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def _reexport_line(class_name: str, submodule: str) -> str:
    line = f"from .{submodule} import {class_name} as {class_name}"
    if 4 + len(line) <= LINE:
        return line
    return f"from .{submodule} import (\n        {class_name} as {class_name},\n    )"


def render_models(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """``models/`` files for every class-worthy schema of ``spec``."""
    files: dict[str, str] = {
        "models/__init__.py": environment()
        .get_template("models_root.py.jinja")
        .render(version=spec.version_info.major_minor)
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
            for alias in schema.aliases:
                names.claim(alias, f"{schema.name} (alias)")
                names.claim(apply_name(alias), f"{schema.name} (alias, apply)")
                exports += [(alias, submodule), (apply_name(alias), submodule)]
        files[f"models/{module}/__init__.py"] = (
            environment()
            .get_template("models_package.py.jinja")
            .render(
                docstring=f"Models of {_api_version(module, schemas)}.",
                exports=sorted(exports, key=lambda e: (not e[0].isupper(), e)),  # ruff's RUF022
                import_lines=[
                    _reexport_line(c, m)
                    for c, m in sorted(exports, key=lambda e: (e[1], _member_order(e[0]), e[0]))
                ],
            )
        )
    return files


def _api_version(module: str, schemas: list[Schema]) -> str:
    for schema in schemas:
        for gvk in schema.gvks:
            if module != META_MODULE:
                return f"{gvk.group or 'core'}/{gvk.version}"
    return module.replace("_", "/", 1) if module != META_MODULE else "meta/v1 (apimachinery)"
