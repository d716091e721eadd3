"""Requests the generated typed clients build, captured by `httpx.MockTransport` (no cluster).

Every scenario runs on `Clientset` and `AsyncClientset`; both must send identical requests.
"""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

from kubetyped import request as rq
from kubetyped.errors import KubetypedError, NotFoundError
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed import ALL_NAMESPACES, NamespaceRequiredError
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.autoscaling_v1 import Scale
from kubetyped_kubernetes.models.core_v1 import ConfigMap, ConfigMapList
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta
from kubetyped_kubernetes.models.scheduling_v1 import PriorityClass

BASE = "https://k8s.test:6443"
Captured = list[httpx.Request]


def respond(request: httpx.Request) -> httpx.Response:
    """Echoes the body back (create/update/patch), or answers a plausible object."""
    if request.url.params.get("watch") == "true":
        lines = [
            {"type": "ADDED", "object": {"metadata": {"name": "a", "resourceVersion": "5"}}},
            {"type": "BOOKMARK", "object": {"metadata": {"resourceVersion": "6"}}},
        ]
        return httpx.Response(200, content=b"\n".join(orjson.dumps(line) for line in lines))
    if request.method == "DELETE":
        return httpx.Response(200, json={"kind": "Status", "apiVersion": "v1", "status": "Success"})
    if request.content and request.method in ("POST", "PUT"):
        return httpx.Response(201 if request.method == "POST" else 200, content=request.content)
    if request.url.path.endswith("/scale"):
        return httpx.Response(
            200,
            json={"kind": "Scale", "apiVersion": "autoscaling/v1", "spec": {"replicas": 2}},
        )
    if request.url.path.rstrip("/").split("/")[-1] in ("configmaps", "priorityclasses"):
        return httpx.Response(
            200,
            json={
                "kind": "List",
                "metadata": {"resourceVersion": "9"},
                "items": [
                    {"metadata": {"name": "one"}},
                    {"metadata": {"name": "two"}},
                ],
            },
        )
    return httpx.Response(200, json={"metadata": {"name": "answer", "resourceVersion": "7"}})


def sync_clientset(captured: Captured) -> Clientset:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        captured.append(request)
        return respond(request)

    http = httpx.Client(base_url=BASE, transport=httpx.MockTransport(handler))
    return Clientset(RESTClient(http_client=http))


def async_clientset(captured: Captured) -> AsyncClientset:
    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        captured.append(request)
        return respond(request)

    http = httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(handler))
    return AsyncClientset(AsyncRESTClient(http_client=http))


async def call(result: Any) -> Any:
    """Awaits async results and drains (async) iterators, so one scenario serves both APIs."""
    if inspect.isawaitable(result):
        return await result
    if hasattr(result, "__aiter__"):
        return [item async for item in result]
    if inspect.isgenerator(result) or hasattr(result, "__next__"):  # a WatchStream
        return list(result)
    return result


def capture(kind: str) -> tuple[Any, Captured]:
    captured: Captured = []
    client = sync_clientset(captured) if kind == "sync" else async_clientset(captured)
    return client, captured


def body(request: httpx.Request) -> Any:
    return orjson.loads(request.content) if request.content else None


def cm(name: str = "cm", **data: str) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, namespace="ns"), data=data or {"k": "v"})


# ---- scenarios: (name, action, expected method, path, params, content type) ----------------------

