"""CRD YAML -> IR -> a typed package: schema features, naming and typed errors."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubetyped_codegen.crd import CrdError, GroupFilter, render_crd_package, spec_from_crd_files
from kubetyped_codegen.ir import AnyType, Array, Map, Primitive, Ref
from kubetyped_codegen.writer import write_files

CRDS = Path(__file__).resolve().parents[1] / "data" / "crds" / "cert-manager"

WIDGET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["size", "note"],
            "x-kubernetes-validations": [{"rule": "self.size > 0", "message": "size must be positive"}],
            "properties": {
                "size": {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "note": {"type": "string", "nullable": True},
                "mode": {"type": "string", "enum": ["Fast", "Slow"], "default": "Fast"},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
                "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                             "x-kubernetes-preserve-unknown-fields": True},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "ports": {"type": "object", "additionalProperties": {
                    "type": "object", "properties": {"number": {"type": "integer", "format": "int32"}}}},
                "source": {"type": "object", "oneOf": [{"required": ["url"]}, {"required": ["path"]}],
                           "properties": {"url": {"type": "string"}, "path": {"type": "string"}}},
                "rules": {"type": "array", "items": {"type": "object", "properties": {
                    "match": {"type": "object", "properties": {"host": {"type": "string"}}}}}},
            },
        },
        "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
    },
}  # fmt: skip


def crd(
    kind: str = "Widget", schema: dict[str, Any] | None = None, group: str = "example.com"
) -> dict[str, Any]:
    plural = kind.lower() + "s"
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"kind": kind, "plural": plural, "shortNames": ["wd"], "categories": ["all"]},
            "versions": [{
                "name": "v1", "served": True, "storage": True,
                "schema": {"openAPIV3Schema": WIDGET_SCHEMA if schema is None else schema},
                "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.size",
                                                         "statusReplicasPath": ".status.ready"}},
            }],
        },
    }  # fmt: skip


def write(tmp_path: Path, *documents: dict[str, Any], name: str = "crds.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump_all(documents))
    return path


def test_schema_features(tmp_path: Path) -> None:
    spec = spec_from_crd_files([write(tmp_path, crd())])
    schemas = spec.schemas
    widget_spec = schemas["com.example.v1.WidgetSpec"]
    props = {p.wire_name: p for p in widget_spec.properties}
    assert props["size"].type == Primitive("string", "int-or-string") and props["size"].required
    assert not props["note"].required and "May be null." in props["note"].description
    assert (
        props["mode"].enum == ("Fast", "Slow") and 'Default: "Fast".' in props["mode"].description
    )
    assert props["extra"].type == AnyType() and props["extra"].extensions.preserve_unknown_fields
    assert props["template"].extensions.embedded_resource
    assert props["labels"].type == Map(Primitive("string"))
    assert props["ports"].type == Map(Ref("com.example.v1.WidgetSpecPortsValue"))
    assert props["source"].type == Ref("com.example.v1.WidgetSpecSource")
    assert "Constraint oneOf" in props["source"].description
    assert "com.example.v1.WidgetSpecRulesMatch" in schemas
    assert "Validation: `self.size > 0` (size must be positive)." in widget_spec.description
    resource = spec.group_version("example.com", "v1").resource("widgets")  # type: ignore[union-attr]
    assert resource is not None and resource.short_names == ("wd",) and resource.namespaced
    assert {s.name for s in resource.subresources} == {"scale", "status"}


def test_generated_package_imports_and_keeps_unknown_fields(tmp_path: Path) -> None:
    spec = spec_from_crd_files([write(tmp_path, crd())])
    files = render_crd_package(spec, "widgets_pkg_unit")
    assert not [p for p in files if p.startswith("models/meta_v1")]
    assert "kubetyped_kubernetes.models.autoscaling_v1:Scale" in files["clients/example_v1.py"]
    write_files(tmp_path / "out" / "widgets_pkg_unit", files)
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        models = importlib.import_module("widgets_pkg_unit.models.example_v1")
        raw = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
               "spec": {"size": "5", "note": None, "extra": {"any": [1]}, "unknownTop": 1}}  # fmt: skip
        widget = models.Widget.model_validate(raw)
        assert widget.spec.extra == {"any": [1]} and widget.metadata.name == "w"
        assert widget.spec.mode is None  # defaults are documentation only
        assert widget.to_dict()["spec"]["unknownTop"] == 1
        clients = importlib.import_module("widgets_pkg_unit.clients.example_v1")
        assert clients.WIDGETS.short_names == ("wd",)
    finally:
        sys.path.remove(str(tmp_path / "out"))


def test_cert_manager_names() -> None:
    spec = spec_from_crd_files([CRDS], GroupFilter(include=frozenset({"cert-manager.io"})))
    assert (
        spec.schemas["io.cert-manager.v1.CertificateSpecPrivateKey"].class_name
        == "CertificateSpecPrivateKey"
    )
    assert [g.name for g in spec.groups] == ["cert-manager.io"]
    plurals = [r.plural for r in spec.groups[0].versions[0].resources]
    assert plurals == ["certificaterequests", "certificates", "clusterissuers", "issuers"]
    algorithm = next(
        p
        for p in spec.schemas["io.cert-manager.v1.CertificateSpecPrivateKey"].properties
        if p.wire_name == "algorithm"
    )
    assert algorithm.enum == ("RSA", "ECDSA", "Ed25519")


def test_a_structure_shared_across_kinds_keeps_every_path_name() -> None:
    """Certificate's and Issuer's ``status.conditions`` are one structure, one class; each
    path's name is kept as an alias (it was ``StatusConditions``, a name that existed only
    while both kinds were in the run)."""
    spec = spec_from_crd_files([CRDS], GroupFilter(include=frozenset({"cert-manager.io"})))
    schemas = spec.schemas
    conditions = {}
    for kind in ("Certificate", "Issuer"):  # ClusterIssuer shares IssuerStatus
        status = schemas[f"io.cert-manager.v1.{kind}Status"]
        conditions[kind] = next(p for p in status.properties if p.wire_name == "conditions")
    assert conditions["Certificate"].type == conditions["Issuer"].type
    ref = conditions["Certificate"].type
    assert isinstance(ref, Array) and isinstance(ref.items, Ref)
    shared = schemas[ref.items.name]
    names = {shared.class_name, *shared.aliases}
    assert {"CertificateStatusConditions", "IssuerStatusConditions"} <= names
    assert "StatusConditions" not in names
    # Issuer and ClusterIssuer share their spec: both names exist
    issuer = schemas["io.cert-manager.v1.IssuerSpec"]
    assert issuer.class_name == "IssuerSpec" and "ClusterIssuerSpec" in issuer.aliases


def test_an_ambiguous_builtin_shape_is_not_reused() -> None:
    """CertificateRequest's conditions have exactly the fields of several apps/v1 conditions
    (DaemonSet, Deployment, ReplicaSet ...), no shared description and no name hint: they get
    their own class (they were typed ``apps_v1.DaemonSetCondition``)."""
    spec = spec_from_crd_files([CRDS], GroupFilter(include=frozenset({"cert-manager.io"})))
    status = spec.schemas["io.cert-manager.v1.CertificateRequestStatus"]
    conditions = next(p for p in status.properties if p.wire_name == "conditions")
    assert conditions.type == Array(Ref("io.cert-manager.v1.CertificateRequestStatusConditions"))
    # a documented match is still the built-in
    pod_template = spec.schemas[
        "io.cert-manager.v1.IssuerSpecAcmeSolversHttp01IngressPodTemplateSpec"
    ]
    affinity = next(p for p in pod_template.properties if p.wire_name == "affinity")
    assert affinity.type == Ref("io.k8s.api.core.v1.Affinity")


def test_shared_names_are_stable_when_a_field_is_added(tmp_path: Path) -> None:
    condition = {"type": "object", "properties": {"type": {"type": "string"}}}

    def kind(name: str, extra: dict[str, Any]) -> dict[str, Any]:
        status = {
            "type": "object",
            "properties": {"conditions": {"type": "array", "items": condition}},
        }
        return crd(name, {"type": "object", "properties": {"status": status, **extra}})

    names = {}
    for extra in ({}, {"spec": {"type": "object", "properties": {"new": {"type": "string"}}}}):
        path = write(tmp_path, kind("Alpha", extra), kind("Beta", {}), kind("Gamma", {}))
        schemas = spec_from_crd_files([path]).schemas.values()
        names[len(extra)] = {n for s in schemas for n in (s.class_name, *s.aliases)}
    assert {"AlphaStatusConditions", "BetaStatusConditions"} <= names[0]
    assert names[0] <= names[1]  # only the new class was added


def test_group_filter() -> None:
    spec = spec_from_crd_files([CRDS], GroupFilter(exclude=frozenset({"cert-manager.io"})))
    assert [g.name for g in spec.groups] == ["acme.cert-manager.io"]
    assert not GroupFilter().selects("apps") and GroupFilter(builtin=True).selects("apps")


def test_missing_schema_names_file_crd_and_path(tmp_path: Path) -> None:
    document = crd()
    del document["spec"]["versions"][0]["schema"]
    path = write(tmp_path, document)
    with pytest.raises(CrdError) as error:
        spec_from_crd_files([path])
    assert error.value.file == str(path) and error.value.crd == "widgets.example.com"
    assert error.value.path == "$.spec.versions[0].schema.openAPIV3Schema"
    assert str(path) in str(error.value)


def test_unresolvable_ref(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "other": {"$ref": "#/components/schemas/io.example.Missing"}}}}}  # fmt: skip
    path = write(tmp_path, crd(schema=schema))
    with pytest.raises(CrdError, match="unresolvable") as error:
        spec_from_crd_files([path])
    assert error.value.path == "$.spec.other" and error.value.crd == "widgets.example.com"


def test_duplicate_kinds(tmp_path: Path) -> None:
    first = write(tmp_path, crd(), name="a.yaml")
    second = crd()
    second["metadata"]["name"] = "widgets2.example.com"
    second["spec"]["names"]["plural"] = "widgets2"
    write(tmp_path, second, name="b.yaml")
    with pytest.raises(CrdError, match="duplicate kind Widget") as error:
        spec_from_crd_files([tmp_path])
    assert error.value.file == str(tmp_path / "b.yaml") and str(first) in str(error.value)


def test_multi_document_yaml_skips_other_kinds(tmp_path: Path) -> None:
    path = tmp_path / "bundle.yaml"
    path.write_text(textwrap.dedent("""\
        apiVersion: v1
        kind: Namespace
        metadata: {name: x}
        ---
        """) + yaml.safe_dump(crd(kind="Gadget")))  # fmt: skip
    spec = spec_from_crd_files([path])
    assert [r.kind for g in spec.groups for v in g.versions for r in v.resources] == ["Gadget"]
