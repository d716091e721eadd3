"""Retries and rate limiting in the httpx transports (sync and async drive the same plan)."""

from __future__ import annotations

import errno

import httpx
import pytest
from fake_clock import FakeClock
from test_rest_support import (
    MODES,
    Server,
    Sleeps,
    call,
    json_response,
    make_http_client,
    make_rest_client,
    resolve,
    status_body,
)

from kubetyped.errors import (
    KubetypedError,
    ServiceUnavailableError,
    TooManyRequestsError,
    TransportError,
)
from kubetyped.ratelimit import TokenBucketRateLimiter
from kubetyped.request import build_request, watch_request
from kubetyped.retry import (
    DEFAULT_MAX_ATTEMPTS,
    RetryPolicy,
    RetryPolicyError,
    error_retry_delay,
    is_broken_connection,
    retry_after_delay,
)

OK = json_response(200, {"kind": "Pod"})


def throttled(code: int = 429, retry_after: str | None = "1") -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    reason = "TooManyRequests" if code == 429 else "ServiceUnavailable"
    return json_response(code, status_body(code, reason), headers)


async def send(http: httpx.Client | httpx.AsyncClient, method: str = "GET") -> httpx.Response:
    response: httpx.Response = await resolve(http.request(method, "/api/v1/pods"))
    return response


@pytest.mark.parametrize("mode", MODES)
async def test_429_with_retry_after_is_retried_after_sleeping(mode: str) -> None:
    server, sleeps = Server(throttled(429, "2"), OK), Sleeps()
    async with _closing(make_http_client(mode, server, sleeps=sleeps)) as http:
        response = await send(http)
    assert response.status_code == 200
    assert len(server.requests) == 2
    assert sleeps.calls == [2.0]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("code", [500, 503, 504])
async def test_5xx_with_retry_after_is_retried(mode: str, code: int) -> None:
    server, sleeps = Server(throttled(code, "1"), OK), Sleeps()
    async with _closing(make_http_client(mode, server, sleeps=sleeps)) as http:
        assert (await send(http, "POST")).status_code == 200
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_at_most_ten_attempts(mode: str) -> None:
    server, sleeps = Server(throttled(503, "1")), Sleeps()
    client = make_rest_client(mode, server, sleeps=sleeps)
    with pytest.raises(ServiceUnavailableError) as caught:
        await call(client, "get", "/api/v1/pods")
    assert len(server.requests) == DEFAULT_MAX_ATTEMPTS == 10
    assert sleeps.calls == [1.0] * 9
    assert caught.value.retry_after == 1.0
    await resolve(client.close())


@pytest.mark.parametrize("mode", MODES)
async def test_max_attempts_is_configurable(mode: str) -> None:
    server = Server(throttled(429, "0"))
    async with _closing(make_http_client(mode, server, policy=RetryPolicy(max_attempts=3))) as http:
        assert (await send(http)).status_code == 429
    assert len(server.requests) == 3


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "response",
    [
        throttled(429, None),
        throttled(503, None),
        throttled(503, "soon"),
        json_response(404, status_body(404, "NotFound"), {"Retry-After": "1"}),
    ],
    ids=["429-no-header", "503-no-header", "503-not-integer", "404-with-header"],
)
async def test_no_retry_without_integer_retry_after_or_on_4xx(
    mode: str, response: httpx.Response
) -> None:
    server, sleeps = Server(response, OK), Sleeps()
    async with _closing(make_http_client(mode, server, sleeps=sleeps)) as http:
        assert (await send(http)).status_code == response.status_code
    assert len(server.requests) == 1
    assert sleeps.calls == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadError("[Errno 104] Connection reset by peer"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.WriteError("[Errno 32] Broken pipe"),
    ],
    ids=["reset", "eof", "broken-pipe"],
)
async def test_get_is_retried_on_broken_connections(mode: str, error: Exception) -> None:
    server = Server(error, OK)
    client = make_rest_client(mode, server)
    assert (await call(client, "get", "/api/v1/namespaces/d/pods/p")) == {"kind": "Pod"}
    assert len(server.requests) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_writes_are_never_retried_on_connection_errors(mode: str, method: str) -> None:
    server = Server(httpx.ReadError("Connection reset by peer"), OK)
    client = make_rest_client(mode, server)
    request = build_request(method, "/api/v1/namespaces/d/configmaps/c", body=b"{}")
    with pytest.raises(TransportError) as caught:
        await call(client, "send", request)
    assert len(server.requests) == 1
    assert isinstance(caught.value.__cause__, httpx.ReadError)
    assert caught.value.previous is None


