"""Nested model validators are built when a value of the nested class is first validated
(``kubetyped.model.nested``), not all at once with the outer class (issue 14: the first
``model_validate`` of an argo Workflow built ~200 classes, most of core/v1, for ~30 used)."""

# mypy: disable-error-code="union-attr, index, operator"

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from pydantic import ValidationError, ValidationInfo, field_validator

from kubetyped_kubernetes.models.apiextensions_v1 import JSONSchemaProps
from kubetyped_kubernetes.models.core_v1 import Container, Pod, PodSpec


def _fresh(code: str) -> Any:
    """Runs ``code`` in a fresh interpreter (nothing built yet); its last line is JSON."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: Any = json.loads(done.stdout.splitlines()[-1])
    return result


_BUILT = """
import json
from kubetyped.model import KubeModel
from kubetyped_kubernetes.models import core_v1

def built():
    found, stack = set(), [KubeModel]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__dict__.get("__pydantic_complete__"):
                found.add(sub.__name__)
    return found

core_v1.Pod.model_validate({"metadata": {"name": "web"},
    "spec": {"containers": [{"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]}]}})
print(json.dumps(sorted(built())))
"""


def test_first_validation_builds_only_the_classes_the_data_uses() -> None:
    built = set(_fresh(_BUILT))
    assert {"Pod", "ObjectMeta", "PodSpec", "Container", "ContainerPort"} <= built
    # PodSpec can reach ~150 classes (volumes, affinity, probes ...): none of them is built
    assert not built & {"Volume", "Affinity", "Probe", "PodStatus", "SecurityContext"}
    assert len(built) <= 8, sorted(built)


def test_nested_errors_keep_their_location() -> None:
    document = {"spec": {"containers": [{"name": "app", "ports": [{"containerPort": "x"}]}]}}
    with pytest.raises(ValidationError) as caught:
        Pod.model_validate(document)
    (error,) = caught.value.errors()
    assert error["loc"] == ("spec", "containers", 0, "ports", 0, "containerPort")
    assert error["type"] == "int_parsing"


def test_json_input_and_instances_pass_through() -> None:
    container = Container(name="app", image="nginx")
    spec = PodSpec.model_validate({"containers": [container]})
    assert spec.containers[0] is container  # revalidate_instances="never", as before
    pod = Pod.model_validate_json(
        b'{"spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": "1"}]}]}}'
    )
    assert pod.spec.containers[0].env[0].value == "1"


def test_context_reaches_nested_validators() -> None:
    seen: list[object] = []

    class Traced(PodSpec):
        @field_validator("hostname")
        @classmethod
        def _trace(cls, value: str, info: ValidationInfo) -> str:
            seen.append(info.context)
            return value

    class Outer(Pod):
        spec: Traced | None = None

    Outer.model_validate({"spec": {"hostname": "h", "containers": []}}, context={"k": 1})
    assert seen == [{"k": 1}]


def test_dump_goes_through_each_nested_serializer() -> None:
    document = {
        "metadata": {"name": "web", "labels": {"a": "b"}},
        "spec": {"containers": [{"name": "app", "resources": {"limits": {"cpu": "100m"}}}]},
    }
    pod = Pod.model_validate(document)
    assert pod.model_dump(exclude_unset=True) == document
    assert json.loads(pod.model_dump_json(exclude_unset=True)) == document
    trusted = Pod.from_raw(document)  # nested classes maybe never built: still serialisable
    assert trusted.model_dump(exclude_unset=True) == document


def test_recursive_models_validate() -> None:
    schema = {"type": "object", "properties": {"a": {"properties": {"b": {"type": "string"}}}}}
    validated = JSONSchemaProps.model_validate(schema)
    assert validated.properties["a"].properties["b"].type == "string"
    with pytest.raises(ValidationError) as caught:
        JSONSchemaProps.model_validate({"properties": {"a": {"properties": {"b": {"type": 1}}}}})
    assert caught.value.errors()[0]["loc"][:5] == ("properties", "a", "properties", "b", "type")


def test_generated_models_inside_a_users_model_and_a_type_adapter() -> None:
    """pydantic builds these without `model_rebuild`: the references of generated modules
    (imported only for type checkers) are bound all the same (it was `class-not-fully-defined`)."""
    code = """
    import json
    from pydantic import BaseModel, TypeAdapter
    from kubetyped_kubernetes.models.core_v1 import Container, Pod

    class Wrapper(BaseModel):
        pod: Pod

    wrapped = Wrapper.model_validate({"pod": {"spec": {"containers": [{"name": "a"}]}}})
    containers = TypeAdapter(list[Container]).validate_python([{"name": "x", "env": [{"name": "A"}]}])
    print(json.dumps([wrapped.pod.spec.containers[0].name, containers[0].env[0].name]))
    """
    assert _fresh(code) == ["a", "A"]