Action = Callable[[Any], Any]
SCENARIOS: list[tuple[str, Action, str, str, dict[str, str], str | None]] = [
    (
        "get",
        lambda cs: cs.core_v1.config_maps("ns").get("cm"),
        "GET",
        "/api/v1/namespaces/ns/configmaps/cm",
        {},
        None,
    ),
    (
        "get-rv",
        lambda cs: cs.core_v1.config_maps("ns").get("cm", resource_version="0"),
        "GET",
        "/api/v1/namespaces/ns/configmaps/cm",
        {"resourceVersion": "0"},
        None,
    ),
    (
        "list",
        lambda cs: cs.core_v1.config_maps("ns").list(
            label_selector="app=web", limit=10, continue_="tok", timeout_seconds=5
        ),
        "GET",
        "/api/v1/namespaces/ns/configmaps",
        {"labelSelector": "app=web", "limit": "10", "continue": "tok", "timeoutSeconds": "5"},
        None,
    ),
    (
        "list-all-namespaces",
        lambda cs: cs.core_v1.config_maps(ALL_NAMESPACES).list(field_selector="metadata.name=x"),
        "GET",
        "/api/v1/configmaps",
        {"fieldSelector": "metadata.name=x"},
        None,
    ),
    (
        "create",
        lambda cs: cs.core_v1.config_maps("ns").create(
            cm(), field_manager="me", dry_run=True, field_validation="Strict"
        ),
        "POST",
        "/api/v1/namespaces/ns/configmaps",
        {"fieldManager": "me", "dryRun": "All", "fieldValidation": "Strict"},
        "application/json",
    ),
    (
        "update",
        lambda cs: cs.core_v1.config_maps("ns").update(cm("other")),
        "PUT",
        "/api/v1/namespaces/ns/configmaps/other",
        {},
        "application/json",
    ),
    (
        "patch-json",
        lambda cs: cs.core_v1.config_maps("ns").patch(
            "cm", [{"op": "add", "path": "/data/x", "value": "1"}], rq.PatchType.JSON
        ),
        "PATCH",
        "/api/v1/namespaces/ns/configmaps/cm",
        {},
        "application/json-patch+json",
    ),
    (
        "patch-merge",
        lambda cs: cs.core_v1.config_maps("ns").patch(
            "cm", {"data": {"x": None}}, "application/merge-patch+json"
        ),
        "PATCH",
        "/api/v1/namespaces/ns/configmaps/cm",
        {},
        "application/merge-patch+json",
    ),
    (
        "patch-strategic",
        lambda cs: cs.apps_v1.deployments("ns").patch(
            "web", {"spec": {"replicas": 3}}, rq.PatchType.STRATEGIC, field_manager="m"
        ),
        "PATCH",
        "/apis/apps/v1/namespaces/ns/deployments/web",
        {"fieldManager": "m"},
        "application/strategic-merge-patch+json",
    ),
    (
        "apply",
        lambda cs: cs.core_v1.config_maps("ns").apply(
            {"metadata": {"name": "cm"}, "data": {"a": "b"}}, field_manager="mgr", force=True
        ),
        "PATCH",
        "/api/v1/namespaces/ns/configmaps/cm",
        {"fieldManager": "mgr", "force": "true"},
        "application/apply-patch+yaml",
    ),
    (
        "delete",
        lambda cs: cs.core_v1.config_maps("ns").delete(
            "cm",
            propagation_policy="Foreground",
            grace_period_seconds=0,
            preconditions=rq.Preconditions(uid="u-1", resource_version="42"),
        ),
        "DELETE",
        "/api/v1/namespaces/ns/configmaps/cm",
        {},
        "application/json",
    ),
    (
        "delete-collection",
        lambda cs: cs.core_v1.config_maps("ns").delete_collection(
            label_selector="tmp=1", propagation_policy="Background", dry_run=True
        ),
        "DELETE",
        "/api/v1/namespaces/ns/configmaps",
        {"labelSelector": "tmp=1"},
        "application/json",
    ),
    (
        "cluster-scoped-get",
        lambda cs: cs.scheduling_v1.priority_classes().get("high"),
        "GET",
        "/apis/scheduling.k8s.io/v1/priorityclasses/high",
        {},
        None,
    ),
    (
        "cluster-scoped-create",
        lambda cs: cs.scheduling_v1.priority_classes().create(
            PriorityClass(metadata=ObjectMeta(name="high"), value=1000)
        ),
        "POST",
        "/apis/scheduling.k8s.io/v1/priorityclasses",
        {},
        "application/json",
    ),
    (
        "namespace-get",
        lambda cs: cs.core_v1.namespaces().get("kube-system"),
        "GET",
        "/api/v1/namespaces/kube-system",
        {},
        None,
    ),
    (
        "get-scale",
        lambda cs: cs.apps_v1.deployments("ns").get_scale("web"),
        "GET",
        "/apis/apps/v1/namespaces/ns/deployments/web/scale",
        {},
        None,
    ),
    (
        "update-scale",
        lambda cs: cs.apps_v1.deployments("ns").update_scale(
            "web", Scale.model_validate({"metadata": {"name": "web"}, "spec": {"replicas": 4}})
        ),
        "PUT",
        "/apis/apps/v1/namespaces/ns/deployments/web/scale",
        {},
        "application/json",
    ),
    (
        "patch-scale",
        lambda cs: cs.apps_v1.deployments("ns").patch_scale(
            "web", {"spec": {"replicas": 5}}, rq.PatchType.MERGE
        ),
        "PATCH",
        "/apis/apps/v1/namespaces/ns/deployments/web/scale",
        {},
        "application/merge-patch+json",
    ),
    (
        "update-status",
        lambda cs: cs.apps_v1.deployments("ns").update_status(
            Deployment.model_validate({"metadata": {"name": "web"}, "status": {"replicas": 1}})
        ),
        "PUT",
        "/apis/apps/v1/namespaces/ns/deployments/web/status",
        {},
        "application/json",
    ),
    (
        "iterate",
        lambda cs: cs.core_v1.config_maps("ns").iterate(page_size=50, label_selector="a=b"),
        "GET",
        "/api/v1/namespaces/ns/configmaps",
        {"limit": "50", "labelSelector": "a=b"},
        None,
    ),
    (
        "watch",
        lambda cs: cs.core_v1.config_maps("ns").watch(resource_version="4", timeout_seconds=30),
        "GET",
        "/api/v1/namespaces/ns/configmaps",
        {
            "watch": "true",
            "resourceVersion": "4",
            "timeoutSeconds": "30",
            "allowWatchBookmarks": "true",
        },
        None,
    ),
    (
        "watch-without-bookmarks",
        lambda cs: cs.core_v1.config_maps("ns").watch(allow_watch_bookmarks=False),
        "GET",
        "/api/v1/namespaces/ns/configmaps",
        {"watch": "true", "allowWatchBookmarks": "false"},
        None,
    ),
    (
        "list-selectors-as-dicts",
        lambda cs: cs.core_v1.config_maps("ns").list(
            label_selector={"tier": "front", "app": "web"}, field_selector={"metadata.name": "a"}
        ),
        "GET",
        "/api/v1/namespaces/ns/configmaps",
        {"labelSelector": "app=web,tier=front", "fieldSelector": "metadata.name=a"},
        None,
    ),
]
IDS = [scenario[0] for scenario in SCENARIOS]


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("name", "action", "method", "path", "params", "content_type"), SCENARIOS, ids=IDS
)
async def test_request_shape(
    kind: str,
    name: str,
    action: Action,
    method: str,
    path: str,
    params: dict[str, str],
    content_type: str | None,
) -> None:
    clientset, captured = capture(kind)
    await call(action(clientset))
    assert len(captured) == 1, [str(r.url) for r in captured]
    request = captured[0]
    assert request.method == method
    assert request.url.path == path
    assert dict(request.url.params) == params
    assert request.headers.get("content-type") == content_type
    assert request.headers["accept"] == "application/json"


