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

__all__ = ["Clock", "EffectfulAuth", "system_clock"]

T = TypeVar("T")

#: Seconds since the epoch; injectable so tests can move time.
Clock = Callable[[], float]
system_clock: Clock = time.time


class Effect(Generic[T]):
    """Blocking work requested by a flow: `run()` in sync clients, `arun()` in async ones."""

    def run(self) -> T:
        """Do the work in the calling thread and return its result (sync clients)."""
        raise NotImplementedError

    async def arun(self) -> T:
        """Do the work without blocking the event loop and return its result (async clients)."""
        raise NotImplementedError


class CallEffect(Effect[T]):
    """A blocking call; the async driver runs it in a worker thread."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn

    def run(self) -> T:
        """Call the function in the calling thread."""
        return self._fn()

    async def arun(self) -> T:
        """Call the function in a worker thread (`asyncio.to_thread`) so the event loop keeps running."""
        import asyncio  # only async clients get here; sync ones never load asyncio

        return await asyncio.to_thread(self._fn)


class HttpEffect(Effect[httpx.Response]):
    """A request sent on a separate, short-lived client (e.g. to an identity provider)."""

    def __init__(self, request: httpx.Request, verify: Any = True, timeout: float = 30.0) -> None:
        self.request = request
        self._verify = verify
        self._timeout = timeout

    def run(self) -> httpx.Response:
        """Send the request on a new `httpx.Client` (its own TLS `verify` and `timeout` in seconds) and
        return the fully read response. httpx errors propagate.
        """
        with httpx.Client(verify=self._verify, timeout=self._timeout) as client:
            response = client.send(self.request)
            response.read()
            return response

    async def arun(self) -> httpx.Response:
        """Send the request on a new `httpx.AsyncClient` and return the fully read response."""
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
        """The sans-IO flow for one request: yield the request (with credentials set) and receive its
        response, or yield an `Effect` and receive its result. Subclasses implement it.
        """
        raise NotImplementedError

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """httpx's blocking auth hook: drives `flow()`, running effects with `Effect.run()`."""
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
        """httpx's asyncio auth hook: drives `flow()`, awaiting effects with `Effect.arun()`."""
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
        """httpx's generic hook, the blocking driver (`sync_auth_flow`)."""
        return self.sync_auth_flow(request)


def set_bearer(request: httpx.Request, token: str) -> None:
    """Set `Authorization: Bearer <token>` on `request` and register the token as a secret, so
    `kubetyped.errors.redact` removes it from every later message and log.
    """
    register_secret(token)  # redacted from every message and log from now on
    request.headers["Authorization"] = f"Bearer {token}"


def has_authorization(request: httpx.Request) -> bool:
    """client-go leaves requests alone that already carry an Authorization header."""
    return "Authorization" in request.headers
