"""The generator model (IR): what every renderer consumes, whatever the input format.

All classes are frozen dataclasses with tuple/frozenset fields, so two specs describing
the same API compare equal with ``==`` (the v2/v3 equivalence test relies on it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

PrimitiveType: TypeAlias = Literal["string", "integer", "number", "boolean"]


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """Which Kubernetes the spec describes (`/version`); ``minor`` without a '+' suffix."""

    major: str
    minor: str
    git_version: str = ""

    @property
    def major_minor(self) -> str:
        """``1.36``."""
        return f"{self.major}.{self.minor}"


@dataclass(frozen=True, slots=True)
class GVK:
    """A group, version and kind (``""`` is the core group)."""

    group: str
    version: str
    kind: str

    @property
    def api_version(self) -> str:
        """``apps/v1``, or ``v1`` for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version


# --- type references --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Primitive:
    """A JSON scalar; ``format`` is the OpenAPI format (int32, int64, date-time, byte, ...)."""

    type: PrimitiveType
    format: str | None = None
    #: allowed values of a string (``enum``, or a description's "Possible enum values");
    #: not compared, like ``Property.enum``
    enum: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to another schema by its canonical definition id."""

    name: str


@dataclass(frozen=True, slots=True)
class Array:
    """A list of ``items``."""

    items: TypeRef


@dataclass(frozen=True, slots=True)
class Map:
    """A JSON object with arbitrary string keys and values of one type."""

    values: TypeRef


@dataclass(frozen=True, slots=True)
class AnyType:
    """Free-form JSON (preserve-unknown-fields, untyped definitions, RawExtension)."""


TypeRef: TypeAlias = Primitive | Ref | Array | Map | AnyType


@dataclass(frozen=True, slots=True)
class Extensions:
    """The ``x-kubernetes-*`` metadata of a schema or property."""

    list_type: str | None = None
    list_map_keys: tuple[str, ...] = ()
    map_type: str | None = None
    patch_strategy: str | None = None
    patch_merge_key: str | None = None
    int_or_string: bool = False
    preserve_unknown_fields: bool = False
    embedded_resource: bool = False
    #: CEL rules (``x-kubernetes-validations``), each as canonical JSON (CRDs)
    validations: tuple[str, ...] = ()
    #: the CRD ``default`` as canonical JSON (the apiserver applies it; CRDs only)
    default: str | None = None


NO_EXTENSIONS = Extensions()


@dataclass(frozen=True, slots=True)
class Property:
    """One property of an object schema: its JSON name and Python attribute name, type and
    documentation; ``required`` per the schema's ``required`` list."""

    wire_name: str
    python_name: str
    type: TypeRef
    description: str = ""
    required: bool = False
    deprecated: bool = False
    extensions: Extensions = NO_EXTENSIONS
    #: allowed values (``enum``); not compared: OpenAPI v2 documents drop them (see kubetyped_codegen.diff)
    enum: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Schema:
    """One definition. Object definitions have ``properties``; the others ``type``/``format``."""

    name: str
    module: str
    class_name: str
    description: str = ""
    gvks: tuple[GVK, ...] = ()
    properties: tuple[Property, ...] = ()
    required: tuple[str, ...] = ()
    type: str | None = None
    format: str | None = None
    deprecated: bool = False
    extensions: Extensions = NO_EXTENSIONS
    #: other names of the class in its module (CRD structures shared by several paths)
    aliases: tuple[str, ...] = ()


# --- resources --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subresource:
    """A subresource (``status``, ``scale``, ``log`` ...) and the kinds it takes and returns;
    ``text_response``: plain text (``log``), not an object."""

    name: str
    verbs: frozenset[str]
    response_kind: GVK | None = None
    request_kind: GVK | None = None
    text_response: bool = False


@dataclass(frozen=True, slots=True)
class Resource:
    """A served resource as discovery describes it (names, scope, verbs, subresources);
    ``model_ref``: the definition of its kind when the paths name it."""

    plural: str
    singular: str
    kind: str
    list_kind: str | None
    namespaced: bool
    verbs: frozenset[str]
    subresources: tuple[Subresource, ...] = ()
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    has_all_namespaces_list: bool = False
    model_ref: str | None = None

    def subresource(self, name: str) -> Subresource | None:
        """The subresource ``name``, None when the resource has none."""
        return next((s for s in self.subresources if s.name == name), None)


@dataclass(frozen=True, slots=True)
class GroupVersion:
    """A served group-version; ``python_name`` is its module (``apps_v1``); ``preferred``: the
    group's preferred version."""

    group: str
    version: str
    python_name: str
    resources: tuple[Resource, ...] = ()
    preferred: bool = False

    @property
    def api_version(self) -> str:
        """``apps/v1``, or ``v1`` for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version

    def resource(self, plural: str) -> Resource | None:
        """The resource ``plural``, None when not served here."""
        return next((r for r in self.resources if r.plural == plural), None)


@dataclass(frozen=True, slots=True)
class Group:
    """An API group (``""`` is core) and its versions, the preferred one first."""

    name: str
    python_name: str
    versions: tuple[GroupVersion, ...] = ()

    def version(self, version: str) -> GroupVersion | None:
        """The group-version ``version``, None when not served."""
        return next((v for v in self.versions if v.version == version), None)


@dataclass(frozen=True, slots=True)
class ApiSpec:
    """A whole API: its version, groups and every schema by definition id."""

    version_info: VersionInfo
    groups: tuple[Group, ...]
    schemas: dict[str, Schema] = field(hash=False)

    def group(self, name: str) -> Group | None:
        """The group ``name``, None when not served."""
        return next((g for g in self.groups if g.name == name), None)

    def group_version(self, group: str, version: str) -> GroupVersion | None:
        """The group-version, None when not served."""
        found = self.group(group)
        return found.version(version) if found else None

    def schema_for_kind(self, gvk: GVK) -> Schema | None:
        """The schema (model) of a kind, None when the spec has none for it."""
        return next((s for s in self.schemas.values() if gvk in s.gvks), None)

    def group_versions(self) -> list[GroupVersion]:
        """Every group-version of every group, sorted by Python name (``apps_v1``, ...).

        The one iteration order of renderers, the diff and the CRD package (module order).
        """
        return sorted(
            (gv for group in self.groups for gv in group.versions), key=lambda gv: gv.python_name
        )
