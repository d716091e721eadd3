"""Field naming, special field types, identity operations and lazy imports of generated models."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import textwrap
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from kubetyped_kubernetes.models.apiextensions_v1 import (
    CustomResourceDefinition,
    JSONSchemaProps,
)
from kubetyped_kubernetes.models.apps_v1 import ControllerRevision
from kubetyped_kubernetes.models.core_v1 import ConfigMap, Container, Secret
from kubetyped_kubernetes.models.meta_v1 import ListMeta
from kubetyped_kubernetes.models.networking_v1 import NetworkPolicyIngressRule

# ---- names --------------------------------------------------------------------------------------


def test_snake_case_attributes_with_wire_aliases() -> None:
    by_python = Container(name="c", image_pull_policy="Always", termination_message_path="/t")
    by_wire = Container.model_validate(
        {"name": "c", "imagePullPolicy": "Always", "terminationMessagePath": "/t"}
    )
    by_wire_kwargs = Container(
        **{"name": "c", "imagePullPolicy": "Always", "terminationMessagePath": "/t"}
    )
    assert by_python == by_wire == by_wire_kwargs
    expected = {"name": "c", "imagePullPolicy": "Always", "terminationMessagePath": "/t"}
    assert by_python.to_dict() == expected
    assert by_python.image_pull_policy == "Always"
    assert by_python.model_dump(by_alias=False, exclude_unset=True) == {
        "name": "c",
        "image_pull_policy": "Always",
        "termination_message_path": "/t",
    }


def test_python_keyword_fields_use_a_trailing_underscore() -> None:
    by_python = ListMeta(continue_="token", resource_version="7")
    by_wire = ListMeta.model_validate({"continue": "token", "resourceVersion": "7"})
    assert by_python == by_wire
    assert by_python.to_dict() == {"continue": "token", "resourceVersion": "7"}
    lazy = ListMeta.from_json(b'{"continue":"token"}')
    assert lazy.continue_ == "token"
    assert lazy.to_dict() == {"continue": "token"}


def test_from_and_not_keyword_fields() -> None:
    rule = NetworkPolicyIngressRule.model_validate({"from": [{"podSelector": {}}]})
    assert rule.from_ is not None and len(rule.from_) == 1
    assert NetworkPolicyIngressRule(from_=[{"podSelector": {}}]).to_dict() == {
        "from": [{"podSelector": {}}]
    }
    props = JSONSchemaProps(not_=JSONSchemaProps(type="string"), ref="#/a", schema_="s")
    assert props.to_dict() == {"not": {"type": "string"}, "$ref": "#/a", "$schema": "s"}


def test_wrong_types_are_rejected_with_the_field_named() -> None:
    with pytest.raises(ValidationError) as caught:
        Container(name="c", ports=[{"containerPort": "not-a-number"}])
    assert "ports.0.containerPort" in str(caught.value)
    with pytest.raises(ValidationError, match="name"):
        Container(image="nginx")  # type: ignore[call-arg]  # name is required


# ---- byte, RawExtension, free-form --------------------------------------------------------------


def test_byte_fields_stay_base64_strings() -> None:
    data = {"data": {"key": "aGVsbG8gd29ybGQ="}, "type": "Opaque"}
    for secret in (Secret.model_validate(data), Secret.from_json(orjson.dumps(data))):
        assert secret.data == {"key": "aGVsbG8gd29ybGQ="}
        assert isinstance(secret.data["key"], str)
        assert secret.to_dict() == data
    binary = ConfigMap.model_validate({"binaryData": {"blob": "AAEC"}})
    assert binary.binary_data == {"blob": "AAEC"}


def test_raw_extension_is_a_plain_dict() -> None:
    payload = {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 2}, "x": [1]}
    data = {"metadata": {"name": "r"}, "revision": 3, "data": payload}
    for revision in (
        ControllerRevision.model_validate(data),
        ControllerRevision.from_json(orjson.dumps(data)),
    ):
        assert type(revision.data) is dict
        assert revision.data == payload
        assert revision.to_dict() == data


CRD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["replicas"],
            "properties": {
                "replicas": {"type": "integer", "minimum": 1, "maximum": 10},
                "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}},
                "port": {"x-kubernetes-int-or-string": True},
                "template": {
                    "type": "object",
                    "x-kubernetes-preserve-unknown-fields": True,
                    "not": {"required": ["forbidden"]},
                    "properties": {
                        "inner": {
                            "type": "object",
                            "properties": {"deep": {"type": "boolean", "default": False}},
                        }
                    },
                },
            },
            "x-kubernetes-validations": [{"rule": "self.replicas >= 1", "message": "at least one"}],
        },
        "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
    },
}


def test_json_schema_props_is_recursive() -> None:
    props = JSONSchemaProps.model_validate(CRD_SCHEMA)
    spec = props.properties["spec"]
    assert isinstance(spec, JSONSchemaProps)
    template = spec.properties["template"]
    assert isinstance(template, JSONSchemaProps)
    assert isinstance(template.not_, JSONSchemaProps)
    assert template.not_.required == ["forbidden"]
    deep = template.properties["inner"].properties["deep"]
    assert isinstance(deep, JSONSchemaProps)
    assert deep.type == "boolean"
    assert deep.default is False
    assert template.x_kubernetes_preserve_unknown_fields is True
    assert spec.x_kubernetes_validations[0].rule == "self.replicas >= 1"
    assert spec.properties["port"].x_kubernetes_int_or_string is True
    assert props.to_dict() == CRD_SCHEMA


def test_json_schema_props_validation_reaches_deep_levels() -> None:
    bad = copy.deepcopy(CRD_SCHEMA)
    bad["properties"]["spec"]["properties"]["template"]["properties"]["inner"]["properties"][
        "deep"
    ]["maxLength"] = "long"
    with pytest.raises(ValidationError, match="maxLength"):
        JSONSchemaProps.model_validate(bad)


def test_custom_resource_definition_with_nested_schema_round_trips() -> None:
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
            "scope": "Namespaced",
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": CRD_SCHEMA},
                    "subresources": {"status": {}},
                }
            ],
        },
    }
    validated = CustomResourceDefinition.model_validate(crd)
    assert validated.to_dict() == crd
    schema = validated.spec.versions[0].schema_.open_api_v3_schema
    assert schema.properties["spec"].properties["replicas"].maximum == 10
    lazy = CustomResourceDefinition.from_json(orjson.dumps(crd))
    assert lazy.spec.versions[0].schema_.open_api_v3_schema == schema
    assert lazy.to_dict() == crd


# ---- equality, copies, pickling -----------------------------------------------------------------

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "labels": {"a": "b"}, "creationTimestamp": "2024-01-01T00:00:00Z"},
    "spec": {"containers": [{"name": "c", "image": "nginx", "futureField": {"x": 1}}]},
    "futureTop": [1, 2],
}


def _lazy_pod() -> Any:
    from kubetyped_kubernetes.models.core_v1 import Pod

    return Pod.from_json(orjson.dumps(POD))


def _validated_pod() -> Any:
    from kubetyped_kubernetes.models.core_v1 import Pod

    return Pod.model_validate(copy.deepcopy(POD))


def test_equality_across_paths_and_after_changes() -> None:
    lazy, valid = _lazy_pod(), _validated_pod()
    assert lazy == valid
    assert lazy == _lazy_pod()
    lazy.spec.containers[0].image = "other"
    assert lazy != valid
    assert lazy != POD  # a model never equals a dict
    with pytest.raises(TypeError):
        hash(valid)


def test_equality_needs_the_same_model_class() -> None:
    from kubetyped_kubernetes.models.core_v1 import Pod, PodTemplate

    assert Pod.model_validate({"metadata": {"name": "x"}}) != PodTemplate.model_validate(
        {"metadata": {"name": "x"}}
    )


@pytest.mark.parametrize("make", [_lazy_pod, _validated_pod], ids=["lazy", "validated"])
def test_deepcopy_is_independent(make: Any) -> None:
    original = make()
    clone = copy.deepcopy(original)
    assert clone == original
    clone.spec.containers[0].image = "changed"
    clone.metadata.labels["a"] = "changed"
    assert original.to_dict() == POD
    assert clone.to_dict()["spec"]["containers"][0]["image"] == "changed"


@pytest.mark.parametrize("make", [_lazy_pod, _validated_pod], ids=["lazy", "validated"])
def test_shallow_copy_equals_and_round_trips(make: Any) -> None:
    original = make()
    clone = copy.copy(original)
    assert clone == original
    assert clone.to_dict() == POD
    clone.metadata = None
    assert original.to_dict() == POD


@pytest.mark.parametrize("make", [_lazy_pod, _validated_pod], ids=["lazy", "validated"])
def test_pickle_round_trip(make: Any) -> None:
    original = make()
    restored = pickle.loads(pickle.dumps(original))
    assert restored == original
    assert restored.to_dict() == POD
    assert restored.spec.containers[0].model_extra == {"futureField": {"x": 1}}


def test_model_copy_with_update() -> None:
    lazy = _lazy_pod()
    clone = lazy.model_copy(deep=True)
    clone.metadata.name = "q"
    assert lazy.metadata.name == "p"
    assert clone.to_dict()["metadata"]["name"] == "q"


def test_model_dump_of_lazy_equals_validated() -> None:
    assert _lazy_pod().model_dump() == _validated_pod().model_dump()
    assert _lazy_pod().model_dump(mode="json", by_alias=True, exclude_unset=True) == POD
    assert orjson.loads(_lazy_pod().model_dump_json(by_alias=True, exclude_unset=True)) == POD


def test_repr_of_a_lazy_object_shows_its_fields() -> None:
    text = repr(_lazy_pod())
    assert "name='p'" in text


def test_from_json_rejects_non_objects() -> None:
    from kubetyped_kubernetes.models.core_v1 import Pod

    with pytest.raises(ValueError, match="expected a JSON object"):
        Pod.from_json(b"[1, 2]")


# ---- lazy imports -------------------------------------------------------------------------------


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_pod_does_not_import_its_dependencies() -> None:
    out = _run(
        """
        import sys
        import kubetyped_kubernetes
        from kubetyped_kubernetes.models.core_v1 import Pod
        loaded = set(sys.modules)
        print("pod" if "kubetyped_kubernetes.models.core_v1._pod" in loaded else "no-pod")
        print("spec" if "kubetyped_kubernetes.models.core_v1._pod_spec" in loaded else "no-spec")
        print("meta" if "kubetyped_kubernetes.models.meta_v1" in loaded else "no-meta")
        print("apps" if "kubetyped_kubernetes.models.apps_v1" in loaded else "no-apps")
        print("clients" if "kubetyped_kubernetes.clients" in loaded else "no-clients")
        Pod.from_json(b'{"spec": {"containers": []}}').spec
        print("spec" if "kubetyped_kubernetes.models.core_v1._pod_spec" in sys.modules else "no-spec")
        print("apps" if "kubetyped_kubernetes.models.apps_v1" in sys.modules else "no-apps")
        """
    )
    assert out.split() == ["pod", "no-spec", "no-meta", "no-apps", "no-clients", "spec", "no-apps"]


def test_importing_the_generated_package_is_cheap() -> None:
    out = _run(
        """
        import sys
        import kubetyped_kubernetes
        print(sum(1 for m in sys.modules if m.startswith("kubetyped_kubernetes.")))
        """
    )
    assert int(out) == 0
