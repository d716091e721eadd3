"""Inline CRD schemas (OpenAPI v3, nested anonymous objects) -> flat v2-shaped definitions.

Every nested object with properties becomes a definition named after its path:
``Certificate.spec.privateKey`` -> ``CertificateSpecPrivateKey`` (array items keep the array's
name, map values get ``Value``); a name already taken gets ``2``, ``3``... in traversal order.
Only types come from the schema; the rest is kept as documentation: defaults, enums (also kept
as ``enum`` for the IR), ``x-kubernetes-validations`` rules, ``oneOf``/``anyOf``/``not``
constraints and ``nullable``. ``nullable`` required fields are made optional (the server may
send ``null``). Objects with only ``x-kubernetes-preserve-unknown-fields`` stay free-form dicts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kubetyped.codegen.crd.errors import CrdError
from kubetyped.codegen.schemas import DEFINITIONS_PREFIX

COMPONENTS = "#/components/schemas/"
_EXTENSIONS = (
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-group-version-kind",
)
_PRIMITIVES = frozenset({"string", "integer", "number", "boolean"})


def pascal(wire_name: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[^0-9A-Za-z]+", wire_name) if p)


@dataclass
class Hoister:
    """Flattens the schemas of one document; ``known`` are the definitions refs may target."""

    known: set[str]
    file: str
    crd: str = ""
    out: dict[str, dict[str, Any]] = field(default_factory=dict)

    def definition(self, name: str, raw: Mapping[str, Any]) -> None:
        self.out[name] = self._object(name, raw, "$")

    def _claim(self, base: str) -> str:
        name, number = base, 1
        while name in self.out or name in self.known:
            number += 1
            name = f"{base}{number}"
        self.out[name] = {}  # reserved; filled by the caller
        return name

    def _ref(self, ref: str, path: str) -> str:
        target = ref.removeprefix(COMPONENTS).removeprefix(DEFINITIONS_PREFIX)
        if target == ref or target not in self.known:
            raise CrdError(f"unresolvable $ref {ref!r}", file=self.file, crd=self.crd, path=path)
        return DEFINITIONS_PREFIX + target

    def _object(self, name: str, raw: Mapping[str, Any], path: str) -> dict[str, Any]:
        merged = _merge_all_of(raw)
        properties: dict[str, Any] = {}
        required = [str(r) for r in merged.get("required") or ()]
        for wire, prop in sorted((merged.get("properties") or {}).items()):
            if not isinstance(prop, Mapping):
                raise CrdError(
                    "property schema is not an object",
                    file=self.file,
                    crd=self.crd,
                    path=f"{path}.{wire}",
                )
            properties[wire] = self._property(f"{name}{pascal(wire)}", prop, f"{path}.{wire}")
            if prop.get("nullable") and wire in required:
                required.remove(wire)
        result: dict[str, Any] = {"type": "object", "properties": properties}
        if merged.get("description") or _notes(merged):
            result["description"] = _describe(merged)
        if required:
            result["required"] = required
        result.update({k: merged[k] for k in _EXTENSIONS if k in merged})
        return result

    def _property(self, name: str, raw: Mapping[str, Any], path: str) -> dict[str, Any]:
        merged = _merge_all_of(raw)
        out: dict[str, Any] = {}
        description = _describe(merged)
        if description:
            out["description"] = description
        out.update({k: merged[k] for k in _EXTENSIONS if k in merged})
        if isinstance(merged.get("enum"), list):
            out["enum"] = list(merged["enum"])
        if "$ref" in merged:
            out["$ref"] = self._ref(str(merged["$ref"]), path)
            return out
        if merged.get("x-kubernetes-int-or-string"):
            return out
        kind = merged.get("type")
        if kind == "array":
            items = merged.get("items")
            if not isinstance(items, Mapping):
                raise CrdError("array without items", file=self.file, crd=self.crd, path=path)
            out["type"] = "array"
            out["items"] = self._property(name, items, f"{path}[*]")
            return out
        if kind == "object" or (kind is None and "properties" in merged):
            if merged.get("properties"):
                hoisted = self._claim(name)
                self.out[hoisted] = self._object(hoisted, merged, path)
                out["$ref"] = DEFINITIONS_PREFIX + hoisted
                return out
            out["type"] = "object"
            values = merged.get("additionalProperties")
            if isinstance(values, Mapping):
                out["additionalProperties"] = self._property(f"{name}Value", values, f"{path}.*")
            return out
        if kind in _PRIMITIVES:
            out["type"] = kind
            if merged.get("format"):
                out["format"] = merged["format"]
            return out
        if kind is not None:
            raise CrdError(f"unsupported type {kind!r}", file=self.file, crd=self.crd, path=path)
        return out  # no type: free-form JSON


def _merge_all_of(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``allOf`` parts merged into the schema (a lone ``$ref`` part becomes the ``$ref``)."""
    merged = {k: v for k, v in raw.items() if k != "allOf"}
    for part in raw.get("allOf") or ():
        if not isinstance(part, Mapping):
            continue
        if set(part) == {"$ref"} and "$ref" not in merged:
            merged["$ref"] = part["$ref"]
            continue
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**(merged.get("properties") or {}), **value}
            elif key == "required":
                merged["required"] = [*(merged.get("required") or ()), *value]
            else:
                merged.setdefault(key, value)
    return merged


def _short(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _notes(raw: Mapping[str, Any]) -> list[str]:
    """Documentation of what the types cannot say."""
    notes = []
    if isinstance(raw.get("enum"), list):
        notes.append("Allowed values: " + ", ".join(_short(v) for v in raw["enum"]) + ".")
    if "default" in raw:
        notes.append(f"Default: {_short(raw['default'])}.")
    if raw.get("nullable"):
        notes.append("May be null.")
    for key in ("oneOf", "anyOf", "not"):
        if key in raw and not raw.get("x-kubernetes-int-or-string"):
            notes.append(f"Constraint {key}: {_short(raw[key])}.")
    for rule in raw.get("x-kubernetes-validations") or ():
        if isinstance(rule, Mapping) and "rule" in rule:
            message = f" ({rule['message']})" if rule.get("message") else ""
            notes.append(f"Validation: `{rule['rule']}`{message}.")
    return notes


def _describe(raw: Mapping[str, Any]) -> str:
    parts = [str(raw.get("description") or "").strip(), *_notes(raw)]
    return "\n\n".join(p for p in parts if p)
