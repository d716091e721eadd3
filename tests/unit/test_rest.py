"""RESTClient / AsyncRESTClient over scripted servers: verbs, errors, pages, watches, warnings."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import orjson
import pytest
from test_rest_support import (
    MODES,
    SERVER,
    Chunks,
    Server,
    call,
    collect,
    json_response,
    make_config,
    make_rest_client,
    resolve,
    status_body,
)

from kubetyped.errors import (
    AlreadyExistsError,
    ApiError,
    ConflictError,
    ExpiredError,
    ForbiddenError,
    InvalidError,
    NotFoundError,
    ResponseDecodeError,
    TransportError,
    UnauthorizedError,
)
from kubetyped.request import (
    ApplyOptions,
    DeleteOptions,
    GetOptions,
    ListOptions,
    PatchType,
    ResourcePath,
    WriteOptions,
    build_request,
)
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.warnings import LoggingWarningHandler
from kubetyped.watch import EventType

PODS = ResourcePath("", "v1", "pods", "default")
POD = PODS.named("web-0")


def pod(name: str, rv: str = "1") -> dict[str, Any]:
    return {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": name, "resourceVersion": rv}}


def pod_list(names: list[str], rv: str = "100", continue_: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"resourceVersion": rv}
    if continue_:
        metadata["continue"] = continue_
    return {
        "kind": "PodList",
        "apiVersion": "v1",
        "metadata": metadata,
        "items": [pod(n) for n in names],
    }


def event_line(event_type: str, obj: dict[str, Any]) -> bytes:
    return orjson.dumps({"type": event_type, "object": obj}) + b"\n"


# --- verbs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_get_resolves_against_the_server_and_decodes(mode: str) -> None:
    server = Server(json_response(200, pod("web-0")))
    client = make_rest_client(mode, server)
    assert await call(client, "get", POD, GetOptions(resource_version="0")) == pod("web-0")
    (request,) = server.requests
    assert str(request.url) == f"{SERVER}/api/v1/namespaces/default/pods/web-0?resourceVersion=0"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("kubetyped/")


@pytest.mark.parametrize("mode", MODES)
async def test_server_path_prefix_is_kept(mode: str) -> None:
    server = Server(json_response(200, pod("web-0")))
    client = make_rest_client(mode, server, config=make_config(server=SERVER + "/k8s/clusters/c1"))
    await call(client, "get", POD)
    assert server.requests[0].url.path == "/k8s/clusters/c1/api/v1/namespaces/default/pods/web-0"


@pytest.mark.parametrize("mode", MODES)
async def test_bytes_in_and_out_for_the_typed_fast_path(mode: str) -> None:
    server = Server(json_response(200, pod("web-0")))
    client = make_rest_client(mode, server)
    raw = await call(client, "get_bytes", POD, accept="application/json;as=Table")
    assert orjson.loads(raw) == pod("web-0")
    assert server.requests[0].headers["Accept"] == "application/json;as=Table"
    created = await call(client, "create", PODS, b'{"kind":"Pod"}')
    assert created == pod("web-0")
    assert server.requests[1].content == b'{"kind":"Pod"}'


@pytest.mark.parametrize("mode", MODES)
async def test_write_verbs(mode: str) -> None:
    server = Server(lambda request: json_response(200, {"echo": request.method}))
    client = make_rest_client(mode, server)
    body = pod("web-0")
    assert await call(client, "create", PODS, body, WriteOptions(field_manager="me")) == {
        "echo": "POST"
    }
    assert await call(client, "update", POD, body, WriteOptions(dry_run=True)) == {"echo": "PUT"}
    assert await call(
        client, "patch", POD, [{"op": "add", "path": "/x", "value": 1}], PatchType.JSON
    ) == {"echo": "PATCH"}
    assert await call(client, "apply", POD, body, ApplyOptions("kubetyped", force=True)) == {
        "echo": "PATCH"
    }
    assert await call(client, "delete", POD, DeleteOptions(propagation_policy="Background")) == {
        "echo": "DELETE"
    }
    assert await call(
        client, "delete_collection", PODS, ListOptions(label_selector="a=b"), DeleteOptions()
    ) == {"echo": "DELETE"}
    create, update, patch, apply, delete, delete_collection = server.requests
    assert create.url.params["fieldManager"] == "me"
    assert orjson.loads(create.content) == body
    assert update.url.params["dryRun"] == "All"
    assert patch.headers["Content-Type"] == "application/json-patch+json"
    assert apply.headers["Content-Type"] == "application/apply-patch+yaml"
    assert dict(apply.url.params) == {"fieldManager": "kubetyped", "force": "true"}
    assert orjson.loads(delete.content)["propagationPolicy"] == "Background"
    assert delete_collection.url.path == "/api/v1/namespaces/default/pods"
    assert delete_collection.url.params["labelSelector"] == "a=b"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("code", "reason", "cls"),
    [
        (401, "Unauthorized", UnauthorizedError),
        (403, "Forbidden", ForbiddenError),
        (404, "NotFound", NotFoundError),
        (409, "AlreadyExists", AlreadyExistsError),
        (409, "Conflict", ConflictError),
        (422, "Invalid", InvalidError),
    ],
)
async def test_non_2xx_raises_the_typed_error(
    mode: str, code: int, reason: str, cls: type[ApiError]
) -> None:
    server = Server(json_response(code, status_body(code, reason, "nope")))
    client = make_rest_client(mode, server)
    with pytest.raises(cls) as caught:
        await call(client, "create", PODS, pod("web-0"))
    assert caught.value.code == code
    assert str(caught.value) == f"POST /api/v1/namespaces/default/pods: {code} {reason}: nope"


@pytest.mark.parametrize("mode", MODES)
async def test_errors_never_carry_the_authorization_header(mode: str) -> None:
    token = "sekret-token-value-123456"

    class Bearer(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Any:
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    server = Server(
        json_response(401, status_body(401, "Unauthorized", "Unauthorized")),
        httpx.ConnectError("refused"),
    )
    client = make_rest_client(mode, server, config=make_config(auth=Bearer()))
    with pytest.raises(UnauthorizedError) as api:
        await call(client, "get", POD)
    with pytest.raises(TransportError) as transport:
        await call(client, "get", POD)
    assert server.requests[0].headers["Authorization"] == f"Bearer {token}"
    for error in (api.value, transport.value):
        assert token not in str(error) and token not in repr(error)
        assert "Authorization" not in str(error)


@pytest.mark.parametrize("mode", MODES)
async def test_non_json_success_is_a_typed_error(mode: str) -> None:
    server = Server(httpx.Response(200, content=b"<html>"), httpx.Response(200, json=[1]))
    client = make_rest_client(mode, server)
    with pytest.raises(ResponseDecodeError, match="not JSON"):
        await call(client, "get", POD)
    with pytest.raises(ResponseDecodeError, match="expected a JSON object"):
        await call(client, "get", POD)


@pytest.mark.parametrize("mode", MODES)
async def test_text_and_log_lines(mode: str) -> None:
    server = Server(
        httpx.Response(200, content=b"line 1\nline 2\n"),
        lambda r: httpx.Response(200, stream=Chunks([b"first li", b"ne\nsecond", b" line\nthird"])),
    )
    client = make_rest_client(mode, server)
    log = POD.named("web-0", "log")
    assert await call(client, "get_text", log, {"container": "app"}) == "line 1\nline 2\n"
    lines = await collect(client.stream_lines(log, {"follow": "true"}))
    assert lines == ["first line", "second line", "third"]
    assert server.requests[1].url.params["follow"] == "true"
    # log streams have no read timeout, unlike plain requests
    assert server.requests[0].extensions["timeout"]["read"] == 30.0
    assert server.requests[1].extensions["timeout"]["read"] is None


# --- pagination ------------------------------------------------------------------------------


def paged_server(expire_continue: bool = False) -> Server:
    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        token = params.get("continue")
        if "limit" not in params:
            return json_response(200, pod_list(["a", "b", "c", "d", "e"], rv="200"))
        if token is None:
            return json_response(200, pod_list(["a", "b"], continue_="t1"))
        if expire_continue:
            return json_response(410, status_body(410, "Expired", "continue token expired"))
        if token == "t1":
            return json_response(200, pod_list(["c", "d"], continue_="t2"))
        return json_response(200, pod_list(["e"], rv="100"))

    return Server(answer)


@pytest.mark.parametrize("mode", MODES)
async def test_list_pages_follows_continue_tokens(mode: str) -> None:
    server = paged_server()
    client = make_rest_client(mode, server)
    options = ListOptions(label_selector="app=web", resource_version="0")
    pages = await collect(client.list_pages(PODS, options, page_size=2))
    assert [[i["metadata"]["name"] for i in p["items"]] for p in pages] == [
        ["a", "b"],
        ["c", "d"],
        ["e"],
    ]
    params = [dict(r.url.params) for r in server.requests]
    assert params[0] == {"labelSelector": "app=web", "resourceVersion": "0", "limit": "2"}
    # continue requests drop resourceVersion (the token pins it) and keep the selector
    assert params[1] == {"labelSelector": "app=web", "limit": "2", "continue": "t1"}
    assert params[2]["continue"] == "t2"


@pytest.mark.parametrize("mode", MODES)
async def test_list_all_joins_pages(mode: str) -> None:
    client = make_rest_client(mode, paged_server())
    result = await call(client, "list_all", PODS, page_size=2)
    assert [i["metadata"]["name"] for i in result["items"]] == ["a", "b", "c", "d", "e"]
    assert result["kind"] == "PodList"
    assert "continue" not in result["metadata"]


@pytest.mark.parametrize("mode", MODES)
async def test_expired_continue_token_falls_back_to_a_full_list(mode: str) -> None:
    server = paged_server(expire_continue=True)
    client = make_rest_client(mode, server)
    result = await call(client, "list_all", PODS, ListOptions(resource_version="50"), page_size=2)
    assert [i["metadata"]["name"] for i in result["items"]] == ["a", "b", "c", "d", "e"]
    assert result["metadata"]["resourceVersion"] == "200"
    last = dict(server.requests[-1].url.params)
    assert last == {"resourceVersion": "50"}  # no limit, no continue, the rv asked for
    assert len(server.requests) == 3


@pytest.mark.parametrize("mode", MODES)
async def test_list_pages_raises_the_410_after_the_pages_yielded(mode: str) -> None:
    # client-go's EachListItem returns the error; restarting would yield items twice
    client = make_rest_client(mode, paged_server(expire_continue=True))
    pages: list[Any] = []

    async def walk() -> None:
        stream = client.list_pages(PODS, page_size=2)
        if mode == "sync":
            pages.extend(stream)
        else:
            async for page in stream:
                pages.append(page)

    with pytest.raises(ExpiredError):
        await walk()
    assert [len(p["items"]) for p in pages] == [2]


@pytest.mark.parametrize("mode", MODES)
async def test_expired_first_page_is_not_swallowed(mode: str) -> None:
    server = Server(json_response(410, status_body(410, "Expired", "too old")))
    client = make_rest_client(mode, server)
    with pytest.raises(ExpiredError):
        await call(client, "list_all", PODS, ListOptions(resource_version="1"))
    assert len(server.requests) == 1


# --- watch -----------------------------------------------------------------------------------


def watch_server(chunks: list[bytes], error: Exception | None = None) -> Server:
    return Server(lambda request: httpx.Response(200, stream=Chunks(chunks, error)))


@pytest.mark.parametrize("mode", MODES)
async def test_watch_streams_events_across_chunks(mode: str) -> None:
    data = (
        event_line("ADDED", pod("a", "11"))
        + event_line("BOOKMARK", {"metadata": {"resourceVersion": "20"}})
        + event_line("DELETED", pod("a", "21"))
    )
    chunks = [data[i : i + 9] for i in range(0, len(data), 9)]
    server = watch_server(chunks)
    client = make_rest_client(mode, server)
    options = ListOptions(resource_version="10", allow_watch_bookmarks=True, timeout_seconds=60)
    stream = client.watch(PODS, options)
    events = await collect(stream)
    assert [e.type for e in events] == [EventType.ADDED, EventType.BOOKMARK, EventType.DELETED]
    assert stream.resource_version == "21"
    (request,) = server.requests
    assert dict(request.url.params) == {
        "resourceVersion": "10",
        "allowWatchBookmarks": "true",
        "timeoutSeconds": "60",
        "watch": "true",
    }
    # the watch's idle timeout is its read timeout: min(150 s with bookmarks, timeoutSeconds + 30)
    assert request.extensions["timeout"]["read"] == 90.0


@pytest.mark.parametrize("mode", MODES)
async def test_watch_error_410_raises_expired_after_earlier_events(mode: str) -> None:
    gone = status_body(410, "Expired", "too old resource version: 1 (50)")
    server = watch_server([event_line("ADDED", pod("a", "5")) + event_line("ERROR", gone)])
    client = make_rest_client(mode, server)
    stream = client.watch(PODS, ListOptions(resource_version="1"))
    seen = []
    with pytest.raises(ExpiredError, match="too old resource version"):
        async for event in _aiter(stream):
            seen.append(event)
    assert [e.type for e in seen] == [EventType.ADDED]
    assert stream.resource_version == "5"
    assert await collect(stream) == []  # closed after the error


@pytest.mark.parametrize("mode", MODES)
async def test_watch_error_events_can_be_returned(mode: str) -> None:
    gone = status_body(410, "Gone", "gone")
    server = watch_server([event_line("ERROR", gone)])
    client = make_rest_client(mode, server)
    (event,) = await collect(client.watch(PODS, raise_errors=False))
    assert event.type is EventType.ERROR
    assert isinstance(event.error(), ExpiredError)


@pytest.mark.parametrize("mode", MODES)
async def test_watch_open_failure_is_typed(mode: str) -> None:
    server = Server(json_response(403, status_body(403, "Forbidden", "no watch for you")))
    client = make_rest_client(mode, server)
    with pytest.raises(ForbiddenError, match="no watch for you"):
        await collect(client.watch(PODS))


@pytest.mark.parametrize("mode", MODES)
async def test_watch_broken_mid_stream_is_a_transport_error(mode: str) -> None:
    server = watch_server(
        [event_line("ADDED", pod("a", "5"))], httpx.RemoteProtocolError("peer closed connection")
    )
    client = make_rest_client(mode, server)
    stream = client.watch(PODS)
    seen = []
    with pytest.raises(TransportError, match="peer closed connection"):
        async for event in _aiter(stream):
            seen.append(event)
    assert len(seen) == 1 and stream.resource_version == "5"


@pytest.mark.parametrize("mode", MODES)
async def test_watch_close_ends_the_stream(mode: str) -> None:
    body = Chunks([event_line("ADDED", pod("a", "1")), event_line("ADDED", pod("b", "2"))])
    client = make_rest_client(mode, Server(lambda r: httpx.Response(200, stream=body)))
    stream = client.watch(PODS)
    first = await _next(stream)
    assert first.object["metadata"]["name"] == "a"
    await resolve(stream.close())
    assert body.closed
    assert await collect(stream) == []


# --- warnings --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_warnings_go_to_the_client_handler_once_per_text(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    headers = [
        ("Warning", '299 - "v1beta1 is deprecated"'),
        ("Warning", '299 - "unknown field \\"spec.x\\"", 299 - "v1beta1 is deprecated"'),
    ]
    server = Server(lambda r: httpx.Response(200, json={}, headers=headers))
    client = make_rest_client(mode, server, warning_handler=LoggingWarningHandler())
    with caplog.at_level(logging.WARNING, logger="kubetyped.warnings"):
        for _ in range(3):
            await call(client, "get", POD)
    texts = [r.getMessage() for r in caplog.records if r.name == "kubetyped.warnings"]
    assert texts == ["v1beta1 is deprecated", 'unknown field "spec.x"']


@pytest.mark.parametrize("mode", MODES)
async def test_warnings_on_error_answers_are_handled_too(mode: str) -> None:
    seen: list[tuple[int, str, str]] = []

    class Collect:
        def handle_warning(self, code: int, agent: str, text: str) -> None:
            seen.append((code, agent, text))

    server = Server(
        json_response(
            404, status_body(404, "NotFound"), {"Warning": '299 kube-apiserver "careful"'}
        )
    )
    client = make_rest_client(mode, server, warning_handler=Collect())
    with pytest.raises(NotFoundError):
        await call(client, "get", POD)
    assert seen == [(299, "kube-apiserver", "careful")]


# --- construction ----------------------------------------------------------------------------


def test_clients_from_one_config_share_one_limiter() -> None:
    config = make_config(qps=7, burst=3)
    first, second = RESTClient.from_config(config), RESTClient(config)
    limiter = first.http_client._transport.limiter  # type: ignore[attr-defined]
    assert limiter is not None and (limiter.qps, limiter.burst) == (7.0, 3)
    assert second.http_client._transport.limiter is limiter  # type: ignore[attr-defined]
    other = RESTClient(make_config(qps=7, burst=3))
    assert other.http_client._transport.limiter is not limiter  # type: ignore[attr-defined]
    disabled = RESTClient(make_config(qps=-1))
    assert disabled.http_client._transport.limiter is None  # type: ignore[attr-defined]
    for client in (first, second, other, disabled):
        client.close()


def test_closing_a_client_closes_only_what_it_owns() -> None:
    own = RESTClient(make_config())
    with own:
        pass
    assert own.http_client.is_closed
    borrowed = httpx.Client(base_url=SERVER)
    with RESTClient(http_client=borrowed):
        pass
    assert not borrowed.is_closed
    borrowed.close()


async def test_async_client_context_manager_closes() -> None:
    client = AsyncRESTClient(make_config())
    async with client:
        pass
    assert client.http_client.is_closed


def test_a_client_needs_a_config_or_an_http_client() -> None:
    with pytest.raises(TypeError):
        RESTClient()


@pytest.mark.parametrize("mode", MODES)
async def test_send_accepts_prebuilt_requests(mode: str) -> None:
    server = Server(json_response(200, {"major": "1"}))
    client = make_rest_client(mode, server)
    response = await call(client, "send", build_request("GET", "/version"))
    assert response.json() == {"major": "1"}
    assert server.requests[0].url == httpx.URL(f"{SERVER}/version")


async def _aiter(stream: Any) -> Any:
    if hasattr(stream, "__aiter__"):
        async for item in stream:
            yield item
    else:
        for item in stream:
            yield item


async def _next(stream: Any) -> Any:
    if hasattr(stream, "__anext__"):
        return await stream.__anext__()
    return next(stream)
