"""The same API fed as OpenAPI v2 and as a v3 snapshot yields the same IR.

Documented differences (see codegen/load_v2.py, load_v3.py):
- short names and categories come from discovery only (v2 has none);
- v3 descriptions of enum fields carry a "Possible enum values" paragraph;
- a live apiserver lists DeleteOptions/WatchEvent GVKs only for the groups it serves, and
  serves a subset of the groups of the "all APIs enabled" swagger.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path
from typing import Any

from upstream_specs import UPSTREAM, needs_upstream

from kubetyped_codegen.ir import ApiSpec, Property, Schema, VersionInfo
from kubetyped_codegen.load_v2 import load_v2, load_v2_document
from kubetyped_codegen.load_v3 import load_v3
from kubetyped_codegen.openapi_v3 import normalise
from kubetyped_codegen.snapshot import snapshot_from_swagger

SWAGGER = UPSTREAM / "swagger-1.36.json"
COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "kubetyped_openapi" / "1.36.tar.xz"
_REF = "#/definitions/"


def mini_swagger() -> dict[str, Any]:
    """A tiny API: namespaced widgets with status and scale, and a cluster-scoped gadget."""
    gvk = {"group": "example.com", "version": "v1", "kind": "Widget"}
    meta = {
        "description": "Standard metadata.",
        "$ref": _REF + "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    }

    def op(
        action: str, response: str | None, body: str | None = None, kind: dict[str, str] = gvk
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": kind,
            "produces": ["application/json"],
            "responses": {
                "200": {
                    "description": "OK",
                    **({"schema": {"$ref": _REF + response}} if response else {}),
                }
            },
        }
        if body:
            out["parameters"] = [
                {"in": "body", "name": "body", "required": True, "schema": {"$ref": _REF + body}}
            ]
        return out

    scale_kind = {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    gadget = {"group": "example.com", "version": "v1", "kind": "Gadget"}
    base = "/apis/example.com/v1"
    return {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": "unversioned"},
        "definitions": {
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
                "properties": {"name": {"type": "string"}},
                "type": "object",
            },
            "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta": {
                "properties": {"continue": {"type": "string"}},
                "type": "object",
            },
            "com.example.v1.Widget": {
                "properties": {
                    "metadata": meta,
                    "podIPs": {
                        "type": "array",
                        "items": {"type": "string"},
                        "x-kubernetes-list-type": "atomic",
                    },
                },
                "type": "object",
                "x-kubernetes-group-version-kind": [gvk],
            },
            "com.example.v1.WidgetList": {
                "properties": {
                    "items": {"type": "array", "items": {"$ref": _REF + "com.example.v1.Widget"}},
                    "metadata": {"$ref": _REF + "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"},
                },
                "required": ["items"],
                "type": "object",
                "x-kubernetes-group-version-kind": [{**gvk, "kind": "WidgetList"}],
            },
            "com.example.v1.Gadget": {
                "properties": {"size": {"type": "integer", "format": "int32"}},
                "type": "object",
                "x-kubernetes-group-version-kind": [gadget],
            },
            "io.k8s.api.autoscaling.v1.Scale": {
                "properties": {"replicas": {"type": "integer"}},
                "type": "object",
                "x-kubernetes-group-version-kind": [scale_kind],
            },
        },
        "paths": {
            f"{base}/namespaces/{{namespace}}/widgets": {
                "get": op("list", "com.example.v1.WidgetList"),
                "post": op("post", "com.example.v1.Widget", "com.example.v1.Widget"),
            },
            f"{base}/namespaces/{{namespace}}/widgets/{{name}}": {
                "get": op("get", "com.example.v1.Widget"),
                "put": op("put", "com.example.v1.Widget", "com.example.v1.Widget"),
            },
            f"{base}/namespaces/{{namespace}}/widgets/{{name}}/status": {
                "get": op("get", "com.example.v1.Widget"),
                "patch": op("patch", "com.example.v1.Widget"),
            },
            f"{base}/namespaces/{{namespace}}/widgets/{{name}}/scale": {
                "get": op("get", "io.k8s.api.autoscaling.v1.Scale", kind=scale_kind),
                "put": op(
                    "put",
                    "io.k8s.api.autoscaling.v1.Scale",
                    "io.k8s.api.autoscaling.v1.Scale",
                    kind=scale_kind,
                ),
            },
            f"{base}/widgets": {"get": op("list", "com.example.v1.WidgetList")},
            f"{base}/watch/widgets": {"get": op("watchlist", None)},
            f"{base}/gadgets/{{name}}": {
                "get": op("get", "com.example.v1.Gadget", kind=gadget),
                "delete": op("delete", None, kind=gadget),
            },
        },
    }


def test_mini_api_v2_equals_v3(tmp_path: Path) -> None:
    swagger = mini_swagger()
    path = tmp_path / "swagger-1.36.json"
    path.write_text(__import__("json").dumps(swagger))
    v2 = load_v2(path)
    v3 = load_v3(snapshot_from_swagger(path, tmp_path / "snap", tmp_path))
    assert v2.groups == v3.groups
    assert v2.schemas == v3.schemas
    widgets = v2.group_version("example.com", "v1").resource("widgets")  # type: ignore[union-attr]
    assert widgets is not None and widgets.namespaced and widgets.has_all_namespaces_list
    assert widgets.verbs == {"list", "create", "get", "update", "watch"}
    assert widgets.list_kind == "WidgetList" and widgets.model_ref == "com.example.v1.Widget"
    assert [s.name for s in widgets.subresources] == ["scale", "status"]
    gadgets = v2.group_version("example.com", "v1").resource("gadgets")  # type: ignore[union-attr]
    assert gadgets is not None and not gadgets.namespaced and gadgets.verbs == {"get", "delete"}
    assert v2.schemas["com.example.v1.Widget"].module == "example_v1"


def test_v3_normalisation() -> None:
    wrapped = {"allOf": [{"$ref": "#/components/schemas/X"}], "default": {}, "description": "d"}
    assert normalise(wrapped) == {"$ref": "#/definitions/X", "description": "d"}
    one_of = {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "i"}
    assert normalise(one_of) == {"type": "string", "format": "int-or-string", "description": "i"}
    props = {
        "properties": {"default": {"type": "string"}, "enum": {"type": "string"}},
        "enum": ["a"],
        "default": "a",
    }
    # enums are kept (Property.enum), defaults dropped; properties named so are not touched
    assert normalise(props) == {
        "properties": {"default": {"type": "string"}, "enum": {"type": "string"}},
        "enum": ["a"],
    }


@needs_upstream
def test_full_swagger_v2_equals_imported_snapshot(tmp_path: Path) -> None:
    v2 = load_v2(SWAGGER)
    v3 = load_v3(snapshot_from_swagger(SWAGGER, tmp_path / "1.36", tmp_path))
    assert v2.groups == v3.groups
    assert v2.schemas == v3.schemas


def _strip_enum_docs(schema: Schema) -> Schema:
    def strip(text: str) -> str:
        return re.sub(r"\n\n+Possible enum values:.*\Z", "", text, flags=re.S)

    props = tuple(
        dataclasses.replace(p, description=strip(p.description)) for p in schema.properties
    )
    return dataclasses.replace(schema, description=strip(schema.description), properties=props)


@needs_upstream
def test_committed_real_snapshot_matches_upstream_swagger() -> None:
    v2: ApiSpec = load_v2(SWAGGER)
    real = load_v3(COMMITTED)
    assert real.version_info.major_minor == "1.36"
    multi_gvk = {
        "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
        "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent",
    }
    for name, schema in real.schemas.items():
        expected = v2.schemas[name]
        if name in multi_gvk:
            assert set(schema.gvks) <= set(expected.gvks)
            schema = dataclasses.replace(schema, gvks=expected.gvks)
        assert _strip_enum_docs(schema) == expected, name
    for group in real.groups:
        for gv in group.versions:
            expected_gv = v2.group_version(gv.group, gv.version)
            assert expected_gv is not None and expected_gv.python_name == gv.python_name
            assert gv.preferred == expected_gv.preferred
            for resource in gv.resources:
                plain = dataclasses.replace(resource, short_names=(), categories=())
                assert plain == expected_gv.resource(resource.plural), resource.plural
    pods = real.group_version("", "v1").resource("pods")  # type: ignore[union-attr]
    assert pods is not None and pods.short_names == ("po",) and pods.categories == ("all",)
    # v3 keeps enums, v2 has none (Property.enum is not compared)
    container = "io.k8s.api.core.v1.Container"
    policy = _property(real.schemas[container], "imagePullPolicy")
    assert policy.enum == ("Always", "IfNotPresent", "Never")
    assert _property(v2.schemas[container], "imagePullPolicy").enum == ()


def _property(schema: Schema, wire_name: str) -> Property:
    return next(p for p in schema.properties if p.wire_name == wire_name)


def test_committed_snapshot_keeps_enums() -> None:
    real = load_v3(COMMITTED)
    service = _property(real.schemas["io.k8s.api.core.v1.ServiceSpec"], "type")
    assert service.enum == ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
    with_enums = sum(1 for s in real.schemas.values() for p in s.properties if p.enum)
    assert with_enums > 50  # 87 properties of 1.36 have enums


def test_loader_does_not_depend_on_input_dict_identity() -> None:
    swagger = mini_swagger()
    first = load_v2_document(copy.deepcopy(swagger), VersionInfo("1", "36"))
    second = load_v2_document(copy.deepcopy(swagger), VersionInfo("1", "36"))
    assert first == second
