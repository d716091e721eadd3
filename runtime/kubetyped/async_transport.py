"""`build_async_http_client`: the httpx client of one apiserver, with rate limiting and retries.

`AsyncRetryTransport` waits on the rate limiter before every attempt (watches excepted), retries
as `RetryPlan` decides and drops pooled connections when the client certificate rotates.
"""

from __future__ import annotations

import httpx

from kubetyped import concurrency
from kubetyped.auth.tls import CertRotation
from kubetyped.ratelimit import TokenBucketRateLimiter
from kubetyped.retry import RetryPlan, RetryPolicy
from kubetyped.transport import (
    AsyncSleep,
    RotationWatch,
    TransportConfig,
    cert_rotation,
    client_kwargs,
    network_transport,
    prepare_extensions,
    shared_limiter,
)

__all__ = ["AsyncRetryTransport", "build_async_http_client"]


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Rate limiting + retries around another transport (the I/O driver of `RetryPlan`)."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        limiter: TokenBucketRateLimiter | None = None,
        policy: RetryPolicy | None = None,
        sleep: AsyncSleep | None = None,
        cert_rotation: CertRotation | None = None,
    ) -> None:
        self.inner = inner
        self.limiter = limiter
        self.policy = policy or RetryPolicy()
        self._sleep = sleep or concurrency.async_sleep
        self._rotation = RotationWatch(cert_rotation)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """httpx's transport hook: send `request` through the inner transport, waiting on the rate
        limiter before each attempt and retrying as `RetryPlan` decides (429/5xx with `Retry-After`,
        broken connections of GETs); pooled connections are closed first when the client certificate
        rotated. Returns the final response; raises the last `httpx.TransportError` when retries run
        out.
        """
        prepare_extensions(request)
        plan = RetryPlan(request, self.limiter, self.policy)
        while True:
            await self._pause(plan.before_attempt())
            if self._rotation.moved():
                await self.inner.aclose()  # pooled connections still present the old certificate
            try:
                response = await self.inner.handle_async_request(request)
            except httpx.TransportError as exc:
                delay = plan.after_error(exc)
                if delay is None:
                    raise
                await self._pause(delay)
                continue
            delay = plan.after_response(response)
            if delay is None:
                return response
            await response.aclose()
            await self._pause(delay)

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            await self._sleep(seconds)

    async def aclose(self) -> None:
        """Close the inner transport and its connections."""
        await self.inner.aclose()


def build_async_http_client(
    config: TransportConfig,
    limiter: TokenBucketRateLimiter | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    retry_policy: RetryPolicy | None = None,
    sleep: AsyncSleep | None = None,
) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` for `config`; `limiter=None` uses the config's shared limiter.

    `transport` replaces the network transport under the retry layer (tests: `MockTransport`).
    Raises `ConfigError` for a server or proxy URL httpx cannot use.
    """
    kwargs = client_kwargs(config)
    inner = transport or network_transport(config, httpx.AsyncHTTPTransport)
    retrying = AsyncRetryTransport(
        inner,
        limiter=limiter if limiter is not None else shared_limiter(config),
        policy=retry_policy,
        sleep=sleep,
        cert_rotation=cert_rotation(config),
    )
    return httpx.AsyncClient(transport=retrying, **kwargs)
