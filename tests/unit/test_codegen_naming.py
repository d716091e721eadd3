"""Python names: attributes, groups, modules and conflict detection."""

from __future__ import annotations

import pytest

from kubetyped.codegen.errors import NamingConflictError, SpecError
from kubetyped.codegen.ir import Primitive
from kubetyped.codegen.naming import (
    NameRegistry,
    definition_module,
    group_python_name,
    group_python_names,
    python_attribute,
)
from kubetyped.codegen.schemas import build_schema, build_schemas


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("podIP", "pod_ip"),
        ("podIPs", "pod_ips"),
        ("hostIPs", "host_ips"),
        ("apiVersion", "api_version"),
        ("containerPorts", "container_ports"),
        ("DNSConfig", "dns_config"),
        ("ipFamilies", "ip_families"),
        ("openAPIV3Schema", "open_api_v3_schema"),
        ("fieldsV1", "fields_v1"),
        ("stubPKCS10Request", "stub_pkcs10_request"),
        ("x-kubernetes-list-map-keys", "x_kubernetes_list_map_keys"),
        ("$ref", "ref"),
        ("$schema", "schema_"),
        ("continue", "continue_"),
        ("not", "not_"),
        ("from", "from_"),
        ("except", "except_"),
        ("json", "json_"),
        ("schema", "schema_"),
        ("model_config", "model_config_"),
        ("to_dict", "to_dict_"),
        ("type", "type"),
        ("int", "int_"),
        ("bool", "bool_"),
        ("string", "string"),
        ("URLs", "urls"),
    ],
)
def test_python_attribute(wire: str, python: str) -> None:
    assert python_attribute(wire) == python


def test_known_groups() -> None:
    expected = {
        "": "core",
        "rbac.authorization.k8s.io": "rbac",
        "internal.apiserver.k8s.io": "apiserverinternal",
        "flowcontrol.apiserver.k8s.io": "flowcontrol",
        "apiextensions.k8s.io": "apiextensions",
        "storagemigration.k8s.io": "storagemigration",
    }
    assert group_python_names(expected) == expected


def test_unknown_groups_first_label_then_full_name() -> None:
    names = group_python_names(
        [
            "cert-manager.io",
            "acme.cert-manager.io",
            "apps",
            "apps.example.com",
            "foo.a.io",
            "foo.b.io",
        ]
    )
    assert names["cert-manager.io"] == "cert_manager"
    assert names["acme.cert-manager.io"] == "acme"
    assert names["apps.example.com"] == "apps_example_com"  # collides with built-in apps
    assert names["foo.a.io"] == "foo_a_io" and names["foo.b.io"] == "foo_b_io"
    assert group_python_name("cert-manager.io") == "cert_manager"


def test_definition_modules() -> None:
    assert definition_module("io.k8s.api.apps.v1.Deployment") == "apps_v1"
    assert definition_module("io.k8s.api.core.v1.Pod") == "core_v1"
    assert definition_module("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta") == "meta_v1"
    assert definition_module("io.k8s.apimachinery.pkg.util.intstr.IntOrString") == "meta_v1"
    assert (
        definition_module("io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService")
        == "apiregistration_v1"
    )
    assert definition_module("io.cert-manager.v1.Certificate") == "cert_manager_v1"
    assert definition_module("io.cert-manager.acme.v1.Challenge") == "acme_v1"
    with pytest.raises(SpecError, match="no version segment"):
        definition_module("com.example.Thing")


def test_registry_conflict_names_both_sources() -> None:
    registry = NameRegistry("class X")
    registry.claim("ref", "$ref")
    registry.claim("ref", "$ref")  # same source again is fine
    with pytest.raises(NamingConflictError) as caught:
        registry.claim("ref", "ref")
    assert caught.value.first == "$ref" and caught.value.second == "ref"
    assert "class X" in str(caught.value)


def test_property_conflict_raises() -> None:
    raw = {"properties": {"$ref": {"type": "string"}, "ref": {"type": "string"}}}
    with pytest.raises(NamingConflictError, match="'ref'"):
        build_schema("io.example.v1.Thing", raw, "example_v1")


def test_class_conflict_in_module_raises() -> None:
    definitions = {
        "io.k8s.apimachinery.pkg.apis.meta.v1.Info": {
            "type": "object",
            "properties": {"a": {"type": "string"}},
        },
        "io.k8s.apimachinery.pkg.version.Info": {
            "type": "object",
            "properties": {"b": {"type": "string"}},
        },
    }
    with pytest.raises(NamingConflictError, match="module meta_v1"):
        build_schemas(definitions)


def test_group_accessor_conflict_raises() -> None:
    with pytest.raises(NamingConflictError, match="group accessors"):
        group_python_names(["", "core"])  # two spellings of one accessor


def test_int_or_string_extension_property() -> None:
    raw = {
        "properties": {
            "port": {
                "x-kubernetes-int-or-string": True,
                "anyOf": [{"type": "integer"}, {"type": "string"}],
            }
        }
    }
    schema = build_schema("io.example.v1.Thing", raw, "example_v1")
    assert schema.properties[0].type == Primitive("string", "int-or-string")
