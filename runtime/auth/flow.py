"""One auth flow, two drivers: a sans-IO generator yields requests and blocking `Effect`s.

A flow yields either an `httpx.Request` (sent on the client's own connection, the response is sent
back) or an `Effect` (work that blocks: a subprocess, a file, a call to an identity provider). The
sync driver runs `effect.run()`, the async driver awaits `effect.arun()`, so the logic exists once.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any, Generic, TypeVar

import httpx

from kubetyped.errors import register_secret

T = TypeVar("T")

#: Seconds since the epoch; injectable so tests can move time.
Clock = Callable[[], float]
system_clock: Clock = time.time


class Effect(Generic[T]):
    """Blocking work requested by a flow: `run()` in sync clients, `arun()` in async ones."""

    def run(self) -> T:
        raise NotImplementedError

    async def arun(self) -> T:
        raise NotImplementedError


class CallEffect(Effect[T]):
    """A blocking call; the async driver runs it in a worker thread."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn

    def run(self) -> T:
        return self._fn()

    async def arun(self) -> T:
        import asyncio  # only async clients get here; sync ones never load asyncio

        return await asyncio.to_thread(self._fn)


class HttpEffect(Effect[httpx.Response]):
    """A request sent on a separate, short-lived client (e.g. to an identity provider)."""

    def __init__(self, request: httpx.Request, verify: Any = True, timeout: float = 30.0) -> None:
        self.request = request
        self._verify = verify
        self._timeout = timeout

    def run(self) -> httpx.Response:
        with httpx.Client(verify=self._verify, timeout=self._timeout) as client:
            response = client.send(self.request)
            response.read()
            return response

    async def arun(self) -> httpx.Response:
        async with httpx.AsyncClient(verify=self._verify, timeout=self._timeout) as client:
            response = await client.send(self.request)
            await response.aread()
            return response


FlowStep = httpx.Request | Effect[Any]
Flow = Generator[FlowStep, Any, None]


class EffectfulAuth(httpx.Auth):
    """Base of auths whose flow needs blocking work; subclasses implement `flow()`."""

    #: Bodies are buffered so a request can be re-sent after a 401 and a credential refresh.
    requires_request_body = True

    def flow(self, request: httpx.Request) -> Flow:
        raise NotImplementedError

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()
        flow = self.flow(request)
        sent: Any = None
        while True:
            try:
                step = flow.send(sent)
            except StopIteration:
                return
            sent = (yield step) if isinstance(step, httpx.Request) else step.run()

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()
        flow = self.flow(request)
        sent: Any = None
        while True:
            try:
                step = flow.send(sent)
            except StopIteration:
                return
            sent = (yield step) if isinstance(step, httpx.Request) else await step.arun()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        return self.sync_auth_flow(request)


def set_bearer(request: httpx.Request, token: str) -> None:
    register_secret(token)  # redacted from every message and log from now on
    request.headers["Authorization"] = f"Bearer {token}"


def has_authorization(request: httpx.Request) -> bool:
    """client-go leaves requests alone that already carry an Authorization header."""
    return "Authorization" in request.headers
