"""Types and their fields: added/removed, type and format, required, enums, deprecation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from kubetyped_codegen.diff.changes import Change, Severity
from kubetyped_codegen.ir import AnyType, ApiSpec, Array, Map, Primitive, Property, Ref, Schema
from kubetyped_codegen.ir import TypeRef as IRType
from kubetyped_codegen.naming import META_MODULE

B, N, INFO = Severity.BREAKING, Severity.NON_BREAKING, Severity.INFORMATIONAL
_DEPRECATION = re.compile(r"(Deprecated|DEPRECATED)[:.]?\s*([^\n]*)")


def type_text(ref: IRType, spec: ApiSpec | None = None) -> str:
    """A short, stable spelling of a type: ``string(int64)``, ``[]Container``, ``map[string]any``."""
    if isinstance(ref, Primitive):
        return f"{ref.type}({ref.format})" if ref.format else ref.type
    if isinstance(ref, Array):
        return "[]" + type_text(ref.items, spec)
    if isinstance(ref, Map):
        return "map[string]" + type_text(ref.values, spec)
    if isinstance(ref, AnyType):
        return "any"
    assert isinstance(ref, Ref)
    return ref.name.rsplit(".", 1)[-1]


def _shape(ref: IRType) -> object:
    """The type without formats: what decides whether old data still decodes."""
    if isinstance(ref, Primitive):
        return ref.type
    if isinstance(ref, Array):
        return ("array", _shape(ref.items))
    if isinstance(ref, Map):
        return ("map", _shape(ref.values))
    return ref


def deprecation_note(description: str) -> str:
    """The first sentence after "Deprecated"/"DEPRECATED" in a field's description, or "marked
    deprecated" when nothing follows it.
    """
    match = _DEPRECATION.search(description)
    note = match.group(2).strip() if match else ""
    return note.split(". ")[0].rstrip(".") if note else "marked deprecated"


def schema_places(spec: ApiSpec) -> dict[str, tuple[str, str]]:
    """Module -> (group, version): the group-version a definition's module belongs to."""
    places = {gv.python_name: (gv.group, gv.version) for g in spec.groups for gv in g.versions}
    places[META_MODULE] = ("meta", "v1")
    for schema in spec.schemas.values():
        if schema.module not in places and schema.gvks:
            places[schema.module] = (schema.gvks[0].group, schema.gvks[0].version)
    return places


def _refs(ref: IRType) -> Iterator[str]:
    if isinstance(ref, Ref):
        yield ref.name
    elif isinstance(ref, Array):
        yield from _refs(ref.items)
    elif isinstance(ref, Map):
        yield from _refs(ref.values)


def users(spec: ApiSpec) -> dict[str, tuple[str, ...]]:
    """Definition -> the served kinds (``apps/v1 Deployment``) whose objects contain it."""
    found: dict[str, set[str]] = {}
    for group in spec.groups:
        for gv in group.versions:
            for resource in gv.resources:
                if resource.model_ref is None:
                    continue
                label = f"{gv.api_version} {resource.kind}"
                stack, seen = [resource.model_ref], set()
                while stack:
                    name = stack.pop()
                    if name in seen or name not in spec.schemas:
                        continue
                    seen.add(name)
                    found.setdefault(name, set()).add(label)
                    for prop in spec.schemas[name].properties:
                        stack.extend(_refs(prop.type))
    return {name: tuple(sorted(kinds)) for name, kinds in found.items()}


def homes(spec: ApiSpec) -> dict[str, tuple[str, str]]:
    """Definition -> ``(kind, field path)`` for the types inside exactly one served kind.

    ``CertificateSpecPrivateKey`` -> ``("Certificate", "spec.privateKey")``: reviewers read
    field paths, not generated type names. The shortest path wins (breadth first). Types in
    several kinds (``PodSpec``) or none are named by themselves (absent from the result).
    """
    paths: dict[str, dict[str, str]] = {}
    for group in spec.groups:
        for gv in group.versions:
            for resource in gv.resources:
                if resource.model_ref is None:
                    continue
                label = f"{gv.api_version} {resource.kind}"
                queue, seen = [(resource.model_ref, "")], set()
                while queue:
                    name, path = queue.pop(0)
                    if name in seen or name not in spec.schemas:
                        continue
                    seen.add(name)
                    paths.setdefault(name, {}).setdefault(label, path)
                    for prop in spec.schemas[name].properties:
                        child = f"{path}.{prop.wire_name}" if path else prop.wire_name
                        queue.extend((ref, child) for ref in _refs(prop.type))
    found = {}
    for name, by_kind in paths.items():
        if len(by_kind) == 1:
            (label, path), *_ = by_kind.items()
            found[name] = (label.rsplit(" ", 1)[-1], path)
    return found


def has_enums(spec: ApiSpec) -> bool:
    """Whether any field of `spec` lists enum values (OpenAPI v2 specs of older releases have none,
    so enum changes are compared only when both sides have some).
    """
    return any(p.enum for s in spec.schemas.values() for p in s.properties)


