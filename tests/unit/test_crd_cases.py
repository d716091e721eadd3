"""CRDs the apiserver accepts that broke generation or the generated package (issue 14).

The inputs are copies of ``shared/cases/crd/`` (provenance line at the top of each file in
``tests/data/crds/cases/``). Each test generates a package with the CLI, as a user would, and
uses it: import, ``model_validate``, the trusted decode path, the clients.
"""

from __future__ import annotations

import importlib
import json
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from kubetyped import yamlio
from kubetyped_codegen.cli import main
from kubetyped_codegen.naming import python_attribute

CASES = Path(__file__).resolve().parents[1] / "data" / "crds" / "cases"


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path`` on sys.path; packages imported from it are forgotten afterwards."""
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in set(sys.modules) - before:
            if str(tmp_path) in str(getattr(sys.modules[name], "__file__", "") or ""):
                del sys.modules[name]


def generate(root: Path, *inputs: Path, extra: tuple[str, ...] = ()) -> tuple[str, Path]:
    package = f"case_{secrets.token_hex(4)}"
    out = root / package
    argv = ["generate", "--crd", *map(str, inputs), "--package", package, "--out", str(out)]
    assert main([*argv, *extra]) == 0
    return package, out


def models(package: str, module: str) -> ModuleType:
    return importlib.import_module(f"{package}.models.{module}")


def sample(case: str) -> dict[str, Any]:
    """The custom object the case file carries after its CRD."""
    documents = yamlio.load_all((CASES / case).read_bytes())
    found: dict[str, Any] = documents[-1]
    assert found["kind"] != "CustomResourceDefinition"
    return found


def crd(
    kind: str, schema: dict[str, Any], group: str = "zoo.example.com", version: str = "v1"
) -> dict[str, Any]:
    plural = kind.lower() + "s"
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"kind": kind, "plural": plural},
            "versions": [
                {
                    "name": version,
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", "properties": schema}},
                }
            ],
        },
    }


def write(path: Path, *documents: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump_all(documents))
    return path


def test_snake_collision_keeps_both_fields(importable: Path) -> None:
    package, _ = generate(importable, CASES / "snake-collision.yaml")
    zoo = models(package, "zoo_example_com_v1")
    wire = {"spec": {"mirrorPercent": 10, "mirror_percent": 20}}
    route = zoo.Route.model_validate(wire)
    assert (route.spec.mirror_percent_, route.spec.mirror_percent) == (10, 20)
    assert route.to_dict() == wire
    assert zoo.Route.from_raw(wire).spec.mirror_percent == 20
    built = zoo.RouteSpec(mirror_percent_=10, mirror_percent=20)  # by name: no ambiguity
    assert built.to_dict() == wire["spec"]


def test_digit_leading_property(importable: Path) -> None:
    package, _ = generate(importable, CASES / "digit-property.yaml")
    zoo = models(package, "zoo_example_com_v1")
    wire = sample("digit-property.yaml")
    probe = zoo.Probe.model_validate(wire)
    assert probe.spec.n2xx == 3
    assert probe.to_dict() == wire
    assert zoo.Probe.from_raw(wire).spec.n2xx == 3


def test_names_shadowing_model_methods_and_module_aliases(importable: Path) -> None:
    schema = {
        "rawView": {"type": "string"},
        "spec": {
            "type": "object",
            "properties": {
                "rawView": {"type": "string"},
                "zooV1": {"type": "string"},
                "zooExampleComV1": {"type": "string"},  # the module alias annotations use
                "register": {"type": "string"},
                "child": {"type": "object", "properties": {"a": {"type": "string"}}},
            },
        },
    }
    package, _ = generate(
        importable,
        CASES / "identifier-gaps.yaml",
        write(importable / "x.yaml", crd("Mask", schema)),
    )
    zoo = models(package, "zoo_example_com_v1")
    shadow = zoo.Shadow.model_validate(sample_shadow := {"spec": {"rawView": "r", "zooV1": "z"}})
    assert (shadow.spec.raw_view_, shadow.spec.zoo_v1) == ("r", "z")
    assert shadow.to_dict() == sample_shadow
    wire = {
        "rawView": "top",
        "spec": {"rawView": "r", "zooExampleComV1": "m", "register": "g", "child": {"a": "1"}},
    }
    mask = zoo.Mask.model_validate(wire)
    assert (mask.raw_view_, mask.spec.zoo_example_com_v1_, mask.spec.child.a) == ("top", "m", "1")
    assert mask.to_dict() == wire
    trusted = zoo.Mask.from_raw(wire)
    assert trusted.raw_view() == wire  # the method still works
    assert trusted.spec.raw_view_ == "r" and trusted.spec.register_ == "g"


def test_odd_kind_digit_property_and_raw_view(importable: Path) -> None:
    """``shared/cases/reliability/case_codegen_invalid_output.py``: kind ``My-Kind``, a property
    ``3scale``, a top-level ``rawView``: the package compiles, imports and works."""
    documents = [
        crd("My-Kind", {"spec": {"type": "object", "properties": {"3scale": {"type": "string"}}}}),
        crd("Widget", {"rawView": {"type": "string"}, "spec": {"type": "object"}}, "c.example.com"),
    ]
    package, out = generate(importable, write(importable / "odd.yaml", *documents))
    for path in out.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
    zoo = models(package, "zoo_example_com_v1")
    kind = zoo.My_Kind.model_validate({"spec": {"3scale": "x"}})
    assert kind.spec.n3scale == "x"
    listers = importlib.import_module(f"{package}.listers.zoo_example_com_v1")
    clients = importlib.import_module(f"{package}.clients.zoo_example_com_v1")
    assert listers.My_KindLister and clients.My_KindClient.resource.kind == "My-Kind"
    widget = models(package, "c_example_com_v1").Widget.from_raw({"rawView": "v", "spec": {}})
    assert widget.raw_view() == {"rawView": "v", "spec": {}}  # what caches and listers read
    assert widget.raw_view_ == "v"


def test_any_dns_label_version_name(importable: Path) -> None:
    package, out = generate(importable, CASES / "version-name.yaml")
    assert {p.name for p in (out / "models").iterdir() if p.is_dir()} == {
        "zoo_example_com_v1alpha",
        "zoo_example_com_v2",
    }
    for module in ("zoo_example_com_v1alpha", "zoo_example_com_v2"):
        assert models(package, module).Ver.model_validate({"spec": {"a": "b"}}).spec.a == "b"
    clientset = importlib.import_module(package).Clientset
    assert {"zoo_example_com_v1alpha", "zoo_example_com_v2"} <= set(dir(clientset))


def test_long_paths_give_bounded_file_names(importable: Path) -> None:
    names = [
        "preferredDuringSchedulingIgnoredDuringExecution", "podAffinityTerm", "namespaceSelector",
        "matchExpressions", "containerSetTemplates", "lifecycleHooksConfiguration",
        "postStartHttpGetConfiguration", "httpHeadersAdditionalValues",
    ]  # fmt: skip
    node: dict[str, Any] = {"type": "object", "properties": {"value": {"type": "string"}}}
    for name in reversed(names):  # shared/cases/crd/gen_deep_crd.py
        node = {"type": "object", "properties": {name: node, "x": {"type": "string"}}}
    deep = crd("ClusterWorkflowTemplate", {"spec": node}, "example.org", "v1alpha1")
    package, out = generate(
        importable, CASES / "long-path.yaml", write(importable / "deep.yaml", deep)
    )
    longest = max(len(p.name) for p in out.rglob("*.py"))
    assert longest <= 100
    wire: dict[str, Any] = {"value": "leaf"}
    for name in reversed(names):
        wire = {name: wire, "x": "y"}
    template = models(package, "example_v1alpha1").ClusterWorkflowTemplate
    assert template.model_validate({"spec": wire}).to_dict() == {"spec": wire}
    deepest: Any = template.from_raw({"spec": wire}).spec
    for name in names:
        deepest = getattr(deepest, python_attribute(name))
    assert deepest.value == "leaf"


def test_required_fields_with_a_default_are_optional(importable: Path) -> None:
    package, _ = generate(importable, CASES / "required-with-default.yaml")
    zoo = models(package, "zoo_example_com_v1")
    wire = sample("required-with-default.yaml")
    collector = zoo.Collector.model_validate(wire)
    assert collector.spec.management_state is None and collector.to_dict() == wire
    assert zoo.CollectorSpec(mode="sidecar").mode == "sidecar"
    assert 'Default: "managed"' in _docstring(zoo.CollectorSpec, "management_state")
    extra = zoo.CollectorSpec.model_fields["management_state"].json_schema_extra
    assert extra == {"default": "managed"}


def test_cel_rules_and_defaults_are_field_metadata(importable: Path) -> None:
    rules = [{"rule": "self.min <= self.max", "message": "min must not exceed max"}]
    schema = {
        "spec": {
            "type": "object",
            "properties": {
                "range": {
                    "type": "object",
                    "x-kubernetes-validations": rules,
                    "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}},
                },
                "enabled": {"type": "boolean", "default": False},
                "policy": {"type": "object", "default": {"mode": "auto", "limit": None}},
            },
        }
    }
    package, _ = generate(importable, write(importable / "r.yaml", crd("Ranger", schema)))
    fields = models(package, "zoo_example_com_v1").RangerSpec.model_fields
    assert fields["range"].json_schema_extra == {"x-kubernetes-validations": rules}
    assert fields["enabled"].json_schema_extra == {"default": False}
    assert fields["policy"].json_schema_extra == {"default": {"limit": None, "mode": "auto"}}
    assert "Validation: `self.min <= self.max` (min must not exceed max)." in _docstring(
        models(package, "zoo_example_com_v1").RangerSpec, "range"
    )


def _docstring(model: type, field: str) -> str:
    """The attribute docstring of ``field`` in the class source."""
    import inspect

    source = inspect.getsource(model)
    after = source.partition(f"    {field}:")[2]
    return after.partition('"""')[2].partition('"""')[0]


def test_group_module_names_do_not_depend_on_other_groups(importable: Path) -> None:
    other = write(
        importable / "other.yaml",
        crd("Gadget", {"spec": {"type": "object"}}, "gadget.networking.x-zoo.io"),
    )
    _, alone = generate(importable, CASES / "group-name-instability.yaml")
    _, both = generate(importable, CASES / "group-name-instability.yaml", other)
    assert (alone / "models" / "gadget_networking_zoo_io_v1").is_dir()
    assert (both / "models" / "gadget_networking_zoo_io_v1").is_dir()
    assert (both / "models" / "gadget_networking_x_zoo_io_v1").is_dir()


def test_extensions_group_models_match_clients(importable: Path) -> None:
    package, out = generate(importable, CASES / "extensions-group-cluster.yaml")
    clients = (out / "clients" / "extensions_zoo_example_com_v1.py").read_text()
    assert f"{package}.models import extensions_zoo_example_com_v1" in clients
    plugin = models(package, "extensions_zoo_example_com_v1").Plugin
    assert plugin.model_validate({"spec": {"url": "u"}}).spec.url == "u"


def test_list_files_and_nested_folders(importable: Path) -> None:
    nested = importable / "crds" / "zoo" / "v1"
    nested.mkdir(parents=True)
    (nested / "list.yaml").write_bytes((CASES / "crd-list.yaml").read_bytes())
    plain = crd("Gizmo", {"spec": {"type": "object"}})
    (importable / "crds" / "gizmo.yml").write_text(
        yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": []})
        + "---\n"
        + yaml.safe_dump(plain)
    )
    package, out = generate(importable, importable / "crds")
    kinds = {p.name for p in (out / "models" / "zoo_example_com_v1").glob("_[a-z]*.py")}
    assert {"_widget.py", "_gizmo.py"} <= kinds
    zoo = models(package, "zoo_example_com_v1")
    assert zoo.Widget.model_validate({"spec": {"a": "b"}}).spec.a == "b"


def test_yaml_read_as_kubernetes_reads_it(importable: Path) -> None:
    """``=`` in an enum list (PyYAML's safe loader refuses it), a timestamp-looking default that
    stays a string, anchors and merge keys."""
    text = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: matchers.zoo.example.com}
spec:
  group: zoo.example.com
  scope: Namespaced
  names: {kind: Matcher, plural: matchers}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              operator: {type: string, enum: [=, "!=", in]}
              since: {type: string, default: 2024-01-02}
              a: &text {type: string, maxLength: 3}
              b: {<<: *text, minLength: 1}
"""
    path = importable / "matchers.yaml"
    path.write_text(text)
    package, _ = generate(importable, path)
    spec = models(package, "zoo_example_com_v1").MatcherSpec
    assert 'Allowed values: "=", "!=", "in"' in _docstring(spec, "operator")
    assert 'Default: "2024-01-02"' in _docstring(spec, "since")
    assert spec.model_validate({"operator": "=", "b": "x"}).b == "x"


_SPEC = "$.spec.versions[0].schema.openAPIV3Schema.properties.spec"


@pytest.mark.parametrize(
    ("schema", "path", "message"),
    [
        ({"type": "object", "properties": ["a"]}, ".properties", "an object of schemas"),
        ({"type": ["object"]}, ".type", "type must be a string"),
        ({"type": "array", "items": "x"}, ".items", "a schema or a list of schemas"),
        (
            {"type": "object", "required": "a", "properties": {"a": {"type": "string"}}},
            ".required",
            "a list of strings",
        ),
        ({"type": "object", "allOf": {"a": 1}}, ".allOf", "a list of schemas"),
        ({"type": "object", "allOf": ["x"]}, ".allOf[0]", "must be an object"),
        (
            {"type": "object", "allOf": [{"properties": "x"}]},
            ".allOf[0].properties",
            "an object of schemas",
        ),
        ({"type": "object", "allOf": [{"required": "a"}]}, ".allOf[0].required", "strings"),
        (
            {"type": "object", "properties": "x", "allOf": [{"properties": {}}]},
            ".properties",
            "an object of schemas",
        ),
    ],
)
def test_wrong_typed_schema_nodes_are_typed_errors(
    importable: Path,
    capsys: pytest.CaptureFixture[str],
    schema: dict[str, Any],
    path: str,
    message: str,
) -> None:
    source = write(importable / "bad.yaml", crd("Bad", {"spec": schema}))
    out = importable / "badpkg"
    argv = ["generate", "--crd", str(source), "--package", "badpkg", "--out", str(out)]
    assert main(argv) == 2
    error = capsys.readouterr().err
    where = f"bad.yaml: bads.zoo.example.com: version v1: {_SPEC}{path}: "
    assert where in error and message in error
    assert "Traceback" not in error and not out.exists()


def test_deep_schema_is_a_typed_error(importable: Path, capsys: pytest.CaptureFixture[str]) -> None:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(400):
        node = {"type": "object", "properties": {"n": node}}
    source = importable / "deep.json"
    source.write_text(json.dumps(crd("Deep", {"spec": node})))
    out = importable / "deeppkg"
    assert main(["generate", "--crd", str(source), "--package", "deeppkg", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "deeps.zoo.example.com: version v1: $.spec.n.n" in error and "deeper than" in error
    assert not out.exists()


def test_crd_file_order_does_not_change_the_output(importable: Path) -> None:
    crds = sorted(
        (Path(__file__).resolve().parents[1] / "data" / "crds" / "cert-manager").glob("*.yaml")
    )
    _, forward = generate(importable, *crds)
    _, backward = generate(importable, *reversed(crds))
    assert _tree(forward) == _tree(backward)


def test_adding_a_field_renames_no_class(importable: Path) -> None:
    nested = {"type": "object", "properties": {"size": {"type": "integer"}}}
    spec = {
        "type": "object",
        "properties": {"limits": nested, "requests": nested, "zeta": {"type": "object",
                       "properties": {"z": {"type": "string"}}}},
    }  # fmt: skip
    before = crd("Box", {"spec": spec})
    _, first = generate(importable, write(importable / "a.yaml", before))
    spec["properties"]["alpha"] = {"type": "object", "properties": {"z": {"type": "integer"}}}
    spec["properties"]["extra"] = {"type": "object", "properties": {"size": {"type": "string"}}}
    _, second = generate(importable, write(importable / "b.yaml", before))
    old = {p.name for p in (first / "models" / "zoo_example_com_v1").glob("_[a-z]*.py")}
    new = {p.name for p in (second / "models" / "zoo_example_com_v1").glob("_[a-z]*.py")}
    assert old <= new and len(new) == len(old) + 2
    # limits and requests share one class
    assert "_box_spec_requests.py" not in old and "_box_spec_limits.py" in old


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes().replace(root.name.encode(), b"PKG")
        for p in sorted(root.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def test_builtin_types_are_reused(importable: Path) -> None:
    """A CRD embedding core/v1 types the way controller-gen writes them (descriptions copied
    from the Go doc comments, ``x-kubernetes-*`` markers, quantities as int-or-string)."""
    builtin = _builtin_descriptions()
    quantity = {
        "anyOf": [{"type": "integer"}, {"type": "string"}],
        "pattern": r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$",
        "x-kubernetes-int-or-string": True,
    }  # fmt: skip
    selector = {
        "type": "object",
        "x-kubernetes-map-type": "atomic",
        "properties": {
            "matchLabels": {"type": "object", "additionalProperties": {"type": "string"},
                            "description": builtin["LabelSelector.matchLabels"]},
            "matchExpressions": {"type": "array", "x-kubernetes-list-type": "atomic",
                                 "description": builtin["LabelSelector.matchExpressions"],
                                 "items": {"type": "object", "required": ["key", "operator"],
                                           "properties": {"key": {"type": "string"},
                                                          "operator": {"type": "string"},
                                                          "values": {"type": "array",
                                                                     "items": {"type": "string"}}}}},
        },
    }  # fmt: skip
    resources = {
        "type": "object",
        "properties": {
            "limits": {"type": "object", "additionalProperties": quantity,
                       "description": builtin["ResourceRequirements.limits"]},
            "requests": {"type": "object", "additionalProperties": quantity,
                         "description": builtin["ResourceRequirements.requests"]},
        },
    }  # fmt: skip
    own = {"type": "object", "properties": {"limits": {"type": "object", "additionalProperties": quantity}, "note": {"type": "string"}}}  # fmt: skip
    schema = {
        "spec": {
            "type": "object",
            "properties": {
                "selector": selector,
                "resources": resources,
                "budget": own,  # not a built-in type: a class of its own
                "since": {"type": "string", "format": "date-time"},
            },
        }
    }
    package, out = generate(importable, write(importable / "b.yaml", crd("Pool", schema)))
    text = (out / "models" / "zoo_example_com_v1" / "_pool_spec.py").read_text()
    assert "selector: meta_v1.LabelSelector | None" in text
    assert "resources: core_v1.ResourceRequirements | None" in text
    assert "since: Time | None" in text
    zoo = models(package, "zoo_example_com_v1")
    wire = {
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "resources": {"limits": {"cpu": "500m"}},
            "budget": {"limits": {"memory": "1Gi"}},
            "since": "2024-01-02T03:04:05Z",
        }
    }
    pool = zoo.Pool.model_validate(wire)
    assert pool.spec.resources.limits["cpu"] == "0.5"  # Quantity compares by value
    assert pool.to_dict() == wire
    assert {p.name for p in (out / "models" / "zoo_example_com_v1").glob("_[a-z]*.py")} == {
        "_pool.py", "_pool_list.py", "_pool_spec.py", "_pool_spec_budget.py"
    }  # fmt: skip


def _builtin_descriptions() -> dict[str, str]:
    from kubetyped_codegen.layout import read_snapshot

    files = read_snapshot(
        Path(__file__).resolve().parents[2] / "openapi" / "kubetyped_openapi" / "1.36.tar.xz"
    )
    schemas = json.loads(files["openapi-v3/api__v1.json"])["components"]["schemas"]
    found = {}
    for name in ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
                 "io.k8s.api.core.v1.ResourceRequirements"):  # fmt: skip
        for wire, prop in schemas[name]["properties"].items():
            found[f"{name.rpartition('.')[2]}.{wire}"] = str(prop.get("description", ""))
    return found
