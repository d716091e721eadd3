"""Definitions (OpenAPI v2-shaped dicts) -> IR ``Schema``s. Shared by the v2 and v3 loaders."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Set
from typing import Any, cast

from kubetyped_codegen.errors import SpecError
from kubetyped_codegen.ir import (
    GVK,
    NO_EXTENSIONS,
    AnyType,
    Array,
    Extensions,
    Map,
    Primitive,
    PrimitiveType,
    Property,
    Ref,
    Schema,
    TypeRef,
)
from kubetyped_codegen.naming import (
    NameRegistry,
    class_name,
    definition_module,
    group_python_name,
    group_python_names,
    group_version_python_name,
    python_attribute,
    ref_name,
)

DEFINITIONS_PREFIX = "#/definitions/"
#: where the CRD hoister keeps a property's ``default`` (built-in specs' defaults are dropped)
CRD_DEFAULT = "x-kubetyped-default"
_PRIMITIVES = frozenset({"string", "integer", "number", "boolean"})


def definition_ref(ref: str, source: str) -> str:
    """The definition a property's ``$ref`` names; ``SpecError`` for a ref elsewhere."""
    name = ref_name(ref, DEFINITIONS_PREFIX)
    if name is None:
        raise SpecError(f"unsupported $ref {ref!r}", source=source)
    return name


def is_deprecated(description: str) -> bool:
    """Kubernetes marks deprecation in prose: 'Deprecated: ...' or 'DEPRECATED'."""
    head = description.lstrip()
    return head.startswith(("Deprecated", "DEPRECATED")) or "\nDeprecated:" in description


def extensions(raw: Mapping[str, Any]) -> Extensions:
    """The Kubernetes extensions of a schema (list/map types, patch strategy, CEL rules, ...)."""
    found = Extensions(
        list_type=raw.get("x-kubernetes-list-type"),
        list_map_keys=tuple(raw.get("x-kubernetes-list-map-keys", ())),
        map_type=raw.get("x-kubernetes-map-type"),
        patch_strategy=raw.get("x-kubernetes-patch-strategy"),
        patch_merge_key=raw.get("x-kubernetes-patch-merge-key"),
        int_or_string=bool(raw.get("x-kubernetes-int-or-string", False)),
        preserve_unknown_fields=bool(raw.get("x-kubernetes-preserve-unknown-fields", False)),
        embedded_resource=bool(raw.get("x-kubernetes-embedded-resource", False)),
        validations=tuple(
            json.dumps(rule, sort_keys=True, ensure_ascii=False)
            for rule in raw.get("x-kubernetes-validations") or ()
            if isinstance(rule, Mapping)
        ),
        default=(
            json.dumps(raw[CRD_DEFAULT], sort_keys=True, ensure_ascii=False)
            if CRD_DEFAULT in raw
            else None
        ),
    )
    return NO_EXTENSIONS if found == NO_EXTENSIONS else found


def type_ref(raw: Mapping[str, Any], source: str) -> TypeRef:
    """The TypeRef of a property (or array item / map value) schema."""
    if "$ref" in raw:
        return Ref(definition_ref(raw["$ref"], source))
    if raw.get("x-kubernetes-int-or-string"):
        return Primitive("string", "int-or-string")
    kind = raw.get("type")
    if raw.get("x-kubernetes-preserve-unknown-fields") and kind in (None, "object"):
        return AnyType()
    if kind == "array":
        if not isinstance(raw.get("items"), Mapping):
            raise SpecError("array without items", source=source)
        return Array(type_ref(raw["items"], f"{source}[]"))
    if kind == "object":
        if "properties" in raw:
            raise SpecError("inline object schemas must be hoisted to definitions", source=source)
        values = raw.get("additionalProperties", True)
        if isinstance(values, Mapping):
            return Map(type_ref(values, f"{source}{{}}"))
        return Map(AnyType())
    if kind in _PRIMITIVES:
        return Primitive(cast(PrimitiveType, kind), raw.get("format"), string_enum(raw))
    if kind is None:
        return AnyType()
    raise SpecError(f"unsupported type {kind!r}", source=source)


_ENUM_VALUE = re.compile(r'^ *- `"((?:[^"\\]|\\.)*)"`', re.MULTILINE)


