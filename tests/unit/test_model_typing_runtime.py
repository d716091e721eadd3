"""What the typed field declarations mean at run time: wire names, open enums, strict
construction, unknown attributes, apply configurations and the repr of set fields."""

# mypy: disable-error-code="union-attr, index, attr-defined, call-arg, arg-type, assignment"
# (some lines do on purpose what type checkers reject: the run-time half of the same rules)

from __future__ import annotations

import orjson
import pytest
from pydantic import ValidationError

from kubetyped.model import strict_construction
from kubetyped_kubernetes.models.apps_v1 import (
    Deployment,
    DeploymentApplyConfiguration,
    DeploymentList,
)
from kubetyped_kubernetes.models.authentication_v1 import TokenRequest, TokenReview, TokenReviewSpec
from kubetyped_kubernetes.models.core_v1 import Container, ContainerPort, Pod, PodSpec, Secret
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "prod", "uid": "u-1"},
    "spec": {
        "containers": [
            {
                "name": "app",
                "image": "nginx",
                # a value a newer server may send: not in this model's enum
                "imagePullPolicy": "IfNotPresentOrNewer",
                "ports": [{"containerPort": 80, "protocol": "QUIC"}],
            }
        ],
        "restartPolicy": "Always",
    },
    "status": {"phase": "Hibernating"},
}


# ---- wire names in, wire names out ------------------------------------------------------


def test_constructor_keywords_are_python_names_and_validation_takes_wire_names() -> None:
    by_keyword = ContainerPort(container_port=80, host_ip="10.0.0.1")
    by_wire = ContainerPort.model_validate({"containerPort": 80, "hostIP": "10.0.0.1"})
    assert by_keyword == by_wire
    assert by_keyword.to_json() == b'{"containerPort":80,"hostIP":"10.0.0.1"}'
    assert by_keyword.model_dump(exclude_unset=True) == {"containerPort": 80, "hostIP": "10.0.0.1"}
    assert ContainerPort.model_fields["host_ip"].is_required() is False
    assert ContainerPort.model_fields["container_port"].is_required() is True


# ---- enums: Literal for checkers, open at run time ----------------------------------------


def test_unknown_enum_values_decode_on_the_trusted_path_and_round_trip() -> None:
    data = orjson.dumps(POD)
    pod = Pod.from_json(data)
    assert pod.to_json() == data  # not read: the bytes as they came
    container = pod.spec.containers[0]
    assert container.image_pull_policy == "IfNotPresentOrNewer"
    assert container.ports[0].protocol == "QUIC"
    assert pod.status.phase == "Hibernating"
    assert orjson.loads(pod.to_json()) == POD  # read: the same JSON
    listed = DeploymentList.from_json(
        b'{"items":[{"spec":{"strategy":{"type":"Surge"}}}],"metadata":{}}'
    )
    assert listed.items[0].spec.strategy.type == "Surge"
    assert orjson.loads(listed.to_json())["items"][0]["spec"]["strategy"]["type"] == "Surge"


def test_validation_keeps_unknown_enum_values_unless_strict() -> None:
    pod = Pod.model_validate(POD)
    assert pod.spec.containers[0].image_pull_policy == "IfNotPresentOrNewer"
    assert pod.to_dict() == POD
    assert Container(name="a", image_pull_policy="Always").image_pull_policy == "Always"
    with pytest.raises(ValidationError) as caught:
        Container(name="a", image_pull_policy=3)  # still a string
    assert caught.value.errors()[0]["type"] == "string_type"


