"""What the server sends survives the typed models exactly: IntOrString ports, unknown fields."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from kubetyped.config import load_kubeconfig
from kubetyped.rest import RESTClient
from kubetyped.transport import build_http_client
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.core_v1 import ConfigMap, Pod, ServiceAccount
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


@pytest.fixture
def pod_namespace(cs: Clientset, namespace: str) -> str:
    """A namespace that can hold pods: no controller makes the `default` ServiceAccount here."""
    cs.core_v1.service_accounts(namespace).create(
        ServiceAccount(metadata=ObjectMeta(name="default"))
    )
    return namespace


CONTAINER: dict[str, Any] = {
    "name": "web",
    "image": "nginx:1.27",
    "ports": [
        {"containerPort": 8080, "name": "http", "protocol": "TCP"},
        {"containerPort": 9090, "protocol": "TCP"},
    ],
    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"}},
    "readinessProbe": {"httpGet": {"path": "/ready", "port": "http", "scheme": "HTTP"}},
    "startupProbe": {"tcpSocket": {"port": "http"}},
    "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "0.1"}},
    "env": [{"name": "MODE", "value": "test"}],
}


def _probe_ports(container: dict[str, Any]) -> dict[str, Any]:
    return {
        "liveness": container["livenessProbe"]["httpGet"]["port"],
        "readiness": container["readinessProbe"]["httpGet"]["port"],
        "startup": container["startupProbe"]["tcpSocket"]["port"],
    }


def test_pod_int_and_string_ports_survive_create_get_update(
    cs: Clientset, pod_namespace: str
) -> None:
    namespace = pod_namespace
    pods = cs.core_v1.pods(namespace)
    pod = Pod.model_validate(
        {"metadata": {"name": "ports", "labels": {"v": "1"}}, "spec": {"containers": [CONTAINER]}}
    )
    created = pods.create(pod)
    raw_path = f"/api/v1/namespaces/{namespace}/pods/ports"

    for stage, obj in (("create", created), ("get", pods.get("ports"))):
        container = obj.spec.containers[0].to_dict()
        assert container["ports"] == CONTAINER["ports"], stage
        ports = _probe_ports(container)
        assert ports == {"liveness": 8080, "readiness": "http", "startup": "http"}, stage
        assert type(ports["liveness"]) is int and type(ports["readiness"]) is str, stage
        typed = obj.spec.containers[0]
        assert typed.liveness_probe.http_get.port == 8080
        assert type(typed.liveness_probe.http_get.port) is int
        assert type(typed.readiness_probe.http_get.port) is str
        assert typed.resources.limits["memory"] == "128Mi"

    # the lazy model gives back the server's JSON exactly, and so does the validated one
    server_raw = cs.rest.get(raw_path)
    got = pods.get("ports")
    assert got.to_dict() == server_raw
    assert Pod.model_validate(copy.deepcopy(server_raw)).to_dict() == server_raw
    # byte for byte, in the server's key order (the server's own bytes, re-encoded compactly)
    server_bytes = orjson.dumps(orjson.loads(cs.rest.get_bytes(raw_path)))
    assert pods.get("ports").to_json() == server_bytes

    got.metadata.labels["v"] = "2"
    updated = pods.update(got)
    assert updated.metadata.labels == {"v": "2"}
    after = cs.rest.get(raw_path)
    assert updated.to_dict() == after
    assert after["spec"]["containers"][0]["ports"] == CONTAINER["ports"]
    assert _probe_ports(after["spec"]["containers"][0]) == {
        "liveness": 8080,
        "readiness": "http",
        "startup": "http",
    }
    # the update changed only the label (and the server-owned metadata)
    before_spec, after_spec = server_raw["spec"], after["spec"]
    assert before_spec == after_spec


def test_validated_pod_is_sent_without_injected_nulls(cs: Clientset, pod_namespace: str) -> None:
    pod = Pod.model_validate(
        {"metadata": {"name": "minimal"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    )
    body = pod.to_json()
    assert b"null" not in body
    assert orjson.loads(body) == {
        "metadata": {"name": "minimal"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }
    created = cs.core_v1.pods(pod_namespace).create(pod)
    assert created.spec.containers[0].image == "nginx"
    assert created.spec.restart_policy == "Always"  # a server default, not a client one


# ---- a field this model does not know, as a newer server would send ---------------------------


class InjectingTransport(httpx.BaseTransport):
    """Adds an unknown field to GET answers and records every request body sent."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str, bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.sent.append((request.method, request.url.path, body))
        response = self.inner.handle_request(request)
        if request.method != "GET" or response.status_code != 200:
            return response
        content = response.read()
        response.close()
        data = orjson.loads(content)
        if data.get("kind") == "ConfigMap":
            data["futureTopLevel"] = {"enabled": True, "weights": [1, 2]}
            data["metadata"]["futureMetadataField"] = "kept"
        headers = [
            (key, value)
            for key, value in response.headers.multi_items()
            if key.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        ]
        return httpx.Response(response.status_code, headers=headers, content=orjson.dumps(data))

    def close(self) -> None:
        self.inner.close()


def test_unknown_fields_from_the_server_are_sent_back_on_update(
    kubeconfig_path: Path, namespace: str
) -> None:
    config = load_kubeconfig(kubeconfig_path, context="admin")
    inner = httpx.HTTPTransport(verify=config.ssl_context())
    injecting = InjectingTransport(inner)
    http = build_http_client(config, transport=injecting)
    with Clientset(RESTClient(config, http_client=http)) as cs, http:
        maps = cs.core_v1.config_maps(namespace)
        maps.create(ConfigMap(metadata=ObjectMeta(name="future"), data={"a": "1"}))
        got = maps.get("future")
        assert got.model_extra == {"futureTopLevel": {"enabled": True, "weights": [1, 2]}}
        assert got.metadata.model_extra == {"futureMetadataField": "kept"}

        got.data["a"] = "2"  # a change next to the unknown fields
        updated = maps.update(got)
        method, path, body = injecting.sent[-1]
        assert (method, path) == ("PUT", f"/api/v1/namespaces/{namespace}/configmaps/future")
        sent = orjson.loads(body)
        assert sent["futureTopLevel"] == {"enabled": True, "weights": [1, 2]}
        assert sent["metadata"]["futureMetadataField"] == "kept"
        assert sent["data"] == {"a": "2"}
        # the real server dropped what it does not know, and applied the change
        assert updated.data == {"a": "2"}
        assert updated.model_extra == {}
