"""One request core for every client family (issue 11 §3), captured with `httpx.MockTransport`.

- every family's watch follows one bookmark rule (`kubetyped.request.watch_bookmarks`): left
  out, bookmarks are requested (a silent connection is noticed) but not delivered; `True`
  requests and delivers them; `False` neither (client-go delivers bookmarks only to watchers
  that set `allowWatchBookmarks`);
- typed, metadata and dynamic informers list and watch through the one `ResourceListWatch`,
  which applies the factory's tweak and keeps objects as each family's codec says;
- `BoundResource` addresses objects by one set of rules (client-go `NamespaceIfScoped`, the
  dynamic client's namespace from the body, ALL_NAMESPACES only for list and watch).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

from kubetyped import api
from kubetyped.cache import AsyncResourceListWatch, ResourceListWatch
from kubetyped.discovery import GroupVersionResource
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient
from kubetyped.metadata import (
    AsyncMetadataClient,
    AsyncMetadataInformerFactory,
    MetadataClient,
    MetadataInformerFactory,
)
from kubetyped.request import ListOptions, NamespaceRequiredError, RequestBuildError, ResourcePath
from kubetyped.resource import BoundResource, JSONCodec
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed import ALL_NAMESPACES
from kubetyped.typed.operations import typed_resource
from kubetyped_kubernetes import (
    AsyncClientset,
    AsyncSharedInformerFactory,
    Clientset,
    SharedInformerFactory,
)
from kubetyped_kubernetes.clients.core_v1 import CONFIGMAPS
from kubetyped_kubernetes.models.core_v1 import ConfigMap

BASE = "https://k8s.test:6443"
CM = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "a", "namespace": "ns"}}
WATCH_EVENTS = [
    {"type": "ADDED", "object": {**CM, "metadata": {**CM["metadata"], "resourceVersion": "5"}}},
    {"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1",
                                    "metadata": {"resourceVersion": "9"}}},
]  # fmt: skip
LIST = {"kind": "ConfigMapList", "apiVersion": "v1", "metadata": {"resourceVersion": "7"},
        "items": [CM]}  # fmt: skip


def handler(seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params.get("watch") == "true":
            body = b"\n".join(orjson.dumps(e) for e in WATCH_EVENTS) + b"\n"
            return httpx.Response(200, content=body)
        return httpx.Response(200, json=LIST)

    return answer


def rest(mode: str, seen: list[httpx.Request]) -> Any:
    answer = handler(seen)
    if mode == "sync":
        return RESTClient(
            http_client=httpx.Client(base_url=BASE, transport=httpx.MockTransport(answer))
        )
    return AsyncRESTClient(
        http_client=httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(answer))
    )


async def events_of(stream: Any) -> list[Any]:
    if hasattr(stream, "__aiter__"):
        return [e async for e in stream]
    return list(stream)


async def resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def typed_watch(client: Any, **kw: Any) -> Any:
    cs = (Clientset if isinstance(client, RESTClient) else AsyncClientset)(client, namespace="ns")
    return cs.core_v1.config_maps().watch(**kw)


def dynamic_watch(client: Any, **kw: Any) -> Any:
    dynamic = (DynamicClient if isinstance(client, RESTClient) else AsyncDynamicClient)(client)
    return dynamic.resource("", "v1", "configmaps", namespaced=True).namespace("ns").watch(**kw)


def metadata_watch(client: Any, **kw: Any) -> Any:
    metadata = (MetadataClient if isinstance(client, RESTClient) else AsyncMetadataClient)(client)
    gvr = GroupVersionResource("", "v1", "configmaps")
    return metadata.resource(gvr).namespace("ns").watch(**kw)


FAMILIES = {"typed": typed_watch, "dynamic": dynamic_watch, "metadata": metadata_watch}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize(
    ("allow", "sent", "delivered"),
    [
        (None, "true", ["ADDED"]),
        (True, "true", ["ADDED", "BOOKMARK"]),
        (False, "false", ["ADDED"]),
    ],
)
async def test_every_family_delivers_bookmarks_by_one_rule(
    mode: str, family: str, allow: bool | None, sent: str, delivered: list[str]
) -> None:
    seen: list[httpx.Request] = []
    stream = FAMILIES[family](rest(mode, seen), allow_watch_bookmarks=allow)
    events = await events_of(stream)
    assert [e.type.value for e in events] == delivered
    assert seen[-1].url.params["allowWatchBookmarks"] == sent


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("family", sorted(FAMILIES))
async def test_initial_events_end_with_a_delivered_bookmark(mode: str, family: str) -> None:
    seen: list[httpx.Request] = []
    stream = FAMILIES[family](rest(mode, seen), send_initial_events=True, resource_version="")
    assert [e.type.value for e in await events_of(stream)] == ["ADDED", "BOOKMARK"]
    assert seen[-1].url.params["sendInitialEvents"] == "true"


def _tweak(options: ListOptions) -> ListOptions:
    return ListOptions(**{**options.__dict__, "label_selector": "app=web"})


def informers(mode: str, client: Any) -> dict[str, Any]:
    """The list-watch of each family's informer of configmaps in "ns", tweaked alike."""
    gvr = GroupVersionResource("", "v1", "configmaps")
    if mode == "sync":
        typed = SharedInformerFactory(
            Clientset(client, namespace="ns"), namespace="ns", tweak_list_options=_tweak
        )
        metadata = MetadataInformerFactory(
            MetadataClient(client), namespace="ns", tweak_list_options=_tweak
        )
        dynamic = DynamicClient(client).resource("", "v1", "configmaps").namespace("ns")
    else:
        typed = AsyncSharedInformerFactory(
            AsyncClientset(client, namespace="ns"), namespace="ns", tweak_list_options=_tweak
        )
        metadata = AsyncMetadataInformerFactory(
            AsyncMetadataClient(client), namespace="ns", tweak_list_options=_tweak
        )
        dynamic = AsyncDynamicClient(client).resource("", "v1", "configmaps").namespace("ns")
    return {
        "typed": typed.core_v1.config_maps().informer().list_watch,
        "metadata": metadata.for_resource(gvr).informer().list_watch,
        "dynamic": dynamic.list_watch(_tweak),
    }


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_every_informer_family_lists_and_watches_through_one_list_watch(mode: str) -> None:
    seen: list[httpx.Request] = []
    found = informers(mode, rest(mode, seen))
    kinds = {"typed": ConfigMap, "metadata": api.PartialObjectMetadata, "dynamic": dict}
    for family, list_watch in found.items():
        assert type(list_watch) is (ResourceListWatch if mode == "sync" else AsyncResourceListWatch)
        page = await resolve(list_watch.list(ListOptions(limit=10)))
        assert page.resource_version == "7"
        assert [type(item) for item in page.items] == [kinds[family]], family
        options = ListOptions(resource_version="7", allow_watch_bookmarks=True)
        events = await events_of(list_watch.watch(options))
        assert [e.type.value for e in events] == ["ADDED", "BOOKMARK"], family  # the reflector's
        assert type(events[0].object) is kinds[family], family
    for request in seen:
        assert request.url.path == "/api/v1/namespaces/ns/configmaps"
        assert request.url.params["labelSelector"] == "app=web"