async def _capture_scenario(kind: str, action: Action) -> list[tuple[str, str, str, bytes]]:
    clientset, captured = capture(kind)
    await call(action(clientset))
    return [
        (r.method, str(r.url), r.headers.get("content-type", ""), bytes(r.content))
        for r in captured
    ]


@pytest.mark.parametrize(("action",), [(scenario[1],) for scenario in SCENARIOS], ids=IDS)
async def test_sync_and_async_send_identical_requests(action: Action) -> None:
    assert await _capture_scenario("sync", action) == await _capture_scenario("async", action)


# ---- bodies ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_create_body_is_the_wire_form_with_api_version_and_kind(kind: str) -> None:
    clientset, captured = capture(kind)
    created = await call(clientset.core_v1.config_maps("ns").create(cm(k="v")))
    assert body(captured[0]) == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "ns"},
        "data": {"k": "v"},
    }
    assert isinstance(created, ConfigMap)
    assert created.data == {"k": "v"}


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_apply_fills_in_api_version_and_kind(kind: str) -> None:
    clientset, captured = capture(kind)
    await call(
        clientset.apps_v1.deployments("ns").apply(
            # a partial object: apply sends only the fields it owns (spec.selector and
            # spec.template are required by validation, so it is built with `from_raw`)
            Deployment.from_raw({"metadata": {"name": "web"}, "spec": {"replicas": 2}}),
            field_manager="ctl",
        )
    )
    request = captured[0]
    assert body(request) == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"replicas": 2},
    }
    assert dict(request.url.params) == {"fieldManager": "ctl"}


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_apply_keeps_an_explicit_api_version_and_kind(kind: str) -> None:
    clientset, captured = capture(kind)
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}}
    await call(clientset.core_v1.config_maps("ns").apply(obj, field_manager="ctl"))
    assert body(captured[0]) == obj