def test_strict_construction_rejects_unknown_enum_values() -> None:
    with strict_construction(), pytest.raises(ValidationError) as caught:
        Pod.model_validate(POD)
    errors = {(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()}
    assert ("spec.containers.0.imagePullPolicy", "unknown_enum_value") in errors
    assert ("spec.containers.0.ports.0.protocol", "unknown_enum_value") in errors
    assert ("status.phase", "unknown_enum_value") in errors
    assert "'IfNotPresentOrNewer' is not one of 'Always', 'IfNotPresent', 'Never'" in str(
        caught.value
    )
    with strict_construction():
        assert Container(name="a", image_pull_policy="Never").image_pull_policy == "Never"


# ---- strict construction: unknown fields ----------------------------------------------------


def test_unknown_fields_are_kept_by_default() -> None:
    container = Container(name="a", imagee="nginx")
    assert container.to_dict() == {"name": "a", "imagee": "nginx"}  # sent as written


def test_strict_construction_rejects_unknown_fields_where_they_are() -> None:
    with strict_construction(), pytest.raises(ValidationError) as caught:
        Container(name="a", imagee="nginx")
    assert "Container has no field 'imagee'; did you mean 'image'?" in str(caught.value)
    manifest = {
        "metadata": {"name": "api", "lables": {"a": "b"}},
        "spec": {"template": {"spec": {"containers": [{"name": "a", "imagePullPolicyy": "x"}]}}},
    }
    with strict_construction(), pytest.raises(ValidationError) as caught:
        Deployment.model_validate(manifest)
    by_location = {".".join(map(str, e["loc"])): e for e in caught.value.errors()}
    assert by_location["metadata"]["type"] == "unknown_field"
    assert "did you mean 'labels'" in by_location["metadata"]["msg"]
    assert "spec.template.spec.containers.0" in by_location
    assert "imagePullPolicy" in by_location["spec.template.spec.containers.0"]["msg"]


def test_strict_construction_is_scoped_and_never_touches_server_objects() -> None:
    with strict_construction():
        pod = Pod.from_json(orjson.dumps({**POD, "newField": {"x": 1}}))
        assert pod.spec.containers[0].image_pull_policy == "IfNotPresentOrNewer"
        assert pod.to_dict()["newField"] == {"x": 1}
        with strict_construction(False):
            Container(name="a", imagee="x")  # turned off for an inner block
    Container(name="a", imagee="x")  # off again after the block


# ---- attributes -----------------------------------------------------------------------------


def test_setting_an_unknown_attribute_raises() -> None:
    container = Container(name="a")
    with pytest.raises(AttributeError, match="Container has no attribute 'imagee'; did you mean"):
        container.imagee = "nginx"
    with pytest.raises(AttributeError, match="the field is 'image_pull_policy'"):
        container.imagePullPolicy = "Always"  # a wire name
    lazy = Pod.from_json(orjson.dumps(POD))
    with pytest.raises(AttributeError):
        lazy.specc = PodSpec(containers=[])
    container.image = "nginx"  # declared fields still work
    assert container.to_dict() == {"name": "a", "image": "nginx"}


def test_unknown_fields_from_the_input_can_still_be_set() -> None:
    pod = Pod.from_json(b'{"metadata":{"name":"a"},"newField":1}')
    pod.newField = 2  # it is part of the object (a newer server's field)
    assert pod.to_dict() == {"metadata": {"name": "a"}, "newField": 2}


# ---- apply configurations --------------------------------------------------------------------


def test_apply_configurations_are_plain_dicts_at_run_time() -> None:
    partial = DeploymentApplyConfiguration(metadata={"name": "api"}, spec={"replicas": 2})
    assert type(partial) is dict
    assert partial == {"metadata": {"name": "api"}, "spec": {"replicas": 2}}


# ---- repr ----------------------------------------------------------------------------------


def test_repr_shows_the_set_fields_only() -> None:
    built = Deployment(metadata=ObjectMeta(name="api", namespace="web"))
    assert repr(built) == "Deployment(metadata=ObjectMeta(name='api', namespace='web'))"
    pod = Pod.from_json(orjson.dumps(POD))
    text = repr(pod)
    assert "None" not in text
    assert text.startswith("Pod(api_version='v1', kind='Pod', metadata=ObjectMeta(name='web'")
    assert "image_pull_policy='IfNotPresentOrNewer'" in text
    assert len(text) < 600  # was ~4 KB of `None`s for a small Pod
    container = Container(name="a", imagee="x")
    assert repr(container) == "Container(name='a', imagee='x')"  # unknown fields are shown
    container.image = "nginx"
    assert repr(container) == "Container(image='nginx', name='a', imagee='x')"


def test_repr_of_a_secret_shows_its_keys_not_its_values() -> None:
    secret = Secret(
        metadata=ObjectMeta(name="db"), data={"password": "aHVudGVyMg=="}, string_data={"t": "s3"}
    )
    text = repr(secret)
    assert "aHVudGVyMg==" not in text and "s3" not in text
    assert "data={'password': '<redacted>'}" in text and "string_data={'t': '<redacted>'}" in text
    lazy = Secret.from_json(b'{"kind":"Secret","data":{"token":"c2VjcmV0"}}')
    assert "c2VjcmV0" not in repr(lazy) and "token" in repr(lazy)
    assert lazy.data == {"token": "c2VjcmV0"}  # only the repr is redacted


def test_enum_values_come_from_enum_or_the_description_of_swagger_documents() -> None:
    from kubetyped_codegen.schemas import string_enum

    assert string_enum({"type": "string", "enum": ["Always", "Never"]}) == ("Always", "Never")
    described = 'Policy.\n\nPossible enum values:\n - `"Always"` always.\n - `"If\\"Q"` quoted.'
    assert string_enum({"type": "string", "description": described}) == ("Always", 'If"Q')
    assert string_enum({"type": "integer", "enum": [1, 2]}) == ()  # only strings are Literals
    assert string_enum({"type": "string", "enum": ["a", 1]}) == ()
    assert string_enum({"type": "string", "format": "int-or-string", "enum": ["a"]}) == ()


def test_repr_of_token_request_and_review_hides_the_token() -> None:
    """Found by the newcomer review: `repr`/`str` of a TokenRequest printed the issued token."""
    token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln"
    issued = TokenRequest.from_json(
        b'{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest",'
        b'"spec":{"audiences":["x"]},"status":{"token":"' + token.encode() + b'",'
        b'"expirationTimestamp":"2026-11-30T10:00:00Z"}}'
    )
    review = TokenReview(spec=TokenReviewSpec(token=token))
    for text in (repr(issued), str(issued), repr(review), str(review), repr(review.spec)):
        assert token not in text
        assert "token='<redacted>'" in text
    assert issued.status is not None and issued.status.token == token  # only the repr hides it
    assert review.to_dict()["spec"]["token"] == token
