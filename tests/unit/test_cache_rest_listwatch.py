"""The cache's REST ListWatch adapters: options pass through, ERROR events reach the reflector."""

from __future__ import annotations

import httpx
import orjson
import pytest

from kubetyped.cache.protocols import ListOptions
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient
from kubetyped.errors import ExpiredError
from kubetyped.rest import AsyncRESTClient, RESTClient

PODS = "/api/v1/namespaces/ns/pods"
EXPIRED = {
    "kind": "Status",
    "apiVersion": "v1",
    "status": "Failure",
    "reason": "Expired",
    "code": 410,
    "message": "too old resource version: 1 (5)",
}
EVENTS = [
    {"type": "ADDED", "object": {"metadata": {"name": "a", "resourceVersion": "4"}}},
    {"type": "ERROR", "object": EXPIRED},
]
seen: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    if request.url.params.get("watch") == "true":
        return httpx.Response(200, content=b"\n".join(orjson.dumps(e) for e in EVENTS) + b"\n")
    body = {"kind": "PodList", "metadata": {"resourceVersion": "7", "continue": "c2"}, "items": []}
    return httpx.Response(200, json=body)


OPTIONS = ListOptions(label_selector="app=web", resource_version="3", allow_watch_bookmarks=True)


def _check_watch_request() -> None:
    params = seen[-1].url.params
    assert seen[-1].url.path == PODS
    assert params["labelSelector"] == "app=web" and params["resourceVersion"] == "3"
    assert params["allowWatchBookmarks"] == "true" and params["watch"] == "true"


def test_sync_adapter_lists_and_raises_error_events_as_typed_errors() -> None:
    seen.clear()
    http = httpx.Client(transport=httpx.MockTransport(handler), base_url="https://k8s.test")
    list_watch = (
        DynamicClient(RESTClient(http_client=http))
        .resource("", "v1", "pods")
        .namespace("ns")
        .list_watch()
    )
    page = list_watch.list(ListOptions(limit=10))
    assert (page.resource_version, page.continue_token, list(page.items)) == ("7", "c2", [])
    assert seen[-1].url.params["limit"] == "10"
    events: list[str] = []
    with pytest.raises(ExpiredError) as info:  # client-go apierrors.FromObject at the stream
        events.extend(e.type for e in list_watch.watch(OPTIONS))
    _check_watch_request()
    assert events == ["ADDED"] and info.value.code == 410


async def test_async_adapter_lists_and_raises_error_events_as_typed_errors() -> None:
    seen.clear()
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="https://k8s.test")
    list_watch = (
        AsyncDynamicClient(AsyncRESTClient(http_client=http))
        .resource("", "v1", "pods")
        .namespace("ns")
        .list_watch()
    )
    page = await list_watch.list(ListOptions(limit=10))
    assert (page.resource_version, page.continue_token, list(page.items)) == ("7", "c2", [])
    assert seen[-1].url.params["limit"] == "10"
    events: list[str] = []
    with pytest.raises(ExpiredError) as info:
        async for event in list_watch.watch(OPTIONS):
            events.append(event.type)
    _check_watch_request()
    assert events == ["ADDED"] and info.value.code == 410
    await http.aclose()
