"""Python names for groups, group-versions, definitions and properties.

Group names come from an explicit table for the built-in API groups. Any other group's name
depends on that group alone (never on the other groups of a run, so imports stay put): a
two-label group is its first label (``cert-manager.io`` -> ``cert_manager``) unless that is a
built-in group's name; every other group is its full name with dots and dashes turned into
underscores (``acme.cert-manager.io`` -> ``acme_cert_manager_io``, ``apps.example.com`` ->
``apps_example_com``). Versions are any DNS label (``v1alpha``, ``stable``, ``v1-beta``).

Property names are snake_case with acronyms kept whole (``podIPs`` -> ``pod_ips``); keywords,
names that would shadow ``KubeModel``/pydantic attributes and module aliases the class uses get
a trailing underscore; a leading digit gets an ``n`` (``2xx`` -> ``n2xx``). Two wire names with
one Python name in one class are both kept: a wire name that is its own Python name keeps it
(``mirror_percent``), the other gets trailing underscores (``mirrorPercent`` ->
``mirror_percent_``), as does any name equal to another property's wire name (pydantic fills
fields by name and by alias). Other clashes raise ``NamingConflictError``.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

from kubetyped_codegen.errors import NamingConflictError, SpecError

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
        "from_json", "from_raw", "to_dict", "to_json", "raw_view",  # kubetyped.model.KubeModel
        "from_unparsed", "unparsed_json",
        "mro", "register",  # the metaclass's (pydantic refuses fields that shadow them)
    }
)  # fmt: skip
# builtins the generated annotations use: a field named `int` would shadow them in the class
_ANNOTATION_BUILTINS = frozenset({"bool", "bytes", "dict", "float", "int", "list", "object", "str"})
_RESERVED = frozenset(keyword.kwlist) | _MODEL_ATTRIBUTES | _ANNOTATION_BUILTINS | {"self", "cls"}

_WORD_RE = re.compile(r"[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SPECIAL_WORDS = (("IPv4", "Ipv4"), ("IPv6", "Ipv6"), ("APIV3", "ApiV3"))


def pascal(name: str) -> str:
    """``cert-manager_v1`` -> ``CertManagerV1``: the alphanumeric runs, each capitalised."""
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", name) if p)


def snake_case(name: str) -> str:
    """``podIP`` -> ``pod_ip``, ``hostIPs`` -> ``host_ips``, ``x-kubernetes-map-type`` -> ..."""
    for old, new in _SPECIAL_WORDS:
        name = name.replace(old, new)
    words: list[str] = []
    for chunk in re.split(r"[^0-9A-Za-z]+", name):
        for word in _WORD_RE.findall(chunk):
            if word.isdigit() and words:
                words[-1] += word  # keep digits on their word: int32 / ipv4
            elif words and words[-1].isdigit():
                words[-1] += word.lower()  # a leading number keeps its word: 2xx, 3scale
            else:
                words.append(word.lower())
    return "_".join(words)


def safe_identifier(name: str) -> str:
    """A usable identifier: a leading digit gets ``n``; keywords and model attributes ``_``."""
    if not name:
        name = "field"
    if name[0].isdigit():
        name = f"n{name}"
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


def _identifier(text: str) -> str:
    return re.sub(r"[^0-9a-z_]", "_", text.lower())


def group_python_name(group: str) -> str:
    """The Python name of one group; it depends on ``group`` alone (see the module docstring)."""
    if group in KNOWN_GROUPS:
        return KNOWN_GROUPS[group]
    labels = group.split(".")
    if len(labels) == 2 and _identifier(labels[0]) not in _BUILTIN_GROUP_NAMES:
        return safe_identifier(_identifier(labels[0]))
    return safe_identifier(_identifier(group))


_BUILTIN_GROUP_NAMES = frozenset(KNOWN_GROUPS.values()) | {"extensions"}


def group_python_names(groups: Iterable[str]) -> dict[str, str]:
    """The Python name of every group; two groups with one name raise ``NamingConflictError``."""
    registry = NameRegistry("group accessors")
    result = {}
    for group in sorted(set(groups)):
        result[group] = registry.claim(group_python_name(group), group)
    return result


def version_python_name(version: str) -> str:
    """A version (any DNS label: ``v1``, ``v1alpha``, ``stable``, ``v1-beta``) as a name part."""
    return _identifier(version) or "unversioned"


def group_version_python_name(group_python: str, version: str) -> str:
    """The module and accessor name of a group-version: ``("apps", "v1")`` -> ``apps_v1``."""
    return f"{group_python}_{version_python_name(version)}"


def ref_name(ref: str, prefix: str) -> str | None:
    """The definition a ``$ref`` names: ``ref_name("#/definitions/X", "#/definitions/")`` -> X.

    ``prefix`` is where the document keeps its schemas (``#/definitions/`` in OpenAPI v2 and
    in the IR's v2 shape, ``#/components/schemas/`` in v3). None when ``ref`` points elsewhere;
    the caller decides whether that is an error (schemas) or "no model" (operations).
    """
    return ref[len(prefix) :] if ref.startswith(prefix) else None


def accessor_name(plural: str, kind: str) -> str:
    """The clientset accessor of a resource: the plural in snake_case, split like the kind.

    ``configmaps``/``ConfigMap`` -> ``config_maps``, ``networkpolicies``/``NetworkPolicy`` ->
    ``network_policies``; a plural unrelated to its kind is kept as it is (dashes and dots
    become underscores).
    """
    words = snake_case(kind)
    out: list[str] = []
    index = 0
    for char in words:
        if char == "_":
            out.append("_")
            continue
        if index < len(plural) and plural[index] == char:
            out.append(char)
            index += 1
        else:
            break
    if index == 0:
        return plural.replace("-", "_").replace(".", "_")
    return ("".join(out) + plural[index:]).strip("_").replace("-", "_")


def resource_constant(plural: str) -> str:
    """The module constant holding a resource's ``ResourceInfo``: ``config-maps`` -> ``CONFIG_MAPS``."""
    return plural.upper().replace("-", "_")


def apply_name(class_name: str) -> str:
    """The apply configuration of a model (client-go's ``<Kind>ApplyConfiguration``)."""
    return f"{class_name}ApplyConfiguration"


def module_file_name(class_name: str) -> str:
    """The private submodule of a model class: ``PodSpec`` -> ``_pod_spec``."""
    return f"_{snake_case(class_name)}"


def expansion_name(class_name: str) -> str:
    """The user mixin a generated class picks up from ``expansions/<gv>.py`` (see README).

    ``DeploymentClient`` -> ``DeploymentExpansion``, ``AsyncDeploymentClient`` ->
    ``AsyncDeploymentExpansion``, ``DeploymentLister`` -> ``DeploymentListerExpansion``, as
    client-go's ``DeploymentExpansion``/``DeploymentListerExpansion`` interfaces.
    """
    return f"{class_name.removesuffix('Client')}Expansion"


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
    """Claims Python names in one scope; a second, different claimant raises.

    ``scope`` names the namespace in the error (``"group accessors"``, ``"module models/x"``).
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self._owners: dict[str, str] = {}

    def claim(self, name: str, source: str) -> str:
        """Return ``name`` after recording ``source`` as its owner.

        Raises ``NamingConflictError`` naming both claimants when another source owns it.
        """
        owner = self._owners.setdefault(name, source)
        if owner != source:
            raise NamingConflictError(self.scope, name, owner, source)
        return name

    def __contains__(self, name: object) -> bool:
        return name in self._owners
