"""Round trips of realistic Pod and Deployment JSON through both model paths.

`from_json` (trusted, lazy) and `model_validate` (validated) must both give back exactly the
JSON they were given: no injected nulls or defaults, unknown fields kept, after reading every
field and after changing one.
"""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubetyped.model import KubeModel
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.core_v1 import Pod

Json = dict[str, Any]


def _container(name: str, image: str, probe_port: int | str) -> Json:
    return {
        "name": name,
        "image": image,
        "args": ["--port=8080", "--verbose"],
        "env": [
            {"name": "MODE", "value": "prod"},
            {
                "name": "POD_IP",
                "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}},
            },
        ],
        "ports": [
            {"containerPort": 8080, "name": "http", "protocol": "TCP"},
            {"containerPort": 9090, "protocol": "TCP"},
        ],
        "livenessProbe": {
            "httpGet": {"path": "/healthz", "port": probe_port, "scheme": "HTTP"},
            "initialDelaySeconds": 3,
            "periodSeconds": 10,
        },
        "readinessProbe": {"tcpSocket": {"port": "http"}, "timeoutSeconds": 1},
        "resources": {
            "limits": {"cpu": "500m", "memory": "1Gi"},
            "requests": {"cpu": "0.25", "memory": "256Mi", "ephemeral-storage": "2G"},
        },
        "volumeMounts": [
            {"mountPath": "/etc/config", "name": "config", "readOnly": True},
            {"mountPath": "/data", "name": "data", "subPath": "app"},
        ],
        "imagePullPolicy": "IfNotPresent",
        "terminationMessagePath": "/dev/termination-log",
    }


def _metadata(name: str) -> Json:
    return {
        "name": name,
        "namespace": "prod",
        "uid": "0b9f1c5e-3f7a-4d0e-9a59-1f0e6c1d2a3b",
        "resourceVersion": "123456",
        "generation": 2,
        "creationTimestamp": "2024-05-01T10:20:30Z",
        "labels": {"app": "web", "tier": "frontend"},
        "annotations": {"example.com/note": 'a "quoted" value'},
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web-6d4cf56db6",
                "uid": "5e0f9a3c-1111-2222-3333-444455556666",
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
        "managedFields": [
            {
                "manager": "kube-controller-manager",
                "operation": "Update",
                "apiVersion": "v1",
                "time": "2024-05-01T10:20:30Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}},
            },
            {
                "manager": "kubelet",
                "operation": "Update",
                "apiVersion": "v1",
                "time": "2024-05-01T10:20:35Z",
                "fieldsType": "FieldsV1",
                "fieldsV1": {"f:status": {"f:conditions": {}}},
                "subresource": "status",
            },
        ],
    }


def _pod_spec() -> Json:
    return {
        "containers": [
            _container("app", "registry.example.com/app:1.2.3", 8080),
            _container("sidecar", "registry.example.com/sidecar:0.9", "http"),
        ],
        "volumes": [
            {"name": "config", "configMap": {"name": "web-config", "defaultMode": 420}},
            {"name": "data", "emptyDir": {"sizeLimit": "1Gi"}},
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [
            {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}
        ],
    }


def realistic_pod() -> Json:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": _metadata("web-6d4cf56db6-abcde"),
        "spec": {**_pod_spec(), "nodeName": "node-1", "serviceAccountName": "default"},
        "status": {
            "phase": "Running",
            "podIP": "10.0.0.12",
            "podIPs": [{"ip": "10.0.0.12"}],
            "hostIP": "192.168.1.5",
            "qosClass": "Burstable",
            "startTime": "2024-05-01T10:20:31Z",
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True",
                    "lastProbeTime": None,
                    "lastTransitionTime": "2024-05-01T10:20:40Z",
                },
                {
                    "type": "PodScheduled",
                    "status": "True",
                    "lastTransitionTime": "2024-05-01T10:20:30Z",
                },
            ],
            "containerStatuses": [
                {
                    "name": "app",
                    "image": "registry.example.com/app:1.2.3",
                    "imageID": "registry.example.com/app@sha256:abcdef",
                    "containerID": "containerd://0123456789",
                    "ready": True,
                    "started": True,
                    "restartCount": 1,
                    "state": {"running": {"startedAt": "2024-05-01T10:20:33Z"}},
                    "lastState": {
                        "terminated": {
                            "exitCode": 137,
                            "reason": "OOMKilled",
                            "startedAt": "2024-05-01T10:20:31Z",
                            "finishedAt": "2024-05-01T10:20:32Z",
                        }
                    },
                    "allocatedResources": {"cpu": "250m", "memory": "256Mi"},
                },
                {
                    "name": "sidecar",
                    "image": "registry.example.com/sidecar:0.9",
                    "imageID": "registry.example.com/sidecar@sha256:123456",
                    "ready": False,
                    "restartCount": 0,
                    "state": {"waiting": {"reason": "ContainerCreating"}},
                },
            ],
        },
    }


