"""Corrections of the upstream spec, applied to (v2-shaped) definitions before the IR is built.

Each fixup names the Kubernetes minor versions it applies to and checks that the defect it
corrects is still there: when a claimed version already has it right, the fixup raises
``FixupNoLongerAppliesError`` so it gets retired instead of silently rotting (k8s-openapi
style). A fixup whose target definition is absent altogether is skipped: the API group is
simply not served by that apiserver. With an unknown Kubernetes version every fixup whose
defect is present is applied and the others are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from kubetyped_codegen.errors import FixupNoLongerAppliesError
from kubetyped_codegen.ir import VersionInfo

Definitions = MutableMapping[str, dict[str, Any]]

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_APIEXT = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."
UNTYPED_JSON = tuple(
    _APIEXT + n
    for n in (
        "JSON",
        "JSONSchemaPropsOrArray",
        "JSONSchemaPropsOrBool",
        "JSONSchemaPropsOrStringArray",
    )
)
ENDPOINT_SLICE = "io.k8s.api.discovery.v1.EndpointSlice"
EVENTS_EVENT = "io.k8s.api.events.v1.Event"


class _Correct(Exception):
    """Raised by a fixup body: the defect is not there (reason in args[0])."""


@dataclass(frozen=True, slots=True)
class Fixup:
    """One named correction of the upstream spec: `summary` says what it fixes, `first`..`last` the
    Kubernetes minor versions `(major, minor)` known to carry the defect, `targets` the definitions
    it edits and `body` the edit (it raises when the defect is absent).
    """

    name: str
    summary: str
    first: tuple[int, int]
    last: tuple[int, int]
    targets: tuple[str, ...]
    body: Callable[[Definitions], None]

    def covers(self, version: VersionInfo) -> bool:
        """True when `version`'s `major.minor` lies in `first`..`last`; False for an unknown
        version.
        """
        key = _version_key(version)
        return key is not None and self.first <= key <= self.last

    def apply(self, definitions: Definitions, version: VersionInfo | None) -> bool:
        """Apply when applicable; True if applied. Raises when a claimed version is correct."""
        if not any(t in definitions for t in self.targets):
            return False
        if version is not None and _version_key(version) is not None and not self.covers(version):
            return False
        try:
            self.body(definitions)
        except _Correct as correct:
            if version is None or _version_key(version) is None:
                return False
            raise FixupNoLongerAppliesError(self.name, version.major_minor, str(correct)) from None
        return True


def _version_key(version: VersionInfo) -> tuple[int, int] | None:
    try:
        return int(version.major), int(version.minor.rstrip("+"))
    except ValueError:
        return None


def _int_or_string(definitions: Definitions) -> None:
    raw = definitions[INT_OR_STRING]
    if raw.get("type") != "string" or raw.get("format") != "int-or-string":
        raise _Correct(f"IntOrString is type={raw.get('type')!r} format={raw.get('format')!r}")
    del raw["type"]
    raw["x-kubernetes-int-or-string"] = True


def _quantity_format(definitions: Definitions) -> None:
    raw = definitions[QUANTITY]
    if raw.get("type") != "string" or "format" in raw:
        raise _Correct(f"Quantity is type={raw.get('type')!r} format={raw.get('format')!r}")
    raw["format"] = "quantity"


def _untyped_json(definitions: Definitions) -> None:
    present = [n for n in UNTYPED_JSON if n in definitions]
    typed = [n for n in present if {"type", "properties", "$ref"} & definitions[n].keys()]
    if typed:
        raise _Correct(f"{', '.join(typed)} now declare a type")
    for name in present:
        definitions[name]["x-kubernetes-preserve-unknown-fields"] = True


def _drop_required(definition: str, field: str) -> Callable[[Definitions], None]:
    def body(definitions: Definitions) -> None:
        raw = definitions[definition]
        required = raw.get("required", [])
        if field not in required:
            raise _Correct(f"{definition}.{field} is not required any more")
        raw["required"] = [r for r in required if r != field]
        if not raw["required"]:
            del raw["required"]

    return body


FIXUPS: tuple[Fixup, ...] = (
    Fixup(
        "int_or_string_type",
        "IntOrString holds an int32 or a string; the spec claims type string.",
        (1, 34), (1, 36), (INT_OR_STRING,), _int_or_string,
    ),
    Fixup(
        "quantity_format",
        "Quantity is a formatted string (and accepts JSON numbers); mark it format 'quantity'.",
        (1, 34), (1, 36), (QUANTITY,), _quantity_format,
    ),
    Fixup(
        "untyped_json_any",
        "apiextensions JSON / JSONSchemaPropsOr* have no type: they are free-form JSON.",
        (1, 34), (1, 36), UNTYPED_JSON, _untyped_json,
    ),
    Fixup(
        "endpointslice_endpoints_optional",
        "EndpointSlice.endpoints is required but the server sends null for empty slices "
        "(fixed upstream in 1.36).",
        (1, 34), (1, 35), (ENDPOINT_SLICE,), _drop_required(ENDPOINT_SLICE, "endpoints"),
    ),
    Fixup(
        "events_event_time_optional",
        "events.k8s.io/v1 Event.eventTime is required but null for events created through "
        "the core/v1 API (kubernetes/kubernetes#90482).",
        (1, 34), (1, 36), (EVENTS_EVENT,), _drop_required(EVENTS_EVENT, "eventTime"),
    ),
)  # fmt: skip


def apply_fixups(
    definitions: Definitions,
    version: VersionInfo | None,
    fixups: tuple[Fixup, ...] = FIXUPS,
) -> tuple[str, ...]:
    """Apply every applicable fixup in place; returns the names of those applied."""
    return tuple(f.name for f in fixups if f.apply(definitions, version))
