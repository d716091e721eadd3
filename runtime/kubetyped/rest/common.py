"""Response checking and decoding shared by the sync and async REST clients and streams."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Final, Generic, Protocol, TypeVar

import httpx
import orjson

from kubetyped.errors import (
    ApiError,
    ResponseDecodeError,
    TransportError,
    WatchIdleTimeoutError,
    api_error_from_response,
)
from kubetyped.request import IDLE_TIMEOUT_EXTENSION
from kubetyped.retry import PREVIOUS_ATTEMPT_EXTENSION
from kubetyped.transport import (
    TransportConfig,
)
from kubetyped.warnings import WarningHandler, handle_response_warnings
from kubetyped.watch import EventType, WatchEvent

__all__ = ["Obj", "api_error", "decode_json", "transport_error"]

Obj = dict[str, Any]
_ERROR_BODY_LIMIT: Final = 64 * 1024
T = TypeVar("T")


class StreamDecoder(Protocol[T]):
    """Incremental decoder of a streamed body (sans-IO): ``feed`` each chunk, ``finish`` at the
    end. ``kubetyped.watch.WatchDecoder`` (watch events) and ``LineDecoder`` (log lines) are
    the two in use."""

    def feed(self, chunk: bytes) -> list[T]:
        """The items completed by ``chunk`` (bytes as they came off the connection)."""
        ...

    def finish(self) -> list[T]:
        """The items left once the body ended (e.g. a last line without its terminator)."""
        ...


class LineDecoder:
    """Splits a byte stream into text lines (UTF-8, invalid bytes replaced; LF or CRLF line ends
    removed), as ``kubectl logs -f`` prints them."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[str]:
        """The lines completed by ``chunk``; a partial last line waits for the next chunk."""
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        return [line.removesuffix(b"\r").decode("utf-8", "replace") for line in lines]

    def finish(self) -> list[str]:
        """The last line when the body did not end with a line terminator, else nothing."""
        rest, self._buffer = self._buffer, b""
        return [rest.removesuffix(b"\r").decode("utf-8", "replace")] if rest else []


def decode_json(response: httpx.Response) -> Obj:
    """The JSON object of a 2xx answer."""
    try:
        decoded = orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise ResponseDecodeError(
            f"{response.request.method} {response.request.url.path}: answer is not JSON ({exc})"
        ) from None
    if not isinstance(decoded, dict):
        raise ResponseDecodeError(
            f"{response.request.method} {response.request.url.path}: "
            f"expected a JSON object, got {type(decoded).__name__}"
        )
    return decoded


def api_error(response: httpx.Response) -> ApiError:
    """The typed error of a non-2xx answer whose body has been read."""
    return api_error_from_response(
        response.status_code,
        response.content[:_ERROR_BODY_LIMIT],
        response.headers,
        method=response.request.method,
        path=response.request.url.path,
    )


def watch_transport_error(request: httpx.Request, exc: Exception) -> TransportError:
    """`transport_error` for a watch stream: a read timeout is `WatchIdleTimeoutError`."""
    if isinstance(exc, httpx.ReadTimeout):
        idle = request.extensions.get(IDLE_TIMEOUT_EXTENSION)
        return WatchIdleTimeoutError(
            f"{request.method} {request.url.copy_with(query=None)}: no data for {idle}s "
            "(watch idle timeout); the watch was closed",
            idle_timeout=idle if isinstance(idle, int | float) else None,
        )
    return transport_error(request, exc)


def transport_error(request: httpx.Request, exc: Exception) -> TransportError:
    """The `TransportError` for an httpx failure of `request` (no answer arrived): names the method,
    the URL without its query and the cause, and the previous attempt's failure when retries ran
    out.
    """
    previous = request.extensions.get(PREVIOUS_ATTEMPT_EXTENSION)
    message = f"{request.method} {request.url.copy_with(query=None)}: {type(exc).__name__}: {exc}"
    if previous is not None:
        what = previous if isinstance(previous, str) else f"{type(previous).__name__}: {previous}"
        message += f" (previous attempt: {what})"
    return TransportError(message, previous=previous)


def _event_or_raise(event: WatchEvent[Any], raise_errors: bool) -> WatchEvent[Any]:
    if raise_errors and event.type is EventType.ERROR:
        error = event.error()
        assert error is not None
        raise error
    return event


_HttpClient = TypeVar("_HttpClient", httpx.Client, httpx.AsyncClient)


class _RestCommon(Generic[_HttpClient]):
    """What the sync and async clients share: request resolution and response checking."""

    _http: _HttpClient

    def __init__(
        self,
        config: TransportConfig | None,
        warning_handler: WarningHandler | None,
        owns_http: bool,
    ) -> None:
        self.config = config
        self.warning_handler = warning_handler
        self._owns_http = owns_http
        self._upgraded: set[object] = set()

    @contextlib.contextmanager
    def upgraded(self, network_stream: object) -> Iterator[None]:
        """Tracks an upgraded connection (a WebSocket session's ``network_stream``) while the
        ``with`` block runs, so that ``close`` shuts its socket down before closing the pool."""
        self._upgraded.add(network_stream)
        try:
            yield
        finally:
            self._upgraded.discard(network_stream)

    def _resolve(self, request: httpx.Request) -> httpx.Request:
        """Apply the http client's base URL, default headers and timeout to a built request."""
        return self._http.build_request(
            request.method,
            request.url,
            content=request.content or None,
            headers=request.headers,
            extensions=dict(request.extensions),
        )

    def _check(self, response: httpx.Response) -> httpx.Response:
        handle_response_warnings(response, self.warning_handler)
        if not response.is_success:
            raise api_error(response)
        return response
