"""Shared helpers of the REST-layer tests (no tests here): scripted servers, sync/async drivers."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import orjson

from kubetyped.config import ClientConfig
from kubetyped.ratelimit import TokenBucketRateLimiter
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.retry import RetryPolicy
from kubetyped.transport import build_async_http_client, build_http_client
from kubetyped.warnings import WarningHandler

SERVER = "https://127.0.0.1:6443"
MODES = ["sync", "async"]

Step = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def make_config(**overrides: Any) -> ClientConfig:
    fields: dict[str, Any] = {"server": SERVER, "qps": -1}
    fields.update(overrides)
    return ClientConfig(**fields)


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=orjson.dumps(body),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def status_body(code: int, reason: str, message: str = "failed") -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "code": code,
        "reason": reason,
        "message": message,
    }


class Server:
    """A scripted apiserver: answers each request with the next step (the last one repeats)."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        step = self.steps[min(len(self.requests), len(self.steps)) - 1]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):  # a fresh copy: responses are consumed once
            return httpx.Response(step.status_code, headers=step.headers, content=step.content)
        return step(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in the given chunks (sync and async)."""

    def __init__(self, chunks: list[bytes], error: Exception | None = None) -> None:
        self.chunks = chunks
        self.error = error
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        if self.error is not None:
            raise self.error

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class Sleeps:
    """Records sleeps instead of sleeping; optionally moves a fake clock."""

    def __init__(self, clock: Any = None) -> None:
        self.calls: list[float] = []
        self.clock = clock

    def sync(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.clock is not None:
            self.clock.advance(seconds)

    async def async_(self, seconds: float) -> None:
        self.sync(seconds)


def make_http_client(
    mode: str,
    server: Server,
    *,
    config: ClientConfig | None = None,
    limiter: TokenBucketRateLimiter | None = None,
    sleeps: Sleeps | None = None,
    policy: RetryPolicy | None = None,
) -> httpx.Client | httpx.AsyncClient:
    config = config or make_config()
    sleeps = sleeps or Sleeps()
    if mode == "sync":
        return build_http_client(
            config, limiter, transport=server.transport, retry_policy=policy, sleep=sleeps.sync
        )
    return build_async_http_client(
        config, limiter, transport=server.transport, retry_policy=policy, sleep=sleeps.async_
    )


def make_rest_client(
    mode: str,
    server: Server,
    *,
    warning_handler: WarningHandler | None = None,
    **kwargs: Any,
) -> RESTClient | AsyncRESTClient:
    http = make_http_client(mode, server, **kwargs)
    if isinstance(http, httpx.Client):
        return RESTClient(http_client=http, warning_handler=warning_handler)
    return AsyncRESTClient(http_client=http, warning_handler=warning_handler)


async def resolve(value: Any) -> Any:
    """The value of a sync call, or the awaited value of an async one."""
    if inspect.isawaitable(value):
        return await value
    return value


async def collect(iterable: Any) -> list[Any]:
    """All items of a sync or async iterable."""
    if hasattr(iterable, "__aiter__"):
        return [item async for item in iterable]
    return list(iterable)


async def call(client: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    return await resolve(getattr(client, method)(*args, **kwargs))
