"""httpx clients built from a config: headers, proxy, TLS name, timeouts, real transport via respx."""

from __future__ import annotations

import gc

import httpx
import pytest
import respx
from test_rest_support import SERVER, Server, json_response, make_config

from kubetyped.auth.impersonation import Impersonation
from kubetyped.request import build_request, watch_request
from kubetyped.rest import RESTClient
from kubetyped.transport import (
    RetryTransport,
    build_async_http_client,
    build_http_client,
    no_proxy_matches,
    resolve_proxy,
    shared_limiter,
)
from kubetyped.version import VERSION, default_user_agent


def test_default_headers() -> None:
    config = make_config(
        user_agent="",
        impersonate=Impersonation(user="jane", groups=("dev", "ops")),
        disable_compression=True,
    )
    server = Server(json_response(200, {}))
    with build_http_client(config, transport=server.transport) as http:
        http.get("/version")
    headers = server.requests[0].headers
    assert headers["User-Agent"] == default_user_agent()  # the one default, also ClientConfig's
    assert headers["User-Agent"].startswith(f"kubetyped/{VERSION} (")
    assert headers["Accept"] == "application/json"
    assert headers["Impersonate-User"] == "jane"
    assert headers.get_list("Impersonate-Group") == ["dev", "ops"]
    assert headers["Accept-Encoding"] == "identity"


def test_config_user_agent_and_compression_by_default() -> None:
    server = Server(json_response(200, {}))
    with build_http_client(
        make_config(user_agent="my-operator/1.2"), transport=server.transport
    ) as http:
        http.get("/version")
    headers = server.requests[0].headers
    assert headers["User-Agent"] == "my-operator/1.2"
    assert "gzip" in headers["Accept-Encoding"]
    assert "Impersonate-User" not in headers


def test_timeouts_default_and_from_config() -> None:
    with build_http_client(make_config(), transport=Server().transport) as http:
        assert http.timeout == httpx.Timeout(30.0)
    with build_http_client(make_config(timeout=4.5), transport=Server().transport) as http:
        assert http.timeout == httpx.Timeout(4.5)


class Recording(httpx.BaseTransport):
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})


def test_stream_timeouts_are_set_per_request() -> None:
    inner = Recording()
    http = httpx.Client(base_url=SERVER, transport=RetryTransport(inner), timeout=7.0)
    for built in (build_request("GET", "/api/v1/pods"), watch_request("/api/v1/pods")):
        http.send(http.build_request(built.method, built.url, extensions=dict(built.extensions)))
    plain, watch = inner.requests
    assert plain.extensions["timeout"] == {"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 7.0}
    assert watch.extensions["timeout"] == {"connect": 7.0, "read": None, "write": 7.0, "pool": 7.0}
    http.close()


def test_proxy_url_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert resolve_proxy("https://api.example:6443", "http://mine:8080") == "http://mine:8080"
    assert resolve_proxy("https://api.example:6443", None) == "http://env-proxy:3128"
    # like Go, loopback servers are not proxied from the environment
    assert resolve_proxy("https://127.0.0.1:6443", None) is None
    assert resolve_proxy("https://localhost:6443", None) is None
    monkeypatch.setenv("NO_PROXY", ".example")
    assert resolve_proxy("https://api.example:6443", None) is None


@pytest.mark.parametrize(
    ("host", "no_proxy", "expected"),
    [
        ("api.corp.example", "corp.example", True),
        ("api.corp.example", ".corp.example", True),
        ("api.corp.example", "*.corp.example", True),
        ("corp.example", "corp.example", True),
        ("notcorp.example", "corp.example", False),
        ("10.1.2.3", "10.0.0.0/8", True),
        ("11.1.2.3", "10.0.0.0/8", False),
        ("anything", "*", True),
        ("api.example", "api.example:6443", True),
        ("api.example", "", False),
    ],
)
def test_no_proxy_matching(host: str, no_proxy: str, expected: bool) -> None:
    assert no_proxy_matches(host, no_proxy) is expected


def test_proxied_client_has_no_env_trust() -> None:
    config = make_config(proxy_url="http://127.0.0.1:3128")
    with build_http_client(config) as http:
        assert http.trust_env is False
        transport = http._transport
        assert isinstance(transport, RetryTransport)
        pool = transport.inner._pool  # type: ignore[attr-defined]
        assert type(pool).__name__ == "HTTPProxy"


def test_shared_limiter_is_per_config_object_and_forgotten_with_it() -> None:
    config = make_config(qps=3, burst=4)
    limiter = shared_limiter(config)
    assert limiter is not None and shared_limiter(config) is limiter
    assert shared_limiter(make_config(qps=3, burst=4)) is not limiter
    from kubetyped import transport as module

    key = id(config)
    assert key in module._shared
    del config
    gc.collect()
    assert key not in module._shared


@respx.mock
def test_real_http_transport_with_respx_retries_and_headers() -> None:
    route = respx.get(f"{SERVER}/api/v1/namespaces/default/pods/p").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "0"}, json={"kind": "Status", "code": 429}),
            httpx.Response(200, json={"kind": "Pod"}),
        ]
    )
    config = make_config(impersonate=Impersonation(user="bob"))
    with RESTClient(http_client=build_http_client(config, sleep=lambda s: None)) as client:
        client_owned = client
        assert client.get("/api/v1/namespaces/default/pods/p") == {"kind": "Pod"}
    assert route.call_count == 2
    assert route.calls.last.request.headers["Impersonate-User"] == "bob"
    assert not client_owned.http_client.is_closed  # borrowed http clients stay open
    client_owned.http_client.close()


@respx.mock
async def test_real_async_transport_with_respx() -> None:
    respx.get(f"{SERVER}/version").mock(
        side_effect=[
            httpx.ReadError("Connection reset by peer"),
            httpx.Response(200, json={"v": 1}),
        ]
    )
    async with build_async_http_client(make_config()) as http:
        response = await http.get("/version")
    assert response.json() == {"v": 1}
