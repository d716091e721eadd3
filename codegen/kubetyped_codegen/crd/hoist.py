"""Inline CRD schemas (OpenAPI v3, nested anonymous objects) -> flat v2-shaped definitions.

Every nested object with properties becomes a class, with three rules that keep big CRDs small:

- **Shared structures.** Objects of one group-version that are structurally identical (same
  properties, types, required fields, enums and rules; descriptions aside) become one class.
- **Built-in types.** An object that is structurally a built-in type of the committed snapshot
  (``core_v1.Container``, ``PodSpec``, ``meta_v1.LabelSelector`` ...) is that type: its properties
  are a subset of the built-in's with compatible types, the built-in requires nothing the CRD
  does not, and at least half of its property descriptions are the built-in's (the same Go
  type, perhaps of an older Kubernetes) or it has all of the built-in's properties (3 or more).
  Ties go to the most shared descriptions, then to the name the path suggests (``resources`` ->
  ``ResourceRequirements``); a tie with neither (cert-manager's conditions are the same shape
  as apps/v1 ``DaemonSetCondition``, ``DeploymentCondition`` ...) is no match. Descriptions, ``x-kubernetes-*`` markers and
  preserve-unknown-fields (a free-form object where the built-in has a typed one) are ignored.
- **Stable, bounded names.** Every path has its own name, ``Kind`` + the path:
  ``Certificate.spec.privateKey`` -> ``CertificateSpecPrivateKey`` (array items keep the
  array's name, map values get ``Value``); it depends on that kind's schema of that version
  only, never on other versions or other CRDs of the run. A structure used at several paths
  is one class, defined under the shortest of their names; the other names are module-level
  aliases of it (``CertificateStatusConditions = IssuerStatusConditions``: the same type for
  isinstance and type checkers). Names whose snake_case form would exceed ``MAX_NAME`` keep
  the kind and the last path segments plus a hash of the whole path. A name two structures
  (or a kind) would take: the later by kind and JSON path adds a hash of them, so names never
  depend on the order of files and adding a field does not rename the existing classes.

Only types come from the schema; the rest is kept as documentation: defaults, enums (also kept
as ``enum`` for the IR), ``x-kubernetes-validations`` rules, ``oneOf``/``anyOf``/``not``
constraints and ``nullable``. ``nullable`` required fields and required fields with a
``default`` are optional (the apiserver defaults before it validates). ``format: date-time``
is ``meta_v1.Time``; int-or-string with a quantity pattern is ``Quantity``. Objects with only
``x-kubernetes-preserve-unknown-fields`` stay free-form.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kubetyped_codegen.crd.errors import CrdError
from kubetyped_codegen.crd.schema_types import check_schema
from kubetyped_codegen.naming import pascal, snake_case
from kubetyped_codegen.schemas import CRD_DEFAULT, DEFINITIONS_PREFIX

COMPONENTS = "#/components/schemas/"
TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
#: Deepest object nesting accepted (real CRDs stay below 30); deeper raises ``CrdError``.
MAX_DEPTH = 100
#: Longest snake_case class name (the module file name adds ``_`` and ``.py``).
MAX_NAME = 80
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
_PLACEHOLDER = "\0"
#: the other names of a shared class (one per path it is used at), rendered as aliases
ALIASES = "x-kubetyped-aliases"
_NOTES = "x-kubetyped-notes"  # structural notes (enum, default, rules): part of the key only
_QUANTITY_PATTERN = "KMGTPE"
_UNSTABLE = re.compile(r"\.v\d+(alpha|beta)\d*\.")


def _digest(text: str, size: int = 6) -> str:
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16) % 10**size).zfill(size)


def bounded_name(segments: list[str], path: str) -> str:
    """``segments`` joined; over ``MAX_NAME`` (snake_case): kind + last segments + a digest."""
    full = "".join(segments)
    if len(snake_case(full)) <= MAX_NAME:
        return full
    tail: list[str] = []
    for segment in reversed(segments[1:]):
        if len(snake_case(segments[0] + segment + "".join(tail))) > MAX_NAME - 12:
            break
        tail.insert(0, segment)
    return segments[0] + "".join(tail) + _digest(path)


@dataclass
class _Occurrence:
    segments: list[str]
    path: str
    parent: int
    origin: str
    prefix: str
    definition: dict[str, Any] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    key: str = ""

    @property
    def name(self) -> str:
        return "".join(self.segments)


@dataclass
class HoistResult:
    """v2-shaped definitions; the module of each (when given) and where each came from."""

    definitions: dict[str, dict[str, Any]]
    modules: dict[str, str]
    origins: dict[str, str]
    #: definition name -> the other class names of the structure (module-level aliases)
    aliases: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Hoister:
    """Flattens CRD schemas; ``known`` are the definitions refs may target.

    ``builtins`` (name -> v2-shaped definition) are the built-in types CRD objects may be
    recognised as. Call ``definition`` for every root, then ``finish`` once.
    """

    known: set[str]
    builtins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    file: str = ""
    crd: str = ""
    _roots: list[tuple[str, str | None]] = field(default_factory=list)
    _occurrences: list[_Occurrence] = field(default_factory=list)
    _keys: dict[str, int] = field(default_factory=dict)  # structural key -> id
    _key_ids: list[str] = field(default_factory=list)

    # --- pass 1: convert, collecting every object occurrence with its structural key --------

    def definition(self, name: str, raw: Mapping[str, Any], module: str | None = None) -> None:
        """Converts the root schema ``raw`` of definition ``name`` (``io.example.v1.Kind``),
        rendered into ``module`` when given. Raises ``CrdError`` naming the JSON path for
        wrong-typed nodes, unresolvable refs and schemas nested deeper than ``MAX_DEPTH``."""
        prefix, _, kind = name.rpartition(".")
        origin = ": ".join(p for p in (self.file, self.crd) if p)
        occurrence = _Occurrence([pascal(kind) or kind], "$", -1, origin, prefix)
        index = len(self._occurrences)
        self._occurrences.append(occurrence)
        self._roots.append((name, module))
        check_schema(raw, "$", self._error)
        self._fill(index, raw, 0)
        occurrence.key = f"root:{name}"

    def _error(self, message: str, path: str) -> CrdError:
        version = self._roots[-1][0].rpartition(".")[0].rpartition(".")[2] if self._roots else ""
        return CrdError(message, file=self.file, crd=self.crd, path=path, version=version)

    def _fill(self, index: int, raw: Mapping[str, Any], depth: int) -> None:
        occurrence = self._occurrences[index]
        path = occurrence.path
        if depth > MAX_DEPTH:
            raise self._error(f"schema nested deeper than {MAX_DEPTH} objects", path)
        merged = _merge_all_of(raw, self, path)
        properties: dict[str, Any] = {}
        raw_properties = merged.get("properties") or {}
        if not isinstance(raw_properties, Mapping):
            raise self._error("properties is not an object", f"{path}.properties")
        required = merged.get("required") or []
        if not isinstance(required, list):
            raise self._error("required is not a list", f"{path}.required")
        required = [str(r) for r in required]
        for wire, prop in sorted(raw_properties.items()):
            wire = str(wire)
            at = f"{path}.{wire}"
            if not isinstance(prop, Mapping):
                raise self._error("property schema is not an object", at)
            segments = [*occurrence.segments, pascal(wire) or "Field"]
            properties[wire] = self._property(segments, prop, at, index, depth)
            occurrence.descriptions[wire] = _words(prop.get("description"))
            if (prop.get("nullable") or "default" in prop) and wire in required:
                required.remove(wire)
        result: dict[str, Any] = {"type": "object", "properties": properties}
        notes = _notes(merged)
        description = _describe(merged, notes)
        if description:
            result["description"] = description
        if notes:
            result[_NOTES] = notes
        if required:
            result["required"] = sorted(set(required), key=required.index)
        result.update({k: merged[k] for k in _EXTENSIONS if k in merged})
        occurrence.definition = result

    def _ref(self, ref: str, path: str) -> str:
        target = ref.removeprefix(COMPONENTS).removeprefix(DEFINITIONS_PREFIX)
        if target == ref or target not in self.known:
            raise self._error(f"unresolvable $ref {ref!r}", path)
        return DEFINITIONS_PREFIX + target

    def _property(
        self, segments: list[str], raw: Mapping[str, Any], path: str, parent: int, depth: int
    ) -> dict[str, Any]:
        merged = _merge_all_of(raw, self, path)
        out: dict[str, Any] = {}
        notes = _notes(merged)
        description = _describe(merged, notes)
        if description:
            out["description"] = description
        if notes:
            out[_NOTES] = notes
        out.update({k: merged[k] for k in _EXTENSIONS if k in merged})
        if isinstance(merged.get("enum"), list):
            out["enum"] = list(merged["enum"])
        if "default" in merged:
            out[CRD_DEFAULT] = merged["default"]
        if isinstance(merged.get("x-kubernetes-validations"), list):
            out["x-kubernetes-validations"] = merged["x-kubernetes-validations"]
        if "$ref" in merged:
            out["$ref"] = self._ref(str(merged["$ref"]), path)
            return out
        if merged.get("x-kubernetes-int-or-string"):
            if _QUANTITY_PATTERN in str(merged.get("pattern", "")) and QUANTITY in self.known:
                out["$ref"] = DEFINITIONS_PREFIX + QUANTITY
            return out
        kind = merged.get("type")
        if not isinstance(kind, str | None):
            raise self._error(f"type is not a string: {kind!r}", f"{path}.type")
        if kind == "array":
            items = merged.get("items")
            if not isinstance(items, Mapping):
                raise self._error("array without items", path)
            out["type"] = "array"
            out["items"] = self._property(segments, items, f"{path}[*]", parent, depth)
            return out
        if kind == "object" or (kind is None and "properties" in merged):
            if merged.get("properties"):
                index = len(self._occurrences)
                origin = self._occurrences[parent].origin
                prefix = self._occurrences[parent].prefix
                self._occurrences.append(_Occurrence(segments, path, parent, origin, prefix))
                self._fill(index, merged, depth + 1)
                key = prefix + "|" + _key(self._occurrences[index].definition)
                key_id = self._keys.setdefault(key, len(self._keys))
                if key_id == len(self._key_ids):
                    self._key_ids.append(key)
                self._occurrences[index].key = key
                out["$ref"] = f"{_PLACEHOLDER}{key_id}"
                return out
            out["type"] = "object"
            values = merged.get("additionalProperties")
            if isinstance(values, Mapping):
                out["additionalProperties"] = self._property(
                    [*segments, "Value"], values, f"{path}.*", parent, depth
                )
            return out
        if kind in _PRIMITIVES:
            out["type"] = kind
            if merged.get("format") == "date-time" and TIME in self.known:
                out["$ref"] = DEFINITIONS_PREFIX + TIME
                del out["type"]
            elif merged.get("format"):
                out["format"] = str(merged["format"])
            return out
        if kind is not None:
            raise self._error(f"unsupported type {kind!r}", path)
        return out  # no type: free-form JSON

    # --- pass 2: built-in types, live structures, names --------------------------------------

    def finish(self) -> HoistResult:
        """The flat definitions of every root given so far."""
        representative: dict[str, _Occurrence] = {}
        for occurrence in self._occurrences:
            representative.setdefault(occurrence.key, occurrence)
        matcher = _BuiltinMatcher(self.builtins, representative, self._key_ids)
        resolved: dict[str, str] = {}  # key -> definition name
        for key, occurrence in representative.items():
            if not key.startswith("root:"):
                found = matcher.best(key, occurrence)
                if found:
                    resolved[key] = found
        live: list[bool] = []
        by_key: dict[str, list[_Occurrence]] = {}
        for occurrence in self._occurrences:
            parent_live = occurrence.parent < 0 or (
                live[occurrence.parent] and self._occurrences[occurrence.parent].key not in resolved
            )
            live.append(parent_live)
            if parent_live and occurrence.key not in resolved:
                by_key.setdefault(occurrence.key, []).append(occurrence)
        result = HoistResult({}, {}, {})
        roots = {f"root:{name}": (name, module) for name, module in self._roots}
        taken: dict[str, set[str]] = {}
        for key, (name, module) in roots.items():
            resolved[key] = name
            taken.setdefault(name.rpartition(".")[0], set()).add(name.rpartition(".")[2])
            if module:
                result.modules[name] = module
        # every live occurrence keeps the name of its own path (kind + path, bounded): the name
        # depends on that kind's schema of that version only
        by_name: dict[tuple[str, str], set[str]] = {}
        paths: dict[tuple[str, str], list[_Occurrence]] = {}
        for key, occurrences in by_key.items():
            if key in roots:
                continue
            for occurrence in occurrences:
                name = bounded_name(occurrence.segments, occurrence.path)
                by_name.setdefault((occurrence.prefix, name), set()).add(key)
                paths.setdefault((occurrence.prefix, name), []).append(occurrence)
        names_of: dict[str, set[str]] = {}
        for (prefix, name), keys in sorted(by_name.items()):
            spent = taken.setdefault(prefix, set())
            ordered = sorted(
                keys,
                key=lambda k: min(
                    (o.segments[0], o.path) for o in paths[prefix, name] if o.key == k
                ),
            )
            for number, key in enumerate(ordered):
                unique = name
                if number or name in spent:  # a name two structures (or a kind) would take
                    first = min(
                        (o.segments[0], o.path) for o in paths[prefix, name] if o.key == key
                    )
                    unique = name + _digest("".join(first), 4)
                while unique in spent:
                    unique += "X"
                spent.add(unique)
                names_of.setdefault(key, set()).add(unique)
        prefix_module = {n.rpartition(".")[0]: m for n, m in self._roots if m}
        for key, occurrences in by_key.items():
            if key in roots:
                continue
            best = min(occurrences, key=lambda o: (len(o.name), o.name, o.path, o.origin))
            # the class is defined once, under its shortest name; its other names are aliases
            canonical, *others = sorted(names_of[key], key=lambda n: (len(n), n))
            resolved[key] = f"{best.prefix}.{canonical}"
            result.aliases[resolved[key]] = others
        for key, occurrences in by_key.items():
            best = min(occurrences, key=lambda o: (len(o.name), o.name, o.path, o.origin))
            name = resolved[key]
            result.definitions[name] = _substitute(best.definition, resolved, self._key_ids)
            if result.aliases.get(name):
                result.definitions[name][ALIASES] = result.aliases[name]
            version = best.prefix.rpartition(".")[2]
            result.origins[name] = f"{best.origin}: version {version}: {best.path}"
            if best.prefix in prefix_module:
                result.modules[name] = prefix_module[best.prefix]
        return result


def _key(definition: Mapping[str, Any]) -> str:
    return json.dumps(_structure(definition), sort_keys=True, ensure_ascii=False)


def _structure(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _structure(v) if isinstance(v, dict | list) else v
            for k, v in value.items()
            if k != "description"
        }
    if isinstance(value, list):
        return [_structure(v) for v in value]
    return value


def _substitute(value: Any, resolved: Mapping[str, str], key_ids: list[str]) -> Any:
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if k == _NOTES:
                continue
            if k == "$ref" and isinstance(v, str) and v.startswith(_PLACEHOLDER):
                v = DEFINITIONS_PREFIX + resolved[key_ids[int(v[len(_PLACEHOLDER) :])]]
            out[k] = _substitute(v, resolved, key_ids)
        return out
    if isinstance(value, list):
        return [_substitute(v, resolved, key_ids) for v in value]
    return value


class _BuiltinMatcher:
    """Whether a CRD structure is a built-in type (see the module docstring)."""

    def __init__(
        self,
        builtins: Mapping[str, Mapping[str, Any]],
        representative: Mapping[str, _Occurrence],
        key_ids: list[str],
    ) -> None:
        self.builtins = builtins
        self.representative = representative
        self.key_ids = key_ids
        self.memo: dict[tuple[str, str], bool] = {}
        self.by_property: dict[str, set[str]] = {}
        for name, raw in builtins.items():
            if name.startswith(("io.k8s.api.", "io.k8s.apimachinery.pkg.apis.meta.v1.")):
                for wire in raw.get("properties") or {}:
                    self.by_property.setdefault(wire, set()).add(name)

    def best(self, key: str, occurrence: _Occurrence) -> str | None:
        properties = occurrence.definition.get("properties") or {}
        if not properties:
            return None
        candidates: set[str] | None = None
        for wire in properties:
            found = self.by_property.get(wire, set())
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return None
        scored = []
        for name in sorted(candidates or ()):
            builtin = self.builtins[name].get("properties") or {}
            same_docs = sum(
                1
                for wire, text in occurrence.descriptions.items()
                if text and text == _words(builtin[wire].get("description"))
            )
            ratio = len(properties) / len(builtin)
            if not (same_docs * 2 >= len(properties) or (ratio == 1 and len(properties) >= 3)):
                continue
            if self._object(key, name):
                # ``resources`` -> ResourceRequirements rather than VolumeResourceRequirements
                hint = name.rpartition(".")[2].startswith(occurrence.segments[-1].rstrip("s"))
                unstable = _UNSTABLE.search(name) is not None  # prefer core_v1 to *_v1beta1
                scored.append((-same_docs, not hint, -ratio, unstable, name))
        if not scored:
            return None
        best = min(scored)
        if best[0] == 0 and best[1] and sum(1 for s in scored if s[:4] == best[:4]) > 1:
            return None  # no shared description, no hint, several equal built-ins: ambiguous
        return best[-1]

    def _object(self, key: str, name: str) -> bool:
        memo_key = (key, name)
        if memo_key in self.memo:
            return self.memo[memo_key]
        self.memo[memo_key] = True  # recursive structures: assume a match while checking
        definition = self.representative[key].definition
        builtin = self.builtins[name]
        ours = definition.get("properties") or {}
        theirs = builtin.get("properties") or {}
        ok = set(ours) <= set(theirs) and set(builtin.get("required") or ()) <= set(
            definition.get("required") or ()
        )
        ok = ok and all(self._compatible(ours[w], theirs[w]) for w in ours)
        self.memo[memo_key] = ok
        return ok

    def _target(self, ref: str) -> tuple[str, Mapping[str, Any]] | None:
        name = ref.removeprefix(DEFINITIONS_PREFIX)
        raw = self.builtins.get(name)
        return (name, raw) if raw is not None else None

    def _compatible(self, ours: Mapping[str, Any], theirs: Mapping[str, Any]) -> bool:
        if "$ref" in theirs:
            target = self._target(str(theirs["$ref"]))
            if target is None:
                return False
            name, raw = target
            if raw.get("properties"):
                ref = str(ours.get("$ref", ""))
                if ref.startswith(_PLACEHOLDER):
                    return self._object(self.key_ids[int(ref[len(_PLACEHOLDER) :])], name)
                if ref:
                    return ref.removeprefix(DEFINITIONS_PREFIX) == name
                return _free(ours)
            theirs = raw
        if "$ref" in ours and not str(ours["$ref"]).startswith(_PLACEHOLDER):
            target = self._target(str(ours["$ref"]))
            if target is None:
                return False
            ours = target[1]
        kind, their_kind = _kind(ours), _kind(theirs)
        if their_kind == "any":
            return True
        if kind == "object":
            return False
        if kind in ("any", "free"):
            return their_kind in ("object", "map", "free")
        if their_kind == "intstr":
            return kind in ("intstr", "string", "integer")
        if kind == "intstr":
            return their_kind == "intstr" or their_kind == "string"
        if kind == "array":
            return their_kind == "array" and self._compatible(ours["items"], theirs["items"])
        if kind == "map":
            if their_kind == "free":
                return True
            return their_kind == "map" and self._compatible(
                ours["additionalProperties"], theirs["additionalProperties"]
            )
        if kind == "integer" and their_kind == "number":
            return True
        return kind == their_kind


def _words(text: object) -> str:
    return " ".join(str(text or "").split())


def _free(schema: Mapping[str, Any]) -> bool:
    return _kind(schema) in ("any", "free")


def _kind(schema: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        return "object"
    if schema.get("x-kubernetes-int-or-string") or schema.get("format") == "int-or-string":
        return "intstr"
    kind = schema.get("type")
    if kind == "object":
        if isinstance(schema.get("additionalProperties"), Mapping):
            return "map"
        return "free" if not schema.get("properties") else "object"
    if kind is None:
        return "any"
    return str(kind)


def _merge_all_of(raw: Mapping[str, Any], hoister: Hoister, path: str) -> dict[str, Any]:
    """``allOf`` parts merged into the schema (a lone ``$ref`` part becomes the ``$ref``)."""
    if "allOf" not in raw:
        return dict(raw)
    merged = {k: v for k, v in raw.items() if k != "allOf"}
    parts = raw.get("allOf") or []
    if not isinstance(parts, list):
        raise hoister._error("allOf is not a list", f"{path}.allOf")
    for number, part in enumerate(parts):
        where = f"{path}.allOf[{number}]"
        if not isinstance(part, Mapping):
            raise hoister._error("allOf entry is not an object", where)
        if set(part) == {"$ref"} and "$ref" not in merged:
            merged["$ref"] = part["$ref"]
            continue
        for key, value in part.items():
            if key == "properties":
                if not isinstance(value, Mapping):
                    raise hoister._error("properties is not an object", f"{where}.properties")
                merged["properties"] = {**_mapping(merged, "properties", hoister, path), **value}
            elif key == "required":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise hoister._error("required is not a list of names", f"{where}.required")
                merged["required"] = [*(merged.get("required") or ()), *value]
            else:
                merged.setdefault(key, value)
    return merged


def _mapping(raw: Mapping[str, Any], key: str, hoister: Hoister, path: str) -> Mapping[str, Any]:
    value = raw.get(key) or {}
    if not isinstance(value, Mapping):
        raise hoister._error(f"{key} is not an object", f"{path}.{key}")
    return value


def _short(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


_NOTE_KEYS = frozenset(
    {"enum", "default", "nullable", "oneOf", "anyOf", "not", "x-kubernetes-validations"}
)


def _notes(raw: Mapping[str, Any]) -> list[str]:
    """Documentation of what the types cannot say."""
    if not _NOTE_KEYS.intersection(raw):
        return []
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
    rules = raw.get("x-kubernetes-validations")
    for rule in rules if isinstance(rules, list) else ():
        if isinstance(rule, Mapping) and "rule" in rule:
            message = f" ({rule['message']})" if rule.get("message") else ""
            notes.append(f"Validation: `{rule['rule']}`{message}.")
    return notes


def _describe(raw: Mapping[str, Any], notes: list[str]) -> str:
    parts = [str(raw.get("description") or "").strip(), *notes]
    return "\n\n".join(p for p in parts if p)