def test_apply_without_a_field_manager_is_refused() -> None:
    clientset, captured = capture("sync")
    with pytest.raises(rq.RequestBuildError, match="field_manager"):
        clientset.core_v1.config_maps("ns").apply({"metadata": {"name": "cm"}}, field_manager="")
    assert captured == []


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_scale_bodies(kind: str) -> None:
    clientset, captured = capture(kind)
    deployments = clientset.apps_v1.deployments("ns")
    scale = await call(deployments.get_scale("web"))
    assert isinstance(scale, Scale)
    assert scale.spec.replicas == 2
    await call(
        deployments.update_scale("web", {"metadata": {"name": "web"}, "spec": {"replicas": 4}})
    )
    assert body(captured[1]) == {
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": {"name": "web"},
        "spec": {"replicas": 4},
    }


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_delete_options_body(kind: str) -> None:
    clientset, captured = capture(kind)
    await call(
        clientset.core_v1.config_maps("ns").delete(
            "cm",
            propagation_policy="Foreground",
            grace_period_seconds=0,
            preconditions=rq.Preconditions(uid="u-1", resource_version="42"),
            dry_run=True,
        )
    )
    assert body(captured[0]) == {
        "kind": "DeleteOptions",
        "apiVersion": "v1",
        "propagationPolicy": "Foreground",
        "gracePeriodSeconds": 0,
        "preconditions": {"uid": "u-1", "resourceVersion": "42"},
        "dryRun": ["All"],
    }
    await call(clientset.core_v1.config_maps("ns").delete_collection(propagation_policy="Orphan"))
    assert body(captured[1]) == {
        "kind": "DeleteOptions",
        "apiVersion": "v1",
        "propagationPolicy": "Orphan",
    }


def test_bad_delete_options_are_refused_before_sending() -> None:
    clientset, captured = capture("sync")
    with pytest.raises(rq.RequestBuildError, match="propagation_policy"):
        clientset.core_v1.config_maps("ns").delete("cm", propagation_policy="some times")  # type: ignore[arg-type]
    with pytest.raises(rq.RequestBuildError, match="patch_type"):
        clientset.core_v1.config_maps("ns").patch("cm", {}, "text/plain; charset=x")  # type: ignore[arg-type]
    assert captured == []


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_patch_bodies_per_type(kind: str) -> None:
    clientset, captured = capture(kind)
    maps = clientset.core_v1.config_maps("ns")
    operations = [{"op": "replace", "path": "/data/k", "value": "v2"}]
    await call(maps.patch("cm", operations, rq.PatchType.JSON))
    await call(maps.patch("cm", cm(k="v3"), rq.PatchType.MERGE))
    assert body(captured[0]) == operations
    assert body(captured[1]) == {"metadata": {"name": "cm", "namespace": "ns"}, "data": {"k": "v3"}}


def test_update_needs_a_name() -> None:
    clientset, captured = capture("sync")
    with pytest.raises(rq.RequestBuildError, match=r"metadata\.name"):
        clientset.core_v1.config_maps("ns").update(ConfigMap(data={"a": "b"}))
    assert captured == []


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_body_that_is_not_json_is_a_typed_error_naming_the_kind(kind: str) -> None:
    clientset, captured = capture(kind)
    maps = clientset.core_v1.config_maps("ns")
    with pytest.raises(rq.RequestBuildError, match=r"^ConfigMap: .*not JSON-serialisable.*set"):
        await call(maps.create({"metadata": {"name": "cm"}, "data": {"k": {"a set"}}}))
    assert captured == []