def realistic_deployment() -> Json:
    metadata = _metadata("web")
    del metadata["ownerReferences"]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "replicas": 3,
            "revisionHistoryLimit": 10,
            "selector": {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]}],
            },
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1},
            },
            "template": {
                "metadata": {"labels": {"app": "web", "tier": "frontend"}},
                "spec": _pod_spec(),
            },
        },
        "status": {
            "observedGeneration": 2,
            "replicas": 3,
            "updatedReplicas": 3,
            "readyReplicas": 2,
            "availableReplicas": 2,
            "unavailableReplicas": 1,
            "conditions": [
                {
                    "type": "Available",
                    "status": "True",
                    "reason": "MinimumReplicasAvailable",
                    "message": "Deployment has minimum availability.",
                    "lastUpdateTime": "2024-05-01T10:21:00Z",
                    "lastTransitionTime": "2024-05-01T10:21:00Z",
                },
                {
                    "type": "Progressing",
                    "status": "True",
                    "reason": "NewReplicaSetAvailable",
                    "message": 'ReplicaSet "web-6d4cf56db6" has successfully progressed.',
                    "lastUpdateTime": "2024-05-01T10:21:05Z",
                    "lastTransitionTime": "2024-05-01T10:20:30Z",
                },
            ],
        },
    }


CASES: list[tuple[type[KubeModel], Callable[[], Json]]] = [
    (Pod, realistic_pod),
    (Deployment, realistic_deployment),
]
IDS = ["pod", "deployment"]


def lazy(model: type[KubeModel], data: Json) -> KubeModel:
    return model.from_json(orjson.dumps(data))


def validated(model: type[KubeModel], data: Json) -> KubeModel:
    return model.model_validate(copy.deepcopy(data))


PATHS = [lazy, validated]
PATH_IDS = ["from_json", "model_validate"]


def touch_everything(value: Any) -> int:
    """Reads every field of every model reachable from `value`; returns how many were read."""
    count = 0
    if isinstance(value, KubeModel):
        for name in type(value).model_fields:
            count += 1 + touch_everything(getattr(value, name))
        for extra in (value.model_extra or {}).values():
            count += touch_everything(extra)
    elif isinstance(value, list):
        for item in value:
            count += touch_everything(item)
    elif isinstance(value, dict):
        for item in value.values():
            count += touch_everything(item)
    return count


@pytest.mark.parametrize(("model", "build"), CASES, ids=IDS)
@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_round_trip_is_exact(model: type[KubeModel], build: Callable[[], Json], path: Any) -> None:
    data = build()
    obj = path(model, data)
    assert obj.to_dict() == data
    assert orjson.loads(obj.to_json()) == data


@pytest.mark.parametrize(("model", "build"), CASES, ids=IDS)
def test_lazy_to_json_is_byte_identical_to_its_input(
    model: type[KubeModel], build: Callable[[], Json]
) -> None:
    raw = orjson.dumps(build())
    assert model.from_json(raw).to_json() == raw


@pytest.mark.parametrize(("model", "build"), CASES, ids=IDS)
@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_round_trip_after_touching_every_field(
    model: type[KubeModel], build: Callable[[], Json], path: Any
) -> None:
    data = build()
    obj = path(model, data)
    touched = touch_everything(obj)
    assert touched > 200  # really walked the whole tree
    assert obj.to_dict() == data


