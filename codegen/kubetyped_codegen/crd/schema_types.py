"""The JSON type of every keyword of a CRD schema, checked before anything reads the schema.

Follows apiextensions.k8s.io/v1 ``JSONSchemaProps`` (apiextensions-apiserver
``pkg/apis/apiextensions/v1/types_jsonschema.go``): the apiserver refuses a CRD whose keyword
has the wrong JSON type when it decodes it, so such a file is bad input. Unknown keywords are
left alone; ``default``, ``example`` and ``enum`` members may hold any value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kubetyped_codegen.crd.errors import CrdError

#: Makes the error of a wrong-typed node: (message, JSON path) -> CrdError.
ErrorAt = Callable[[str, str], CrdError]

_STRING = frozenset(
    {
        "id",
        "$schema",
        "$ref",
        "description",
        "type",
        "format",
        "title",
        "pattern",
        "x-kubernetes-list-type",
        "x-kubernetes-map-type",
    }
)
_NUMBER = frozenset({"maximum", "minimum", "multipleOf"})
_INTEGER = frozenset(
    {"maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"}
)
_BOOLEAN = frozenset(
    {
        "exclusiveMaximum",
        "exclusiveMinimum",
        "uniqueItems",
        "nullable",
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string",
    }
)
_STRING_LIST = frozenset({"required", "x-kubernetes-list-map-keys"})
_SCHEMA_MAP = frozenset({"properties", "patternProperties", "definitions"})
_SCHEMA_LIST = frozenset({"allOf", "oneOf", "anyOf"})
_BOOLEAN_OR_SCHEMA = frozenset({"additionalProperties", "additionalItems"})
_VALIDATION_STRINGS = frozenset({"rule", "message", "messageExpression", "reason", "fieldPath"})
#: Deepest schema nesting walked (the hoister refuses deeper objects with its own message).
_MAX_DEPTH = 200


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _wrong(key: str, expected: str, value: Any, path: str, error: ErrorAt) -> CrdError:
    return error(f"{key} must be {expected}, got {_json_type(value)}", path)


def _strings(key: str, value: Any, path: str, error: ErrorAt) -> None:
    if not isinstance(value, list):
        raise _wrong(key, "a list of strings", value, path, error)
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _wrong(key, "a list of strings", item, f"{path}[{index}]", error)


def _validations(value: Any, path: str, error: ErrorAt) -> None:
    key = "x-kubernetes-validations"
    if not isinstance(value, list):
        raise _wrong(key, "a list of rules", value, path, error)
    for index, rule in enumerate(value):
        at = f"{path}[{index}]"
        if not isinstance(rule, Mapping):
            raise _wrong(key, "a list of rules (objects)", rule, at, error)
        for field, item in rule.items():
            if field in _VALIDATION_STRINGS and not isinstance(item, str):
                raise _wrong(f"{key} {field}", "a string", item, f"{at}.{field}", error)
            if field == "optionalOldSelf" and not isinstance(item, bool):
                raise _wrong(f"{key} {field}", "a boolean", item, f"{at}.{field}", error)


def check_schema(schema: Any, path: str, error: ErrorAt, depth: int = 0) -> None:
    """Raise ``error(message, json_path)`` at the first keyword of ``schema`` (at ``path``)
    whose value has the wrong JSON type, at any depth; ``schema`` itself must be an object."""
    if not isinstance(schema, Mapping):
        raise error(f"a schema must be an object, got {_json_type(schema)}", path)
    if depth > _MAX_DEPTH:
        return
    for key, value in schema.items():
        at = f"{path}.{key}"
        if key in _STRING:
            if not isinstance(value, str):
                raise _wrong(key, "a string", value, at, error)
        elif key in _NUMBER:
            if not _is_number(value):
                raise _wrong(key, "a number", value, at, error)
        elif key in _INTEGER:
            integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
            if not _is_number(value) or not integral or value < 0:
                raise _wrong(key, "a non-negative integer", value, at, error)
        elif key in _BOOLEAN:
            if not isinstance(value, bool):
                raise _wrong(key, "a boolean", value, at, error)
        elif key in _STRING_LIST:
            _strings(key, value, at, error)
        elif key == "enum":
            if not isinstance(value, list):
                raise _wrong(key, "a list", value, at, error)
        elif key in _SCHEMA_MAP:
            if not isinstance(value, Mapping):
                raise _wrong(key, "an object of schemas", value, at, error)
            for name, item in value.items():
                check_schema(item, f"{at}.{name}", error, depth + 1)
        elif key in _SCHEMA_LIST:
            if not isinstance(value, list):
                raise _wrong(key, "a list of schemas", value, at, error)
            for index, item in enumerate(value):
                check_schema(item, f"{at}[{index}]", error, depth + 1)
        elif key == "not":
            check_schema(value, at, error, depth + 1)
        elif key == "items":
            if isinstance(value, list):
                for index, item in enumerate(value):
                    check_schema(item, f"{at}[{index}]", error, depth + 1)
            elif isinstance(value, Mapping):
                check_schema(value, at, error, depth + 1)
            else:
                raise _wrong(key, "a schema or a list of schemas", value, at, error)
        elif key in _BOOLEAN_OR_SCHEMA:
            if not isinstance(value, bool):
                if not isinstance(value, Mapping):
                    raise _wrong(key, "a boolean or a schema", value, at, error)
                check_schema(value, at, error, depth + 1)
        elif key == "dependencies":
            if not isinstance(value, Mapping):
                raise _wrong(key, "an object", value, at, error)
            for name, item in value.items():
                if isinstance(item, list):
                    _strings(key, item, f"{at}.{name}", error)
                else:
                    check_schema(item, f"{at}.{name}", error, depth + 1)
        elif key == "externalDocs":
            if not isinstance(value, Mapping):
                raise _wrong(key, "an object", value, at, error)
            for field in ("description", "url"):
                if field in value and not isinstance(value[field], str):
                    raise _wrong(f"externalDocs {field}", "a string", value[field], at, error)
        elif key == "x-kubernetes-validations":
            _validations(value, at, error)


__all__ = ["ErrorAt", "check_schema"]
