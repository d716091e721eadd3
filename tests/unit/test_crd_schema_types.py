"""Every CRD schema keyword with a wrong JSON type is a typed ``CrdError`` at any depth.

Provenance: a newcomer's report (session 3): ``openAPIV3Schema.properties: "oops"`` (or a list)
crashed ``crd/publish.py`` ``published_schemas`` with ``ValueError: dictionary update sequence
element #0 has length 1`` in ``kubetyped generate --crd bad.yaml`` and ``kubetyped diff bad.yaml
bad.yaml`` (exit 1, "breaking" in CI); ``required: "a"``, ``enum: "a"``, ``items: "x"`` ...
were silently accepted. The apiserver refuses all of these (apiextensions v1 JSONSchemaProps).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubetyped_codegen.cli import EXIT_USAGE, main
from kubetyped_codegen.crd import CrdError
from kubetyped_codegen.crd.hoist import Hoister
from kubetyped_codegen.crd.source import read_crds

ROOT = "$.spec.versions[0].schema.openAPIV3Schema"

#: (keyword, wrong value, expected words of the message)
WRONG: list[tuple[str, Any, str]] = [
    ("properties", "oops", "an object of schemas"),
    ("properties", ["a"], "an object of schemas"),
    ("properties", {"a": "string"}, "a schema must be an object"),
    ("patternProperties", [1], "an object of schemas"),
    ("definitions", "x", "an object of schemas"),
    ("items", "x", "a schema or a list of schemas"),
    ("items", [1], "a schema must be an object"),
    ("required", "a", "a list of strings"),
    ("required", [1], "a list of strings"),
    ("enum", "a", "a list"),
    ("type", ["object"], "a string"),
    ("type", 3, "a string"),
    ("format", 3, "a string"),
    ("description", ["x"], "a string"),
    ("pattern", 1, "a string"),
    ("$ref", 1, "a string"),
    ("additionalProperties", "x", "a boolean or a schema"),
    ("additionalProperties", {"type": 1}, "a string"),
    ("additionalItems", 1, "a boolean or a schema"),
    ("allOf", {"a": 1}, "a list of schemas"),
    ("allOf", ["x"], "a schema must be an object"),
    ("anyOf", "x", "a list of schemas"),
    ("oneOf", [[]], "a schema must be an object"),
    ("not", 3, "a schema must be an object"),
    ("maxLength", "x", "a non-negative integer"),
    ("minItems", True, "a non-negative integer"),
    ("maxProperties", 1.5, "a non-negative integer"),
    ("maximum", "1", "a number"),
    ("minimum", False, "a number"),
    ("multipleOf", [], "a number"),
    ("exclusiveMaximum", 1, "a boolean"),
    ("uniqueItems", "yes", "a boolean"),
    ("nullable", "x", "a boolean"),
    ("x-kubernetes-preserve-unknown-fields", "true", "a boolean"),
    ("x-kubernetes-embedded-resource", 1, "a boolean"),
    ("x-kubernetes-int-or-string", 3, "a boolean"),
    ("x-kubernetes-list-type", 3, "a string"),
    ("x-kubernetes-map-type", ["x"], "a string"),
    ("x-kubernetes-list-map-keys", "name", "a list of strings"),
    ("x-kubernetes-validations", "self > 0", "a list of rules"),
    ("x-kubernetes-validations", [{"rule": 3}], "rule must be a string"),
    ("x-kubernetes-validations", [{"rule": "x", "optionalOldSelf": "no"}], "a boolean"),
    ("dependencies", "x", "an object"),
    ("externalDocs", {"url": 3}, "a string"),
]

#: Where a wrong-typed node sits: (wrap the node into the root schema, JSON path of the node).
Place = Callable[[dict[str, Any]], dict[str, Any]]
DEPTHS: list[tuple[str, Place, str]] = [
    ("top", lambda node: {"type": "object", **node}, ROOT),
    (
        "property",
        lambda node: {"type": "object", "properties": {"spec": {"type": "object", **node}}},
        f"{ROOT}.properties.spec",
    ),
    (
        "array items",
        lambda node: {
            "type": "object",
            "properties": {"list": {"type": "array", "items": {"type": "object", **node}}},
        },
        f"{ROOT}.properties.list.items",
    ),
    (
        "map values",
        lambda node: {
            "type": "object",
            "properties": {"m": {"type": "object", "additionalProperties": node}},
        },
        f"{ROOT}.properties.m.additionalProperties",
    ),
    (
        "allOf deep",
        lambda node: {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {"b": {"allOf": [{"type": "object", **node}]}},
                }
            },
        },
        f"{ROOT}.properties.a.properties.b.allOf[0]",
    ),
]


def crd_document(root: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"kind": "Widget", "plural": "widgets"},
            "versions": [
                {"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": root}}
            ],
        },
    }


def write(path: Path, root: Any) -> Path:
    path.write_text(yaml.safe_dump(crd_document(root)))
    return path


@pytest.mark.parametrize(("keyword", "value", "message"), WRONG)
@pytest.mark.parametrize(("depth", "place", "at"), DEPTHS, ids=[d[0] for d in DEPTHS])
def test_wrong_typed_keyword_at_any_depth_is_a_crd_error(
    tmp_path: Path, keyword: str, value: Any, message: str, depth: str, place: Place, at: str
) -> None:
    source = write(tmp_path / "bad.yaml", place({keyword: value}))
    with pytest.raises(CrdError) as raised:
        read_crds([source])
    error = raised.value
    assert (error.file, error.crd, error.version) == (str(source), "widgets.example.com", "v1")
    assert error.path.startswith(f"{at}.{keyword}") and message in str(error)


@pytest.mark.parametrize("root", ["object", ["a"], 3])
def test_a_schema_that_is_not_an_object_is_a_crd_error(tmp_path: Path, root: Any) -> None:
    with pytest.raises(CrdError, match="has no schema"):
        read_crds([write(tmp_path / "bad.yaml", root)])


def test_well_typed_keywords_pass(tmp_path: Path) -> None:
    node = {
        "type": "object",
        "description": "d",
        "required": ["a"],
        "nullable": True,
        "x-kubernetes-validations": [{"rule": "self.a > 0", "optionalOldSelf": True}],
        "x-kubernetes-preserve-unknown-fields": True,
        "properties": {
            "a": {"type": "integer", "minimum": 0, "maximum": 1.5, "default": "any", "enum": [1]},
            "l": {
                "type": "array",
                "items": {"type": "object", "properties": {"k": {"type": "string"}}},
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["k"],
                "maxItems": 3,
            },
            "m": {"type": "object", "additionalProperties": True},
            "s": {"type": "string", "maxLength": 2.0, "pattern": "^a$", "format": "date-time"},
            "i": {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}]},
        },
    }
    (crd,) = read_crds([write(tmp_path / "ok.yaml", {"type": "object", "properties": {"s": node}})])
    assert crd.versions[0].schema["properties"]["s"] == node


@pytest.mark.parametrize("properties", ["oops", ["a", "b"]])
@pytest.mark.parametrize("command", ["generate", "diff"])
def test_cli_reports_top_level_wrong_properties_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], properties: Any, command: str
) -> None:
    source = write(tmp_path / "bad.yaml", {"type": "object", "properties": properties})
    out = tmp_path / "widgets"
    argv = (
        ["generate", "--crd", str(source), "--out", str(out)]
        if command == "generate"
        else ["diff", str(source), str(source)]
    )
    assert main(argv) == EXIT_USAGE
    captured = capsys.readouterr()
    assert f"bad.yaml: widgets.example.com: version v1: {ROOT}.properties: " in captured.err
    assert "Traceback" not in captured.err and captured.out == "" and not out.exists()


def test_published_schemas_are_checked_too() -> None:
    """Snapshots and clusters give published schemas straight to the hoister."""
    hoister = Hoister(known=set(), file="snapshot", crd="widgets.example.com")
    with pytest.raises(CrdError) as raised:
        hoister.definition("com.example.v1.Widget", {"type": "object", "properties": "x"})
    assert raised.value.path == "$.properties" and raised.value.version == "v1"