def test_bound_resource_addresses_objects_by_one_rule() -> None:
    path = ResourcePath("apps", "v1", "deployments")
    unknown = BoundResource(path, JSONCodec(), None, namespace_from_body=True)
    body = {"metadata": {"name": "web", "namespace": "prod"}}
    assert unknown.item(None, body).path == "/apis/apps/v1/namespaces/prod/deployments/web"
    assert unknown.item("web").path == "/apis/apps/v1/deployments/web"  # scope unknown
    bound = unknown.bind("dev")
    assert (
        bound.item(None, body, "scale").path == "/apis/apps/v1/namespaces/dev/deployments/web/scale"
    )
    namespaced = BoundResource(path, JSONCodec(), True)
    with pytest.raises(NamespaceRequiredError, match="namespaced"):
        namespaced.item(None, body)  # the body's namespace counts only with namespace_from_body
    cluster = BoundResource(ResourcePath("", "v1", "nodes", "ignored"), JSONCodec(), False)
    assert cluster.item("n1", subresource="scale").path == "/api/v1/nodes/n1/scale"
    with pytest.raises(RequestBuildError, match="cluster-scoped"):
        cluster.bind("x")
    with pytest.raises(RequestBuildError, match=r"no metadata\.name"):
        bound.item(None, {"metadata": {}})
    everywhere = typed_resource(CONFIGMAPS, ALL_NAMESPACES)
    assert everywhere.list().url.path == "/api/v1/configmaps"
    with pytest.raises(NamespaceRequiredError, match="ALL_NAMESPACES"):
        everywhere.get("a")