@pytest.mark.parametrize("mode", MODES)
async def test_connection_refused_is_not_retried(mode: str) -> None:
    server = Server(httpx.ConnectError("[Errno 111] Connection refused"), OK)
    client = make_rest_client(mode, server)
    with pytest.raises(TransportError, match="Connection refused"):
        await call(client, "get", "/api/v1/pods")
    assert len(server.requests) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_final_error_keeps_the_previous_attempts_cause(mode: str) -> None:
    first = httpx.ReadError("first reset")
    last = httpx.ConnectError("then refused")
    server = Server(first, last)
    client = make_rest_client(mode, server)
    with pytest.raises(TransportError) as caught:
        await call(client, "get", "/api/v1/pods")
    error = caught.value
    assert error.__cause__ is last
    assert error.previous is first
    assert "then refused" in str(error) and "previous attempt: ReadError: first reset" in str(error)
    assert any("first reset" in note for note in getattr(last, "__notes__", []))


@pytest.mark.parametrize("mode", MODES)
async def test_previous_throttled_answer_is_kept_when_the_retry_fails(mode: str) -> None:
    server = Server(throttled(429, "1"), httpx.ConnectError("refused"))
    client = make_rest_client(mode, server)
    with pytest.raises(TransportError) as caught:
        await call(client, "get", "/api/v1/pods")
    assert caught.value.previous == "HTTP 429 (Retry-After: 1)"


@pytest.mark.parametrize("mode", MODES)
async def test_exhausted_connection_retries_raise_the_last_error(mode: str) -> None:
    errors = [httpx.ReadError(f"reset {i}") for i in range(12)]
    server = Server(*errors)
    client = make_rest_client(mode, server)
    with pytest.raises(TransportError) as caught:
        await call(client, "get", "/api/v1/pods")
    assert len(server.requests) == 10
    assert caught.value.__cause__ is errors[9]
    assert caught.value.previous is errors[8]


@pytest.mark.parametrize("mode", MODES)
async def test_throttled_answer_exhausted_is_typed(mode: str) -> None:
    server = Server(throttled(429, "0"))
    client = make_rest_client(mode, server)
    with pytest.raises(TooManyRequestsError):
        await call(client, "list", "/api/v1/pods")


@pytest.mark.parametrize("mode", MODES)
async def test_limiter_waits_before_every_attempt_including_retries(mode: str) -> None:
    clock = FakeClock()
    sleeps = Sleeps(clock)
    limiter = TokenBucketRateLimiter(qps=0.5, burst=1, clock=clock)
    server = Server(throttled(429, "1"), OK)
    async with _closing(make_http_client(mode, server, limiter=limiter, sleeps=sleeps)) as http:
        assert (await send(http)).status_code == 200
    # attempt 1 takes the burst token; Retry-After 1s refills half a token; attempt 2 waits 1s
    assert sleeps.calls == [1.0, pytest.approx(1.0)]


@pytest.mark.parametrize("mode", MODES)
async def test_watches_skip_the_limiter_but_gets_do_not(mode: str) -> None:
    clock = FakeClock()
    sleeps = Sleeps(clock)
    limiter = TokenBucketRateLimiter(qps=1, burst=1, clock=clock)
    server = Server(OK)
    async with _closing(make_http_client(mode, server, limiter=limiter, sleeps=sleeps)) as http:
        for _ in range(3):
            request = http.build_request(
                "GET", "/api/v1/pods", extensions=dict(watch_request("/api/v1/pods").extensions)
            )
            await resolve(http.send(request))
        assert sleeps.calls == []
        await send(http)
        await send(http)
    assert sleeps.calls == [pytest.approx(1.0)]


def test_broken_connection_detection_follows_the_cause_chain() -> None:
    wrapped = httpx.ConnectError("failed")
    wrapped.__cause__ = ConnectionResetError(errno.ECONNRESET, "reset")
    assert is_broken_connection(wrapped)
    assert is_broken_connection(httpx.RemoteProtocolError("eof"))
    assert not is_broken_connection(httpx.ConnectError("refused"))
    assert not is_broken_connection(httpx.ReadTimeout("slow"))


def test_pure_decisions() -> None:
    policy = RetryPolicy()
    get = httpx.Request("GET", "https://h/x")
    post = httpx.Request("POST", "https://h/x")
    reset = httpx.ReadError("reset")
    assert error_retry_delay(get, reset, policy) == 0.0
    assert error_retry_delay(post, reset, policy) is None
    assert retry_after_delay(httpx.Response(429, headers={"Retry-After": "5"})) == 5.0
    assert (
        retry_after_delay(httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015"})) is None
    )
    assert retry_after_delay(httpx.Response(200, headers={"Retry-After": "5"})) is None
    with pytest.raises(RetryPolicyError, match="max_attempts must be at least 1, got 0") as info:
        RetryPolicy(max_attempts=0)
    assert isinstance(info.value, KubetypedError) and isinstance(info.value, ValueError)


class _closing:
    """`async with` over a sync or async httpx client."""

    def __init__(self, http: httpx.Client | httpx.AsyncClient) -> None:
        self.http = http

    async def __aenter__(self) -> httpx.Client | httpx.AsyncClient:
        return self.http

    async def __aexit__(self, *exc: object) -> None:
        if isinstance(self.http, httpx.Client):
            self.http.close()
        else:
            await self.http.aclose()
