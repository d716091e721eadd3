"""`ModelDecodeError.path` is the full JSON path from the root of the document the server sent
(pydantic's `loc` as one string), for get, list (and `iterate` pages) and watch events, on the
sync and async clientsets. The bad objects are served by respx routes on a real `httpx` client.
"""

# mypy: disable-error-code="union-attr, index"

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest
import respx

from kubetyped.model.jsonio import ModelDecodeError
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.models.core_v1 import Pod

BASE = "https://k8s.test:6443"
PODS = f"{BASE}/api/v1/namespaces/web/pods"


def _pod(name: str, **spec: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}]}], **spec},
        "status": {
            "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}
            ]
        },
    }


def _bad_pod(name: str) -> dict[str, Any]:
    pod = _pod(name)
    pod["metadata"]["creationTimestamp"] = "yesterday"
    pod["spec"]["containers"].append({"name": "d", "ports": [{"containerPort": 81}, "http"]})
    pod["status"]["conditions"].append({"type": "X", "status": "True", "lastTransitionTime": 7})
    return pod


# reads of one pod and the path (below the pod) each must name
READS: list[tuple[Callable[[Pod], Any], str]] = [
    (lambda pod: pod.metadata.creation_timestamp, "metadata.creationTimestamp"),
    (lambda pod: pod.spec.containers[1].ports, "spec.containers[1].ports[1]"),
    (lambda pod: pod.status.conditions[1].last_transition_time,
     "status.conditions[1].lastTransitionTime"),
]  # fmt: skip


def _routes(router: respx.MockRouter) -> None:
    items = [_pod("a"), _pod("b"), _pod("c"), _bad_pod("bad")]
    page = {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "9"}}
    events = [
        {"type": "ADDED", "object": _pod("a")},
        {"type": "MODIFIED", "object": _bad_pod("bad")},
    ]

    def pods(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("watch") == "true":
            lines = b"\n".join(orjson.dumps(e) for e in events) + b"\n"
            return httpx.Response(200, content=lines)
        return httpx.Response(200, json={**page, "items": items})

    router.get(PODS).mock(side_effect=pods)
    router.get(f"{PODS}/bad").mock(return_value=httpx.Response(200, json=_bad_pod("bad")))


def _paths(pod: Pod) -> list[str]:
    found = []
    for read, _ in READS:
        with pytest.raises(ModelDecodeError) as caught:
            read(pod)
        found.append(caught.value.path)
        assert str(caught.value).startswith(caught.value.path + ": ")
    assert pod.metadata.name == "bad" and pod.spec.containers[0].ports[0].container_port == 80
    return found


def _expected(prefix: str) -> list[str]:
    return [f"{prefix}{path}" for _, path in READS]


def test_sync_get_list_iterate_and_watch_name_the_full_path() -> None:
    with respx.mock(assert_all_called=True) as router:
        _routes(router)
        http = httpx.Client(base_url=BASE)
        with Clientset(RESTClient(http_client=http)) as cs:
            pods = cs.core_v1.pods("web")
            assert _paths(pods.get("bad")) == _expected("")
            assert _paths(pods.list().items[3]) == _expected("items[3].")
            assert _paths(list(pods.iterate())[3]) == _expected("items[3].")
            events = list(pods.watch(timeout_seconds=1))
            assert [e.type for e in events] == ["ADDED", "MODIFIED"]
            assert _paths(events[1].object) == _expected("object.")


async def test_async_get_list_and_watch_name_the_full_path() -> None:
    with respx.mock(assert_all_called=False) as router:
        _routes(router)
        http = httpx.AsyncClient(base_url=BASE)
        async with AsyncClientset(AsyncRESTClient(http_client=http)) as cs:
            pods = cs.core_v1.pods("web")
            assert _paths(await pods.get("bad")) == _expected("")
            assert _paths((await pods.list()).items[3]) == _expected("items[3].")
            events = [event async for event in pods.watch(timeout_seconds=1)]
            assert _paths(events[1].object) == _expected("object.")


def test_an_item_that_is_not_an_object_names_its_index() -> None:
    from kubetyped_kubernetes.models.core_v1 import PodList

    pods = PodList.from_json(b'{"items":[{"metadata":{"name":"a"}},null]}')
    with pytest.raises(ModelDecodeError) as caught:
        _ = pods.items[1].metadata
    assert caught.value.path == "items[1]"
    assert pods.items[0].metadata.name == "a"


def test_map_values_and_nested_objects_name_their_key() -> None:
    from kubetyped_kubernetes.models.apiextensions_v1 import CustomResourceDefinition

    crd = CustomResourceDefinition.from_json(
        b'{"spec":{"versions":[{"name":"v1","served":true,"storage":true,"schema":'
        b'{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object"},'
        b'"bad":"a string"}}}}]}}'
    )
    schema = crd.spec.versions[0].schema_.open_api_v3_schema
    assert schema.type == "object"  # the other fields stay readable
    with pytest.raises(ModelDecodeError) as caught:
        _ = schema.properties  # the field holding the bad entry
    assert caught.value.path == "spec.versions[0].schema.openAPIV3Schema.properties.bad"
    pod = Pod.from_json(
        b'{"status":{"containerStatuses":[{"name":"c","state":{"running":{"startedAt":"x"}}}]}}'
    )
    with pytest.raises(ModelDecodeError) as caught:
        _ = pod.status.container_statuses[0].state.running.started_at
    assert caught.value.path == "status.containerStatuses[0].state.running.startedAt"
