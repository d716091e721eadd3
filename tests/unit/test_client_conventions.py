"""Conventions shared by the client families (issue 11 §3), captured with `httpx.MockTransport`:
`delete` returns the server's answer (the object or a `Status`) in the typed, dynamic and
metadata clients, sync and async; subresource bodies (Scale, TokenRequest) carry the apiVersion
and kind of the model the `ResourceInfo` names, not a hard-coded one."""

# mypy: disable-error-code="union-attr"

from __future__ import annotations

import inspect
from typing import Any, ClassVar

import httpx
import orjson
import pytest

from kubetyped import api
from kubetyped.discovery import GroupVersionResource
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient
from kubetyped.metadata import AsyncMetadataClient, MetadataClient
from kubetyped.model import Field, KubeModel
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed import ResourceInfo, async_verbs, sync_verbs
from kubetyped_kubernetes.models.core_v1 import ConfigMap

BASE = "https://k8s.test:6443"
STATUS = {"kind": "Status", "apiVersion": "v1", "status": "Success", "details": {"name": "a"}}
MARKED = {
    "kind": "ConfigMap",
    "apiVersion": "v1",
    "metadata": {"name": "a", "deletionTimestamp": "2026-01-01T00:00:00Z", "finalizers": ["x"]},
}


class WidgetScale(KubeModel):
    """A scale model of another group/version than autoscaling/v1."""

    kube_group: ClassVar[str] = "example.com"
    kube_version: ClassVar[str] = "v1"
    kube_kind: ClassVar[str] = "WidgetScale"

    api_version: str | None = Field(None, alias="apiVersion")
    kind: str | None = None
    replicas: int | None = None


WIDGETS = ResourceInfo(
    group="example.com",
    version="v1",
    plural="widgets",
    singular="widget",
    kind="Widget",
    list_kind="WidgetList",
    namespaced=True,
    verbs=frozenset({"get", "delete"}),
    model="kubetyped_kubernetes.models.core_v1:ConfigMap",
    list_model="kubetyped_kubernetes.models.core_v1:ConfigMapList",
    subresources=frozenset({"scale"}),
    subresource_models=(("scale", "tests.unit.test_client_conventions:WidgetScale"),),
)


class Widgets(sync_verbs.Delete[ConfigMap], sync_verbs.Scale[ConfigMap, WidgetScale, Any]):
    resource = WIDGETS


class AsyncWidgets(async_verbs.Delete[ConfigMap], async_verbs.Scale[ConfigMap, WidgetScale, Any]):
    resource = WIDGETS


def transport(answer: dict[str, Any], seen: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method in ("PUT", "PATCH"):
            return httpx.Response(200, content=request.content)
        return httpx.Response(200, json=answer)

    return handler


def rest(mode: str, answer: dict[str, Any], seen: list[httpx.Request]) -> Any:
    handler = transport(answer, seen)
    if mode == "sync":
        return RESTClient(
            http_client=httpx.Client(base_url=BASE, transport=httpx.MockTransport(handler))
        )

    async def async_handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        return handler(request)

    return AsyncRESTClient(
        http_client=httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(async_handler))
    )


async def resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_typed_delete_returns_the_status_or_the_object(mode: str) -> None:
    seen: list[httpx.Request] = []
    widgets = (Widgets if mode == "sync" else AsyncWidgets)(rest(mode, STATUS, seen), "ns")
    status = await resolve(widgets.delete("a"))
    assert isinstance(status, api.Status) and status.details.name == "a"
    widgets = (Widgets if mode == "sync" else AsyncWidgets)(rest(mode, MARKED, seen), "ns")
    marked = await resolve(widgets.delete("a"))
    assert isinstance(marked, ConfigMap) and marked.metadata.deletion_timestamp is not None
    assert [r.method for r in seen] == ["DELETE", "DELETE"]


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_metadata_and_dynamic_delete_return_the_servers_answer(mode: str) -> None:
    seen: list[httpx.Request] = []
    gvr = GroupVersionResource("", "v1", "configmaps")
    metadata_client = MetadataClient if mode == "sync" else AsyncMetadataClient
    dynamic_client = DynamicClient if mode == "sync" else AsyncDynamicClient
    status = await resolve(
        metadata_client(rest(mode, STATUS, seen)).resource(gvr).namespace("ns").delete("a")
    )
    assert isinstance(status, api.Status) and status.status == "Success"
    marked = await resolve(
        metadata_client(rest(mode, MARKED, seen)).resource(gvr).namespace("ns").delete("a")
    )
    assert isinstance(marked, api.PartialObjectMetadata)
    assert marked.metadata.deletion_timestamp is not None
    answer = await resolve(
        dynamic_client(rest(mode, STATUS, seen))
        .resource("", "v1", "configmaps", namespaced=True)
        .namespace("ns")
        .delete("a")
    )
    assert answer == STATUS


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_scale_bodies_name_the_scale_model_of_the_resource(mode: str) -> None:
    seen: list[httpx.Request] = []
    widgets = (Widgets if mode == "sync" else AsyncWidgets)(rest(mode, {}, seen), "ns")
    updated = await resolve(widgets.update_scale("w", {"metadata": {"name": "w"}, "replicas": 3}))
    applied = await resolve(widgets.apply_scale("w", {"replicas": 2}, field_manager="me"))
    model = WIDGETS.subresource_model("scale")  # this module, as the reference imports it
    assert type(updated) is model and updated.replicas == 3
    assert type(applied) is model and applied.replicas == 2
    for request in seen:
        assert request.url.path == "/apis/example.com/v1/namespaces/ns/widgets/w/scale"
        body = orjson.loads(request.content)
        assert (body["apiVersion"], body["kind"]) == ("example.com/v1", "WidgetScale")