def compare_schemas(
    old: ApiSpec, new: ApiSpec, skip_group_versions: set[tuple[str, str]]
) -> Iterator[Change]:
    """Changes of the definitions; those of added/removed group-versions are skipped."""
    places = {**schema_places(old), **schema_places(new)}
    old_users, new_users = users(old), users(new)
    where_in = {**homes(old), **homes(new)}
    compare_enums = has_enums(old) and has_enums(new)

    def place(schema: Schema) -> tuple[str, str]:
        return places.get(schema.module, ("", schema.module))

    for name in sorted(old.schemas.keys() | new.schemas.keys()):
        before, after = old.schemas.get(name), new.schemas.get(name)
        schema = after or before
        assert schema is not None
        where = place(schema)
        if where in skip_group_versions:
            continue
        if before is None or after is None:
            added = before is None
            yield Change(
                INFO, "type-added" if added else "type-removed",
                *where, schema.class_name, "",
                f"type {schema.class_name} {'added' if added else 'removed'}",
                "types only matter through the fields and resources that use them",
                affected_kinds=(new_users if added else old_users).get(name, ()),
            )  # fmt: skip
            continue
        affected = new_users.get(name) or old_users.get(name, ())
        home = where_in.get(name, (after.class_name, ""))
        yield from compare_schema(before, after, where, affected, compare_enums, home)


def compare_schema(
    old: Schema,
    new: Schema,
    where: tuple[str, str],
    affected: tuple[str, ...],
    compare_enums: bool,
    home: tuple[str, str] | None = None,
) -> Iterator[Change]:
    """Changes of one definition; ``home`` is ``(kind, field path)`` naming where it sits."""
    group, version = where
    kind, prefix = home or (new.class_name, "")
    type_name = new.class_name

    def change(
        severity: Severity, category: str, path: str, message: str, reason: str,
        before: str | None = None, after: str | None = None,
    ) -> Change:  # fmt: skip
        full = f"{prefix}.{path}" if prefix and path else prefix or path
        return Change(
            severity, category, group, version, kind, full, message, reason, before, after,
            affected, type_name,
        )  # fmt: skip

    label = f"{kind}.{prefix}" if prefix else kind
    if new.deprecated and not old.deprecated:
        yield change(
            INFO,
            "type-deprecated",
            "",
            f"{label} deprecated: {deprecation_note(new.description)}",
            "still served; plan the migration",
        )
    before = {p.wire_name: p for p in old.properties}
    after = {p.wire_name: p for p in new.properties}
    for wire in sorted(before.keys() - after.keys()):
        yield change(
            B,
            "field-removed",
            wire,
            f"field {label}.{wire} removed",
            "clients setting or reading the field lose it (the server drops it)",
            type_text(before[wire].type),
        )
    for wire in sorted(after.keys() - before.keys()):
        prop = after[wire]
        if prop.required:
            yield change(
                B, "field-added", wire, f"required field {label}.{wire} added",
                "requests without the new required field are rejected",
                None, type_text(prop.type),
            )  # fmt: skip
        else:
            yield change(
                N, "field-added", wire, f"optional field {label}.{wire} added",
                "an optional field does not affect existing clients", None, type_text(prop.type),
            )  # fmt: skip
    for wire in sorted(before.keys() & after.keys()):
        yield from _compare_property(change, label, before[wire], after[wire], compare_enums)


def _compare_property(
    change: _ChangeFactory, kind: str, old: Property, new: Property, compare_enums: bool
) -> Iterator[Change]:
    wire, label = new.wire_name, f"{kind}.{new.wire_name}"
    old_type, new_type = type_text(old.type), type_text(new.type)
    if _shape(old.type) != _shape(new.type):
        yield change(
            B, "field-type-changed", wire, f"type of {label}: {old_type} -> {new_type}",
            "values of the old type no longer decode or validate", old_type, new_type,
        )  # fmt: skip
    elif old_type != new_type:
        yield change(
            INFO, "field-format-changed", wire, f"format of {label}: {old_type} -> {new_type}",
            "same JSON type; only the declared format differs", old_type, new_type,
        )  # fmt: skip
    if new.required and not old.required:
        yield change(
            B, "field-now-required", wire, f"{label} is now required",
            "requests that omit it are rejected", "optional", "required",
        )  # fmt: skip
    elif old.required and not new.required:
        yield change(
            B, "field-now-optional", wire, f"{label} is now optional",
            "servers accept more objects, but readers must handle its absence (typed models "
            "gain `| None`)", "required", "optional",
        )  # fmt: skip
    if new.deprecated and not old.deprecated:
        yield change(
            INFO, "field-deprecated", wire, f"{label} deprecated: {deprecation_note(new.description)}",
            "still accepted; plan the migration",
        )  # fmt: skip
    if compare_enums and (old.enum or new.enum):
        removed, added = set(old.enum) - set(new.enum), set(new.enum) - set(old.enum)
        if old.enum and not new.enum:
            removed = set()  # the enum constraint was lifted: every value is accepted
        for value in sorted(removed):
            yield change(
                B, "enum-value-removed", wire, f"{label}: enum value {value!r} removed",
                "objects using the value are rejected", value, None,
            )  # fmt: skip
        if old.enum and added:
            for value in sorted(added):
                yield change(
                    N, "enum-value-added", wire, f"{label}: enum value {value!r} added",
                    "readers may see a value they do not know yet", None, value,
                )  # fmt: skip


class _ChangeFactory(Protocol):
    """``compare_schema``'s local ``change``: a Change placed in the type being compared."""

    def __call__(
        self,
        severity: Severity,
        category: str,
        path: str,
        message: str,
        reason: str,
        before: str | None = None,
        after: str | None = None,
    ) -> Change: ...