# ---- decoding -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_list_iterate_and_watch_decode_to_models(kind: str) -> None:
    clientset, _ = capture(kind)
    maps = clientset.core_v1.config_maps("ns")
    listed = await call(maps.list())
    assert isinstance(listed, ConfigMapList)
    assert [item.metadata.name for item in listed.items] == ["one", "two"]
    assert listed.metadata.resource_version == "9"
    items = await call(maps.iterate())
    assert [type(item) for item in items] == [ConfigMap, ConfigMap]
    # a watch loop gets no BOOKMARK unless it asks for them (the README loop printed them)
    assert [event.type.value for event in await call(maps.watch())] == ["ADDED"]
    events = await call(maps.watch(allow_watch_bookmarks=True))
    assert [event.type.value for event in events] == ["ADDED", "BOOKMARK"]
    assert isinstance(events[0].object, ConfigMap)
    assert events[0].object.metadata.name == "a"
    assert events[1].resource_version == "6"


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_api_errors_are_typed(kind: str) -> None:
    status = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "reason": "NotFound",
        "code": 404,
        "message": 'configmaps "gone" not found',
        "details": {"name": "gone", "kind": "configmaps"},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json=status)

    clientset: Any
    if kind == "sync":
        clientset = Clientset(
            RESTClient(
                http_client=httpx.Client(base_url=BASE, transport=httpx.MockTransport(handler))
            )
        )
    else:
        clientset = AsyncClientset(
            AsyncRESTClient(
                http_client=httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(handler))
            )
        )
    with pytest.raises(NotFoundError) as caught:
        await call(clientset.core_v1.config_maps("ns").get("gone"))
    assert caught.value.name == "gone"


# ---- namespaces and scope -------------------------------------------------------------------------

PER_OBJECT: list[tuple[str, Action]] = [
    ("get", lambda c: c.get("x")),
    ("update", lambda c: c.update(cm("x"))),
    ("patch", lambda c: c.patch("x", {}, rq.PatchType.MERGE)),
    ("apply", lambda c: c.apply(cm("x"), field_manager="m")),
    ("delete", lambda c: c.delete("x")),
]


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(("verb", "action"), PER_OBJECT, ids=[v for v, _ in PER_OBJECT])
async def test_per_object_verbs_refuse_all_namespaces(kind: str, verb: str, action: Action) -> None:
    clientset, captured = capture(kind)
    client = clientset.core_v1.config_maps(ALL_NAMESPACES)
    with pytest.raises(NamespaceRequiredError, match="ALL_NAMESPACES"):
        await call(action(client))
    assert captured == []
    assert issubclass(NamespaceRequiredError, KubetypedError)


def test_scope_is_checked_when_a_client_is_bound() -> None:
    from kubetyped_kubernetes.clients.core_v1 import ConfigMapClient
    from kubetyped_kubernetes.clients.scheduling_v1 import PriorityClassClient

    rest = RESTClient(http_client=httpx.Client(base_url=BASE))
    with pytest.raises(NamespaceRequiredError):
        ConfigMapClient(rest)
    with pytest.raises(KubetypedError, match="cluster-scoped"):
        PriorityClassClient(rest, "ns")