def test_touching_decodes_nested_models_and_scalars() -> None:
    pod = Pod.from_json(orjson.dumps(realistic_pod()))
    app = pod.spec.containers[0]
    assert type(app).__name__ == "Container"
    assert app.resources.limits["memory"] == "1024Mi"
    assert pod.metadata.creation_timestamp.year == 2024
    assert pod.status.container_statuses[0].last_state.terminated.exit_code == 137


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_mutating_one_field_changes_only_that_field(path: Any) -> None:
    data = realistic_pod()
    pod = path(Pod, data)
    pod.spec.containers[1].image = "registry.example.com/sidecar:1.0"
    pod.metadata.labels = {**pod.metadata.labels, "release": "canary"}
    expected = copy.deepcopy(data)
    expected["spec"]["containers"][1]["image"] = "registry.example.com/sidecar:1.0"
    expected["metadata"]["labels"]["release"] = "canary"
    assert pod.to_dict() == expected


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_mutating_a_deployment_replica_count(path: Any) -> None:
    data = realistic_deployment()
    deployment = path(Deployment, data)
    deployment.spec.replicas = 5
    expected = copy.deepcopy(data)
    expected["spec"]["replicas"] = 5
    assert deployment.to_dict() == expected


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_setting_an_unset_field_adds_only_that_field(path: Any) -> None:
    data = realistic_deployment()
    deployment = path(Deployment, data)
    deployment.spec.paused = True
    expected = copy.deepcopy(data)
    expected["spec"]["paused"] = True
    assert deployment.to_dict() == expected


def _with_unknown_fields(data: Json) -> Json:
    data = copy.deepcopy(data)
    data["futureTopLevel"] = {"enabled": True, "list": [1, "two", None]}
    data["spec"]["futureSpecField"] = [{"a": 1}, {"b": [2.5]}]
    data["spec"]["containers"][0]["futureContainerField"] = {"mode": "x", "n": 7}
    return data


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_unknown_fields_survive(path: Any) -> None:
    data = _with_unknown_fields(realistic_pod())
    pod = path(Pod, data)
    assert pod.to_dict() == data
    assert orjson.loads(pod.to_json()) == data
    touch_everything(pod)
    assert pod.to_dict() == data
    assert pod.model_extra == {"futureTopLevel": data["futureTopLevel"]}
    assert pod.spec.model_extra == {"futureSpecField": data["spec"]["futureSpecField"]}
    container = pod.spec.containers[0]
    assert container.model_extra == {"futureContainerField": {"mode": "x", "n": 7}}


@pytest.mark.parametrize("path", PATHS, ids=PATH_IDS)
def test_unknown_fields_survive_a_mutation_next_to_them(path: Any) -> None:
    data = _with_unknown_fields(realistic_pod())
    pod = path(Pod, data)
    pod.spec.containers[0].image = "changed"
    expected = copy.deepcopy(data)
    expected["spec"]["containers"][0]["image"] = "changed"
    assert pod.to_dict() == expected


def test_validated_object_has_no_injected_defaults() -> None:
    pod = Pod.model_validate({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}})
    assert pod.to_dict() == {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}}
    assert b"null" not in pod.to_json()


def test_explicit_null_from_the_server_is_kept() -> None:
    data = realistic_pod()
    assert data["status"]["conditions"][0]["lastProbeTime"] is None
    for path in PATHS:
        assert path(Pod, data).to_dict()["status"]["conditions"][0]["lastProbeTime"] is None


def test_lazy_and_validated_dumps_agree() -> None:
    for _, build in CASES:
        data = build()
        model = Pod if data["kind"] == "Pod" else Deployment
        lazy_obj = lazy(model, data)
        valid_obj = validated(model, data)
        assert lazy_obj.model_dump() == valid_obj.model_dump()
        assert lazy_obj.model_dump(by_alias=True, exclude_unset=True) == valid_obj.model_dump(
            by_alias=True, exclude_unset=True
        )
        assert lazy_obj == valid_obj


# ---- property test: arbitrary JSON in unknown fields ------------------------------------------

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
unknown_keys = st.text(min_size=1, max_size=12).map(lambda key: f"zz-unknown-{key}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    top=st.dictionaries(unknown_keys, json_values, max_size=3),
    spec=st.dictionaries(unknown_keys, json_values, max_size=3),
    container=st.dictionaries(unknown_keys, json_values, max_size=3),
)
def test_random_unknown_fields_round_trip(top: Json, spec: Json, container: Json) -> None:
    data = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "i", **container}], **spec},
        **top,
    }
    for path in PATHS:
        obj = path(Pod, data)
        assert obj.to_dict() == data
        touch_everything(obj)
        assert orjson.loads(obj.to_json()) == data