def string_enum(raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The allowed values of a string schema: its ``enum``, else the "Possible enum values"
    list that Kubernetes' OpenAPI generator writes into descriptions (swagger 2.0 has no
    ``enum`` for them). Empty for other types and for enums with non-string values."""
    if raw.get("type") != "string" or raw.get("format") == "int-or-string":
        return ()
    values = raw.get("enum")
    if isinstance(values, list):
        return tuple(values) if values and all(isinstance(v, str) for v in values) else ()
    description = raw.get("description")
    if not isinstance(description, str) or "Possible enum values:" not in description:
        return ()
    listed = description.split("Possible enum values:", 1)[1]
    return tuple(json.loads(f'"{value}"') for value in _ENUM_VALUE.findall(listed))


def gvks(raw: Mapping[str, Any]) -> tuple[GVK, ...]:
    """The ``x-kubernetes-group-version-kind`` entries of a definition, sorted, no duplicates."""
    found = {
        GVK(str(g.get("group", "")), str(g["version"]), str(g["kind"]))
        for g in raw.get("x-kubernetes-group-version-kind", ())
    }
    return tuple(sorted(found, key=lambda g: (g.group, g.version, g.kind)))


def property_names(wire_names: Iterable[str], reserved: Set[str] = frozenset()) -> dict[str, str]:
    """Python attribute per wire name; never a refusal (see ``kubetyped_codegen.naming``).

    A wire name that is already its own attribute keeps it (the deprecated ``mirror_percent``
    stays ``mirror_percent``); the others never take another property's wire name (pydantic
    populates by name and by alias: ``mirrorPercent`` becomes ``mirror_percent_``). Names in
    ``reserved`` (module aliases of the class) get a trailing underscore too.
    """

    def attribute(wire: str) -> str:
        name = python_attribute(wire)
        return f"{name}_" if name in reserved else name

    wires = set(wire_names)
    order = sorted(wires, key=lambda w: (attribute(w) != w, w))
    taken: set[str] = set()
    names = {}
    for wire in order:
        name = attribute(wire)
        while name in taken or name in reserved or (name in wires and name != wire):
            name += "_"
        taken.add(name)
        names[wire] = name
    return names


def build_schema(
    name: str, raw: Mapping[str, Any], module: str, reserved: Set[str] = frozenset()
) -> Schema:
    """The IR ``Schema`` of the definition ``name`` in ``module``; ``reserved``: Python names
    its properties may not take. Raises ``SpecError`` naming the definition and property."""
    required = tuple(raw.get("required", ()))
    properties: list[Property] = []
    raw_properties = raw.get("properties", {})
    names = property_names(raw_properties, reserved)
    for wire_name, prop in sorted(raw_properties.items()):
        source = f"{name}.{wire_name}"
        if not isinstance(prop, Mapping):
            raise SpecError("property schema is not an object", source=source)
        description = str(prop.get("description", ""))
        properties.append(
            Property(
                wire_name=wire_name,
                python_name=names[wire_name],
                type=type_ref(prop, source),
                description=description,
                required=wire_name in required,
                deprecated=is_deprecated(description),
                extensions=extensions(prop),
                enum=tuple(str(v) for v in prop.get("enum") or ()),
            )
        )
    description = str(raw.get("description", ""))
    return Schema(
        name=name,
        module=module,
        class_name=class_name(name),
        description=description,
        gvks=gvks(raw),
        properties=tuple(properties),
        required=required,
        type=raw.get("type"),
        format=raw.get("format"),
        deprecated=is_deprecated(description),
        extensions=extensions(raw),
        aliases=tuple(str(a) for a in raw.get("x-kubetyped-aliases", ())),
    )


def _module(name: str, raw: Mapping[str, Any], group_names: Mapping[str, str]) -> str:
    """By the definition's name; a name without a version segment (a CRD version such as
    ``stable``) by its one group-version-kind."""
    try:
        return definition_module(name, dict(group_names))
    except SpecError:
        kinds = gvks(raw)
        if len(kinds) != 1:
            raise
        return group_version_python_name(group_python_name(kinds[0].group), kinds[0].version)


def build_schemas(
    definitions: Mapping[str, Mapping[str, Any]], modules: Mapping[str, str] | None = None
) -> dict[str, Schema]:
    """Every definition as a Schema, checking class names are unique within their module.

    ``modules`` places definitions explicitly (CRDs: by their group and version); the others
    are placed by their name (``definition_module``).
    """
    groups = {g.group for raw in definitions.values() for g in gvks(raw)}
    group_names = group_python_names(groups)
    placed = {
        name: (modules or {}).get(name) or _module(name, definitions[name], group_names)
        for name in sorted(definitions)
    }
    reserved = frozenset(placed.values())  # module aliases used in annotations
    registries: dict[str, NameRegistry] = {}
    schemas: dict[str, Schema] = {}
    for name, module in placed.items():
        schema = build_schema(name, definitions[name], module, reserved)
        registry = registries.setdefault(module, NameRegistry(f"module {module}"))
        registry.claim(schema.class_name, name)
        for alias in schema.aliases:
            registry.claim(alias, f"{name} (alias)")
        schemas[name] = schema
    return schemas
