"""Retry decisions (client-go `rest.withRetry`), pure and shared by the sync and async transports.

- A 429 or 5xx answer with an integer `Retry-After` header is retried after that many seconds.
- A GET that failed with a connection reset, an EOF or a protocol error (server hung up) is
  retried at once; writes (POST/PUT/PATCH/DELETE) never are, they may have reached the server.
- At most `max_attempts` attempts in all (10, like client-go's `maxRetries`).
- Every attempt except a watch first waits on the client's rate limiter.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Final

import httpx

from kubetyped.errors import KubetypedError, parse_retry_after
from kubetyped.ratelimit import TokenBucketRateLimiter
from kubetyped.request import is_watch_request

__all__ = ["PREVIOUS_ATTEMPT_EXTENSION", "RetryPlan", "RetryPolicy"]

DEFAULT_MAX_ATTEMPTS: Final = 10

#: httpx errors that mean "the connection broke" rather than "the server said no".
_BROKEN_CONNECTION = (
    httpx.RemoteProtocolError,
    httpx.ReadError,
    httpx.WriteError,
    ConnectionResetError,
    BrokenPipeError,
    EOFError,
)
_RESET_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED})


class RetryPolicyError(KubetypedError, ValueError):
    """A `RetryPolicy` whose settings make no sense (e.g. no attempt at all)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often the transports retry a request (client-go `rest.Request` retries, `maxRetries` 10).

    `max_attempts`: attempts in all, first one included (at least 1, else `RetryPolicyError`);
    `connection_retry_delay`: seconds before retrying a GET after a broken connection.
    """

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    #: wait before retrying a GET after a broken connection (client-go retries at once).
    connection_retry_delay: float = 0.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise RetryPolicyError(
                f"RetryPolicy.max_attempts must be at least 1, got {self.max_attempts}"
            )


def is_broken_connection(exc: BaseException) -> bool:
    """Connection reset, EOF or server hang-up, anywhere in the exception's cause chain."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _BROKEN_CONNECTION):
            return True
        if isinstance(current, OSError) and current.errno in _RESET_ERRNOS:
            return True
        current = current.__cause__ or current.__context__
    return False


def retry_after_delay(response: httpx.Response) -> float | None:
    """Seconds to wait before retrying this answer, or None when it must not be retried."""
    if response.status_code != 429 and response.status_code < 500:
        return None
    seconds = parse_retry_after(response.headers.get("Retry-After"))
    return None if seconds is None else float(seconds)


def error_retry_delay(
    request: httpx.Request, exc: BaseException, policy: RetryPolicy
) -> float | None:
    """Seconds to wait before retrying after a transport error, or None when it must not be."""
    if request.method.upper() != "GET":
        return None
    if not is_broken_connection(exc):
        return None
    return policy.connection_retry_delay


def describe_response(response: httpx.Response) -> str:
    """`"HTTP 503 (Retry-After: 1)"`: how a retried answer is named in the error raised once retries
    run out.
    """
    retry_after = response.headers.get("Retry-After")
    suffix = f" (Retry-After: {retry_after})" if retry_after is not None else ""
    return f"HTTP {response.status_code}{suffix}"


class RetryPlan:
    """State of one request across its attempts; the drivers only sleep and send.

    Driver loop: `delay = plan.before_attempt()`, sleep, send; then `plan.after_response(resp)` or
    `plan.after_error(exc)` returns the delay before the next attempt or None when done.
    """

    def __init__(
        self,
        request: httpx.Request,
        limiter: TokenBucketRateLimiter | None,
        policy: RetryPolicy,
    ) -> None:
        self.request = request
        self.limiter = None if is_watch_request(request) else limiter
        self.policy = policy
        self.attempts = 0
        #: what went wrong on the previous attempt (an exception, or a retried answer described)
        self.previous: BaseException | str | None = None

    def before_attempt(self) -> float:
        """Count an attempt and return the seconds to wait first: the rate limiter's reservation (0 for
        watches, which client-go does not throttle either).
        """
        self.attempts += 1
        return self.limiter.reserve() if self.limiter is not None else 0.0

    def _may_retry(self) -> bool:
        return self.attempts < self.policy.max_attempts

    def after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before re-sending after `response` (a 429 or 5xx with an integer
        `Retry-After`), or None to hand the response to the caller: not retryable, or `max_attempts`
        reached.
        """
        delay = retry_after_delay(response)
        if delay is None or not self._may_retry():
            return None
        self.previous = describe_response(response)
        return delay

    def after_error(self, exc: BaseException) -> float | None:
        """Delay before retrying, or None: then the caller re-raises `exc` (see `annotate`)."""
        delay = error_retry_delay(self.request, exc, self.policy)
        if delay is None or not self._may_retry():
            self.annotate(exc)
            return None
        self.previous = exc
        return delay

    def annotate(self, exc: BaseException) -> None:
        """Record the previous attempt's failure on the final exception and on the request."""
        if self.previous is None:
            return
        exc.add_note(f"previous attempt failed: {_describe(self.previous)}")
        self.request.extensions[PREVIOUS_ATTEMPT_EXTENSION] = self.previous


#: `request.extensions` key where the previous attempt's failure is left for the REST client.
PREVIOUS_ATTEMPT_EXTENSION: Final = "kubetyped.previous_attempt"


def _describe(previous: BaseException | str) -> str:
    if isinstance(previous, str):
        return previous
    return f"{type(previous).__name__}: {previous}"