def _group_client_classes() -> list[type[Any]]:
    import importlib
    import pkgutil

    import kubetyped_kubernetes.clients as clients
    from kubetyped.typed.clientset import GroupClient

    found: list[type[Any]] = []
    for module_info in pkgutil.iter_modules(clients.__path__):
        module = importlib.import_module(f"{clients.__name__}.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, GroupClient)
                and value is not GroupClient
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_accessor_signatures_match_resource_scope() -> None:
    rest = RESTClient(http_client=httpx.Client(base_url=BASE))
    checked = 0
    for group_class in _group_client_classes():
        if group_class.__name__.startswith("Async"):
            continue
        group = group_class(rest)
        for name, method in inspect.getmembers(group, inspect.ismethod):
            if name.startswith("_"):
                continue
            parameters = list(inspect.signature(method).parameters)
            client = method("ns") if parameters else method()
            assert parameters in ([], ["namespace"]), (group_class.__name__, name)
            assert client.resource.namespaced == (parameters == ["namespace"]), (
                group_class.__name__,
                name,
            )
            checked += 1
    assert checked > 50


def test_async_group_clients_mirror_sync_ones() -> None:
    classes = {cls.__module__ + ":" + cls.__name__: cls for cls in _group_client_classes()}
    pairs = 0
    for key, sync_class in classes.items():
        if sync_class.__name__.startswith("Async"):
            continue
        module, name = key.split(":")
        async_class = classes[f"{module}:Async{name}"]
        sync_rest = RESTClient(http_client=httpx.Client(base_url=BASE))
        async_rest = AsyncRESTClient(http_client=httpx.AsyncClient(base_url=BASE))
        sync_group, async_group = sync_class(sync_rest), async_class(async_rest)
        for accessor, method in inspect.getmembers(sync_group, inspect.ismethod):
            if accessor.startswith("_"):
                continue
            args = ("ns",) if inspect.signature(method).parameters else ()
            sync_client = method(*args)
            async_client = getattr(async_group, accessor)(*args)
            assert sync_client.resource is async_client.resource
            sync_verbs = {n for n in dir(sync_client) if not n.startswith("_")}
            async_verbs = {n for n in dir(async_client) if not n.startswith("_")}
            assert sync_verbs == async_verbs, (name, accessor)
            for verb in sync_verbs - {"resource"}:
                sync_sig = inspect.signature(getattr(sync_client, verb))
                async_sig = inspect.signature(getattr(async_client, verb))
                assert list(sync_sig.parameters) == list(async_sig.parameters), (name, verb)
        pairs += 1
    assert pairs > 20


def test_clientset_groups_are_cached_and_share_one_rest_client() -> None:
    clientset, _ = capture("sync")
    assert clientset.core_v1 is clientset.core_v1
    assert clientset.core_v1.rest is clientset.rest
    assert clientset.apps_v1.rest is clientset.rest
    assert clientset.scheduling_v1.rest is clientset.rest


# ---- watch streams are closed when the caller stops early ----------------------------------------


class _TrackedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self.closed = False

    def __iter__(self) -> Any:
        yield from self.lines

    async def __aiter__(self) -> Any:
        for line in self.lines:
            yield line

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def _watch_lines() -> list[bytes]:
    event = {"type": "ADDED", "object": {"metadata": {"name": "a", "resourceVersion": "5"}}}
    return [orjson.dumps(event) + b"\n"] * 3


def test_sync_watch_closes_the_stream_when_abandoned() -> None:
    stream = _TrackedStream(_watch_lines())
    transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=stream))
    clientset = Clientset(RESTClient(http_client=httpx.Client(base_url=BASE, transport=transport)))
    events = clientset.core_v1.config_maps("ns").watch()
    first = next(events)
    assert first.object.metadata.name == "a"
    assert not stream.closed
    events.close()
    assert stream.closed


async def test_async_watch_closes_the_stream_when_abandoned() -> None:
    stream = _TrackedStream(_watch_lines())
    transport = httpx.MockTransport(lambda request: httpx.Response(200, stream=stream))
    http = httpx.AsyncClient(base_url=BASE, transport=transport)
    clientset = AsyncClientset(AsyncRESTClient(http_client=http))
    events = clientset.core_v1.config_maps("ns").watch()
    first = await events.__anext__()
    assert first.object.metadata.name == "a"
    assert not stream.closed
    await events.aclose()
    assert stream.closed


def test_clientset_repr_names_the_server_without_credentials() -> None:
    from kubetyped.config import ClientConfig
    from kubetyped_kubernetes import Clientset

    cs = Clientset.from_config(ClientConfig(server="https://user:hunter2@127.0.0.1:6443"))
    try:
        text = repr(cs)
        # the userinfo became basic auth and left the URL (issue 18 item 4a)
        assert text == "Clientset(server='https://127.0.0.1:6443')"
        assert "hunter2" not in text
    finally:
        cs.close()
