"""Python names for groups, group-versions, definitions and properties.

Group names come from an explicit table for the built-in API groups. Unknown (CRD) groups use
their first DNS label (``cert-manager.io`` -> ``cert_manager``); when that label collides with
another group's name (built-in or not), every colliding unknown group uses its full name with
dots and dashes turned into underscores (``apps.example.com`` -> ``apps_example_com``).

Property names are snake_case with acronyms kept whole (``podIPs`` -> ``pod_ips``); keywords
and names that would shadow pydantic ``BaseModel`` attributes get a trailing underscore.
Any two sources claiming one Python name in one scope raise ``NamingConflictError``.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

from kubetyped.codegen.errors import NamingConflictError, SpecError

KNOWN_GROUPS: dict[str, str] = {
    "": "core",
    "core": "core",
    "admissionregistration.k8s.io": "admissionregistration",
    "apiextensions.k8s.io": "apiextensions",
    "apiregistration.k8s.io": "apiregistration",
    "apps": "apps",
    "authentication.k8s.io": "authentication",
    "authorization.k8s.io": "authorization",
    "autoscaling": "autoscaling",
    "batch": "batch",
    "certificates.k8s.io": "certificates",
    "coordination.k8s.io": "coordination",
    "discovery.k8s.io": "discovery",
    "events.k8s.io": "events",
    "flowcontrol.apiserver.k8s.io": "flowcontrol",
    "internal.apiserver.k8s.io": "apiserverinternal",
    "networking.k8s.io": "networking",
    "node.k8s.io": "node",
    "policy": "policy",
    "rbac.authorization.k8s.io": "rbac",
    "resource.k8s.io": "resource",
    "scheduling.k8s.io": "scheduling",
    "storage.k8s.io": "storage",
    "storagemigration.k8s.io": "storagemigration",
    "meta": "meta",
}

#: The module every shared apimachinery type lives in.
META_MODULE = "meta_v1"

_DEFINITION_PACKAGES: tuple[tuple[str, str], ...] = (
    ("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.", "apiextensions"),
    ("io.k8s.kube-aggregator.pkg.apis.apiregistration.", "apiregistration"),
)
_VERSION_RE = re.compile(r"^v\d+(?:(?:alpha|beta)\d+)?$")

# pydantic.BaseModel attributes (v1 and v2 spellings) a field must not shadow.
_MODEL_ATTRIBUTES = frozenset(
    {
        "construct", "copy", "dict", "fields", "from_orm", "json", "parse_file", "parse_obj",
        "parse_raw", "schema", "schema_json", "update_forward_refs", "validate",
        "from_json", "from_raw", "to_dict", "to_json",  # kubetyped.model.KubeModel
    }
)  # fmt: skip
# builtins the generated annotations use: a field named `int` would shadow them in the class
_ANNOTATION_BUILTINS = frozenset({"bool", "bytes", "dict", "float", "int", "list", "object", "str"})
_RESERVED = frozenset(keyword.kwlist) | _MODEL_ATTRIBUTES | _ANNOTATION_BUILTINS | {"self", "cls"}

_WORD_RE = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SPECIAL_WORDS = (("IPv4", "Ipv4"), ("IPv6", "Ipv6"), ("APIV3", "ApiV3"))


def snake_case(name: str) -> str:
    """``podIP`` -> ``pod_ip``, ``hostIPs`` -> ``host_ips``, ``x-kubernetes-map-type`` -> ..."""
    for old, new in _SPECIAL_WORDS:
        name = name.replace(old, new)
    words: list[str] = []
    for chunk in re.split(r"[^0-9A-Za-z]+", name):
        for word in _WORD_RE.findall(chunk):
            if word.isdigit() and words:
                words[-1] += word  # keep digits on their word: int32 / ipv4
            else:
                words.append(word.lower())
    return "_".join(words)


def safe_identifier(name: str) -> str:
    """A usable identifier: keywords and BaseModel attributes get a trailing underscore."""
    if not name or name[0].isdigit():
        name = f"_{name}"
    if name in _RESERVED or name.startswith("model_"):
        return f"{name}_"
    return name


def python_attribute(wire_name: str) -> str:
    """The Python attribute name of a JSON property."""
    return safe_identifier(snake_case(wire_name))


def class_name(definition: str) -> str:
    """The class name of a definition: its last dotted segment, made an identifier."""
    last = definition.rsplit(".", 1)[-1]
    cleaned = re.sub(r"[^0-9A-Za-z_]", "_", last)
    return safe_identifier(cleaned[:1].upper() + cleaned[1:])


def _first_label(group: str) -> str:
    return re.sub(r"[^0-9a-z_]", "_", group.split(".", 1)[0].lower())


def _full_name(group: str) -> str:
    return re.sub(r"[^0-9a-z_]", "_", group.lower())


def group_python_names(groups: Iterable[str]) -> dict[str, str]:
    """The Python name of every group, applying the collision rule for unknown groups."""
    unique = sorted(set(groups))
    builtin_names = set(KNOWN_GROUPS.values())
    unknown = [g for g in unique if g not in KNOWN_GROUPS]
    label_count: dict[str, int] = {}
    for group in unknown:
        label_count[_first_label(group)] = label_count.get(_first_label(group), 0) + 1
    result = {g: KNOWN_GROUPS[g] for g in unique if g in KNOWN_GROUPS}
    registry = NameRegistry("group accessors")
    for group, python in result.items():
        registry.claim(python, group)
    for group in unknown:
        label = _first_label(group)
        collides = label in builtin_names or label_count[label] > 1
        name = safe_identifier(_full_name(group) if collides else label)
        registry.claim(name, group)
        result[group] = name
    return result


def group_python_name(group: str) -> str:
    """The Python name of one group taken alone (see ``group_python_names`` for sets)."""
    return group_python_names([group])[group]


def group_version_python_name(group_python: str, version: str) -> str:
    return f"{group_python}_{version}"


def definition_module(definition: str, group_names: dict[str, str] | None = None) -> str:
    """The generated module (``apps_v1``) holding a definition (``io.k8s.api.apps.v1.X``).

    Unknown (CRD) definitions are named ``<reversed group>.<version>.<Kind>``, as the
    apiserver publishes them; ``group_names`` supplies their group's Python name.
    """
    if definition.startswith("io.k8s.apimachinery."):
        return META_MODULE
    parts = definition.split(".")
    if definition.startswith("io.k8s.api.") and len(parts) >= 6:
        return group_version_python_name(parts[3], parts[4])
    for prefix, package in _DEFINITION_PACKAGES:
        if definition.startswith(prefix):
            return group_version_python_name(package, definition[len(prefix) :].split(".")[0])
    for index in range(len(parts) - 2, 0, -1):
        if _VERSION_RE.match(parts[index]):
            group = ".".join(reversed(parts[:index]))
            names = group_names or {}
            python = names.get(group) or group_python_name(group)
            return group_version_python_name(python, parts[index])
    raise SpecError(f"cannot place definition {definition!r}: no version segment in its name")


class NameRegistry:
    """Claims Python names in one scope; a second, different claimant raises."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self._owners: dict[str, str] = {}

    def claim(self, name: str, source: str) -> str:
        owner = self._owners.setdefault(name, source)
        if owner != source:
            raise NamingConflictError(self.scope, name, owner, source)
        return name

    def __contains__(self, name: object) -> bool:
        return name in self._owners
