"""Python names: attributes, groups, modules and conflict detection."""

from __future__ import annotations

import pytest

from kubetyped_codegen.errors import NamingConflictError, SpecError
from kubetyped_codegen.ir import Primitive
from kubetyped_codegen.naming import (
    NameRegistry,
    definition_module,
    group_python_name,
    group_python_names,
    group_version_python_name,
    python_attribute,
)
from kubetyped_codegen.schemas import build_schema, build_schemas


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


def test_unknown_group_names_depend_on_the_group_alone() -> None:
    groups = [
        "cert-manager.io",
        "acme.cert-manager.io",
        "apps",
        "apps.example.com",
        "apps.io",
        "foo.a.io",
        "foo.b.io",
        "gateway.networking.k8s.io",
        "extensions.istio.io",
    ]
    names = group_python_names(groups)
    assert names["cert-manager.io"] == "cert_manager"  # two labels: the first
    assert names["acme.cert-manager.io"] == "acme_cert_manager_io"  # longer: the full name
    assert names["apps.example.com"] == "apps_example_com"
    assert names["apps.io"] == "apps_io"  # its first label is a built-in group's name
    assert names["foo.a.io"] == "foo_a_io" and names["foo.b.io"] == "foo_b_io"
    assert names["extensions.istio.io"] == "extensions_istio_io"
    # whatever else is in the run (gateway-api standard alone vs with experimental groups)
    for group in groups:
        assert group_python_names([group])[group] == names[group] == group_python_name(group)
    alone = group_python_names(["gateway.networking.k8s.io"])
    both = group_python_names(["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"])
    assert alone["gateway.networking.k8s.io"] == both["gateway.networking.k8s.io"]


@pytest.mark.parametrize(
    ("version", "module"),
    [("v1", "zoo_v1"), ("v1alpha", "zoo_v1alpha"), ("stable", "zoo_stable"), ("v1-x", "zoo_v1_x")],
)
def test_any_dns_label_version(version: str, module: str) -> None:
    assert group_version_python_name("zoo", version) == module


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
    assert definition_module("io.cert-manager.acme.v1.Challenge") == "acme_cert_manager_io_v1"
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


def test_property_collisions_keep_both_fields() -> None:
    raw = {
        "properties": {
            "$ref": {"type": "string"},
            "ref": {"type": "string"},
            "mirror_percent": {"type": "integer"},
            "mirrorPercent": {"type": "integer"},
            "zooV1": {"type": "string"},
            "rawView": {"type": "string"},
            "2xx": {"type": "integer"},
        }
    }
    first = build_schema("io.example.v1.Thing", raw, "zoo_v1", frozenset({"zoo_v1"}))
    names = {p.wire_name: p.python_name for p in first.properties}
    assert names == {
        "$ref": "ref_",
        "ref": "ref",  # a wire name that is its own attribute keeps it
        "mirrorPercent": "mirror_percent_",  # never another property's wire name
        "mirror_percent": "mirror_percent",
        "zooV1": "zoo_v1_",  # a module alias the class's annotations use
        "rawView": "raw_view_",  # KubeModel.raw_view()
        "2xx": "n2xx",
    }
    reordered = {"properties": dict(reversed(list(raw["properties"].items())))}
    again = build_schema("io.example.v1.Thing", reordered, "zoo_v1", frozenset({"zoo_v1"}))
    assert {p.wire_name: p.python_name for p in again.properties} == names


def test_reserved_names_cover_the_model_base() -> None:
    from kubetyped.model import KubeModel
    from kubetyped_codegen.naming import _RESERVED

    public = {n for n in dir(KubeModel) if not n.startswith(("_", "model_"))}
    public |= {n for n in dir(type(KubeModel)) if not n.startswith("_")}  # mro, register
    assert public <= _RESERVED


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
