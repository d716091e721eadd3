"""`RESTClient` / `AsyncRESTClient`: verbs over raw JSON (dicts) or bytes, with typed errors.

Both clients share request building (`kubetyped.request`), pagination (`kubetyped.pager`), stream
decoding (`kubetyped.watch`) and response checking (`_RestCommon`); they differ only in the loops
that drive I/O. Method names are identical; the async ones are awaited / async-iterated.

Rate limiting: a client made from a config uses `kubetyped.transport.shared_limiter(config)`, so
every client built from one `ClientConfig` object shares one token bucket (client-go's clientset
semantics). Pass `limiter=` to share one across configs, or `http_client=` to bring your own.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, Final, Self

import httpx
import orjson

from kubetyped.errors import (
    ApiError,
    ExpiredError,
    KubetypedError,
    ResponseDecodeError,
    TransportError,
    api_error_from_response,
)
from kubetyped.pager import ListAccumulator, Pager
from kubetyped.ratelimit import TokenBucketRateLimiter
from kubetyped.request import (
    DEFAULT_PAGE_SIZE,
    JSON,
    ApplyOptions,
    DeleteOptions,
    GetOptions,
    ListOptions,
    PatchType,
    PathLike,
    WriteOptions,
    apply_request,
    build_request,
    delete_request,
    get_request,
    list_request,
    patch_request,
    watch_request,
    write_request,
)
from kubetyped.retry import PREVIOUS_ATTEMPT_EXTENSION
from kubetyped.transport import (
    TransportConfig,
    build_async_http_client,
    build_http_client,
    interrupt_response,
)
from kubetyped.warnings import WarningHandler, handle_response_warnings
from kubetyped.watch import EventType, WatchDecoder, WatchEvent

Obj = dict[str, Any]
_ERROR_BODY_LIMIT: Final = 64 * 1024


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


def transport_error(request: httpx.Request, exc: Exception) -> TransportError:
    previous = request.extensions.get(PREVIOUS_ATTEMPT_EXTENSION)
    message = f"{request.method} {request.url.copy_with(query=None)}: {type(exc).__name__}: {exc}"
    if previous is not None:
        what = previous if isinstance(previous, str) else f"{type(previous).__name__}: {previous}"
        message += f" (previous attempt: {what})"
    return TransportError(message, previous=previous)


def _event_or_raise(event: WatchEvent, raise_errors: bool) -> WatchEvent:
    if raise_errors and event.type is EventType.ERROR:
        error = event.error()
        assert error is not None
        raise error
    return event


class _RestCommon:
    """What the sync and async clients share: request resolution and response checking."""

    _http: httpx.Client | httpx.AsyncClient

    def __init__(
        self,
        config: TransportConfig | None,
        warning_handler: WarningHandler | None,
        owns_http: bool,
    ) -> None:
        self.config = config
        self.warning_handler = warning_handler
        self._owns_http = owns_http

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


class WatchStream:
    """Iterator of `WatchEvent`s over one watch request; opened on first iteration.

    Use as a context manager (or call `close()`) to end the watch early. `close()` may be called
    from another thread: it shuts the connection's socket down, so a read blocked in the iterating
    thread returns at once and the iteration ends quietly (closing an httpx response alone does
    not wake a blocked `recv`). A close while the request is still connecting takes effect when
    the response headers arrive. `resource_version` is the last resourceVersion seen, for
    resuming. ERROR events raise their `ApiError` unless the watch was made with
    `raise_errors=False`.
    """

    def __init__(self, open_stream: Callable[[], httpx.Response], raise_errors: bool) -> None:
        self._open = open_stream
        self._raise_errors = raise_errors
        self._decoder = WatchDecoder()
        self._pending: deque[WatchEvent] = deque()
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._lock = threading.Lock()  # guards _response, _reading and _closed across threads
        self._reading = False  # the iterating thread is opening or reading the response
        self._closed = False  # close() was called: no more events
        self._exhausted = False  # the stream ended; buffered events may remain

    @property
    def resource_version(self) -> str | None:
        return self._decoder.resource_version

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> WatchEvent:
        while not self._pending:
            if self._closed or self._exhausted:
                raise StopIteration
            self._read()
        if self._closed:
            raise StopIteration
        event = self._pending.popleft()
        if event.type is EventType.ERROR and self._raise_errors:
            self.close()
        return _event_or_raise(event, self._raise_errors)

    def _read(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._reading = True
        try:
            self._read_chunk()
        finally:
            with self._lock:
                self._reading = False
                closed = self._closed
            if closed:  # close() came from another thread while we read: release here
                self._release()

    def _read_chunk(self) -> None:
        if self._chunks is None:
            response = self._open()
            with self._lock:
                self._response = response
            self._chunks = response.iter_bytes()
            if self._closed:
                return
        request = self._response.request if self._response is not None else None
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self._release()
            if not self._closed:
                self._pending.extend(self._decoder.finish())
            return
        except Exception as exc:
            self._release()
            if self._closed:
                return  # the read was interrupted by close(): not an error
            if isinstance(exc, httpx.HTTPError) and request is not None:
                raise transport_error(request, exc) from exc
            raise
        self._pending.extend(self._decoder.feed(chunk))

    def _release(self) -> None:
        """Close the response once (whichever thread gets here first); the stream has ended."""
        with self._lock:
            response, self._response = self._response, None
            self._exhausted = True
        if response is not None:
            with contextlib.suppress(httpx.HTTPError, OSError):
                response.close()

    def close(self) -> None:
        """End the watch; safe to call from any thread, and more than once."""
        with self._lock:
            self._closed = True
            response, reading = self._response, self._reading
        if reading:
            # The reader is blocked (or about to block) in recv: wake it; it releases the response.
            # Without a socket to shut down (e.g. a mock transport), closing is the best we can do.
            if response is not None and not interrupt_response(response):
                self._release()
        else:
            self._release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncWatchStream:
    """Async iterator of `WatchEvent`s; see `WatchStream`."""

    def __init__(
        self, open_stream: Callable[[], Awaitable[httpx.Response]], raise_errors: bool
    ) -> None:
        self._open = open_stream
        self._raise_errors = raise_errors
        self._decoder = WatchDecoder()
        self._pending: deque[WatchEvent] = deque()
        self._response: httpx.Response | None = None
        self._chunks: AsyncIterator[bytes] | None = None
        self._done = False

    @property
    def resource_version(self) -> str | None:
        return self._decoder.resource_version

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> WatchEvent:
        while not self._pending:
            if self._done:
                raise StopAsyncIteration
            await self._read()
        event = self._pending.popleft()
        if event.type is EventType.ERROR and self._raise_errors:
            await self.close()
        return _event_or_raise(event, self._raise_errors)

    async def _read(self) -> None:
        if self._chunks is None:
            self._response = await self._open()
            self._chunks = self._response.aiter_bytes()
        assert self._response is not None
        try:
            chunk = await anext(self._chunks)
        except StopAsyncIteration:
            await self.close()
            self._pending.extend(self._decoder.finish())
            return
        except httpx.HTTPError as exc:
            await self.close()
            raise transport_error(self._response.request, exc) from exc
        except KubetypedError:
            await self.close()
            raise
        self._pending.extend(self._decoder.feed(chunk))

    async def close(self) -> None:
        self._done = True
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class RESTClient(_RestCommon):
    """Blocking REST client over raw JSON dicts (and bytes for the typed fast path)."""

    _http: httpx.Client

    def __init__(
        self,
        config: TransportConfig | None = None,
        *,
        limiter: TokenBucketRateLimiter | None = None,
        http_client: httpx.Client | None = None,
        warning_handler: WarningHandler | None = None,
    ) -> None:
        if http_client is None:
            if config is None:
                raise TypeError("RESTClient needs a config or an http_client")
            http_client = build_http_client(config, limiter)
            owns = True
        else:
            owns = False
        super().__init__(config, warning_handler, owns)
        self._http = http_client

    @classmethod
    def from_config(
        cls,
        config: TransportConfig,
        *,
        limiter: TokenBucketRateLimiter | None = None,
        warning_handler: WarningHandler | None = None,
    ) -> Self:
        """A client for `config`, rate-limited by `limiter` or else the config's shared limiter."""
        return cls(config, limiter=limiter, warning_handler=warning_handler)

    @property
    def http_client(self) -> httpx.Client:
        return self._http

    # --- low level ---------------------------------------------------------------------------

    def send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        """Send a built request; raise the typed `ApiError` on non-2xx, `TransportError` on none.

        With `stream=True` the body is not read; close the response when done.
        """
        request = self._resolve(request)
        try:
            response = self._http.send(request, stream=stream)
        except httpx.HTTPError as exc:
            raise transport_error(request, exc) from exc
        if stream and not response.is_success:
            try:
                response.read()
            except httpx.HTTPError as exc:
                raise transport_error(request, exc) from exc
            finally:
                response.close()
        return self._check(response)

    def request_json(self, request: httpx.Request) -> Obj:
        return decode_json(self.send(request))

    def request_bytes(self, request: httpx.Request) -> bytes:
        """The raw body of a built request (the typed layer decodes it itself)."""
        return self.send(request).content

    # --- verbs -------------------------------------------------------------------------------

    def get(self, path: PathLike, options: GetOptions | None = None) -> Obj:
        return self.request_json(get_request(path, options))

    def get_bytes(
        self, path: PathLike, options: GetOptions | None = None, *, accept: str = JSON
    ) -> bytes:
        return self.request_bytes(get_request(path, options, accept=accept))

    def list(self, path: PathLike, options: ListOptions | None = None) -> Obj:
        """One list request (one page if `options.limit` is set)."""
        return self.request_json(list_request(path, options))

    def list_bytes(
        self, path: PathLike, options: ListOptions | None = None, *, accept: str = JSON
    ) -> bytes:
        return self.request_bytes(list_request(path, options, accept=accept))

    def _pages(self, path: PathLike, pager: Pager) -> Iterator[Obj]:
        while (options := pager.next_options()) is not None:
            try:
                page = self.list(path, options)
            except ExpiredError as error:
                if not pager.on_expired(error):
                    raise
                continue
            pager.on_page(page)
            yield page

    def list_pages(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Iterator[Obj]:
        """Each page of a paginated list. If a continue token expires (410) the pager relists in
        full without `limit` and yields that whole list as the last page, so items already seen
        may come again; use `list_all` for an exact result."""
        return self._pages(path, Pager(options, page_size=page_size))

    def list_all(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Obj:
        """Every item, fetched page by page, joined into one list object (client-go `pager.List`)."""
        pager = Pager(options, page_size=page_size)
        accumulator = ListAccumulator()
        for page in self._pages(path, pager):
            if pager.fell_back:
                accumulator.reset()
            accumulator.add(page)
        return accumulator.result()

    def create(
        self,
        path: PathLike,
        body: Obj | bytes,
        options: WriteOptions | None = None,
        *,
        content_type: str = JSON,
    ) -> Obj:
        return self.request_json(
            write_request("POST", path, body, options, content_type=content_type)
        )

    def update(
        self,
        path: PathLike,
        body: Obj | bytes,
        options: WriteOptions | None = None,
        *,
        content_type: str = JSON,
    ) -> Obj:
        return self.request_json(
            write_request("PUT", path, body, options, content_type=content_type)
        )

    def patch(
        self,
        path: PathLike,
        body: Any,
        patch_type: PatchType | str = PatchType.MERGE,
        options: WriteOptions | None = None,
    ) -> Obj:
        return self.request_json(patch_request(path, body, patch_type, options))

    def apply(self, path: PathLike, body: Obj | bytes, options: ApplyOptions) -> Obj:
        """Server-side apply (`application/apply-patch+yaml`; the JSON body is valid YAML)."""
        return self.request_json(apply_request(path, body, options))

    def delete(self, path: PathLike, options: DeleteOptions | None = None) -> Obj:
        """The deleted object (or a `Status`, depending on the resource and propagation)."""
        return self.request_json(delete_request(path, options))

    def delete_collection(
        self,
        path: PathLike,
        list_options: ListOptions | None = None,
        delete_options: DeleteOptions | None = None,
    ) -> Obj:
        return self.request_json(delete_request(path, delete_options, list_options))

    def watch(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        raise_errors: bool = True,
    ) -> WatchStream:
        """Watch events (`watch=true`); not rate limited, no read timeout. Opened lazily."""
        request = watch_request(path, options)
        return WatchStream(lambda: self.send(request, stream=True), raise_errors)

    def get_text(self, path: PathLike, params: Mapping[str, str] | None = None) -> str:
        """A text body, e.g. `pods/<name>/log`."""
        return self.send(build_request("GET", path, params=params, accept="*/*")).text

    def stream_lines(
        self, path: PathLike, params: Mapping[str, str] | None = None
    ) -> Iterator[str]:
        """Lines of a streamed text body (e.g. `pods/<name>/log?follow=true`), as they arrive."""
        request = build_request("GET", path, params=params, accept="*/*", stream=True)
        response = self.send(request, stream=True)
        try:
            yield from response.iter_lines()
        except httpx.HTTPError as exc:
            raise transport_error(response.request, exc) from exc
        finally:
            response.close()

    # --- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRESTClient(_RestCommon):
    """asyncio REST client; the same methods as `RESTClient`, awaited."""

    _http: httpx.AsyncClient

    def __init__(
        self,
        config: TransportConfig | None = None,
        *,
        limiter: TokenBucketRateLimiter | None = None,
        http_client: httpx.AsyncClient | None = None,
        warning_handler: WarningHandler | None = None,
    ) -> None:
        if http_client is None:
            if config is None:
                raise TypeError("AsyncRESTClient needs a config or an http_client")
            http_client = build_async_http_client(config, limiter)
            owns = True
        else:
            owns = False
        super().__init__(config, warning_handler, owns)
        self._http = http_client

    @classmethod
    def from_config(
        cls,
        config: TransportConfig,
        *,
        limiter: TokenBucketRateLimiter | None = None,
        warning_handler: WarningHandler | None = None,
    ) -> Self:
        return cls(config, limiter=limiter, warning_handler=warning_handler)

    @property
    def http_client(self) -> httpx.AsyncClient:
        return self._http

    # --- low level ---------------------------------------------------------------------------

    async def send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        request = self._resolve(request)
        try:
            response = await self._http.send(request, stream=stream)
        except httpx.HTTPError as exc:
            raise transport_error(request, exc) from exc
        if stream and not response.is_success:
            try:
                await response.aread()
            except httpx.HTTPError as exc:
                raise transport_error(request, exc) from exc
            finally:
                await response.aclose()
        return self._check(response)

    async def request_json(self, request: httpx.Request) -> Obj:
        return decode_json(await self.send(request))

    async def request_bytes(self, request: httpx.Request) -> bytes:
        return (await self.send(request)).content

    # --- verbs -------------------------------------------------------------------------------

    async def get(self, path: PathLike, options: GetOptions | None = None) -> Obj:
        return await self.request_json(get_request(path, options))

    async def get_bytes(
        self, path: PathLike, options: GetOptions | None = None, *, accept: str = JSON
    ) -> bytes:
        return await self.request_bytes(get_request(path, options, accept=accept))

    async def list(self, path: PathLike, options: ListOptions | None = None) -> Obj:
        return await self.request_json(list_request(path, options))

    async def list_bytes(
        self, path: PathLike, options: ListOptions | None = None, *, accept: str = JSON
    ) -> bytes:
        return await self.request_bytes(list_request(path, options, accept=accept))

    async def _pages(self, path: PathLike, pager: Pager) -> AsyncIterator[Obj]:
        while (options := pager.next_options()) is not None:
            try:
                page = await self.list(path, options)
            except ExpiredError as error:
                if not pager.on_expired(error):
                    raise
                continue
            pager.on_page(page)
            yield page

    def list_pages(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> AsyncIterator[Obj]:
        """See `RESTClient.list_pages`; iterate with `async for`."""
        return self._pages(path, Pager(options, page_size=page_size))

    async def list_all(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Obj:
        pager = Pager(options, page_size=page_size)
        accumulator = ListAccumulator()
        async for page in self._pages(path, pager):
            if pager.fell_back:
                accumulator.reset()
            accumulator.add(page)
        return accumulator.result()

    async def create(
        self,
        path: PathLike,
        body: Obj | bytes,
        options: WriteOptions | None = None,
        *,
        content_type: str = JSON,
    ) -> Obj:
        return await self.request_json(
            write_request("POST", path, body, options, content_type=content_type)
        )

    async def update(
        self,
        path: PathLike,
        body: Obj | bytes,
        options: WriteOptions | None = None,
        *,
        content_type: str = JSON,
    ) -> Obj:
        return await self.request_json(
            write_request("PUT", path, body, options, content_type=content_type)
        )

    async def patch(
        self,
        path: PathLike,
        body: Any,
        patch_type: PatchType | str = PatchType.MERGE,
        options: WriteOptions | None = None,
    ) -> Obj:
        return await self.request_json(patch_request(path, body, patch_type, options))

    async def apply(self, path: PathLike, body: Obj | bytes, options: ApplyOptions) -> Obj:
        return await self.request_json(apply_request(path, body, options))

    async def delete(self, path: PathLike, options: DeleteOptions | None = None) -> Obj:
        return await self.request_json(delete_request(path, options))

    async def delete_collection(
        self,
        path: PathLike,
        list_options: ListOptions | None = None,
        delete_options: DeleteOptions | None = None,
    ) -> Obj:
        return await self.request_json(delete_request(path, delete_options, list_options))

    def watch(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        raise_errors: bool = True,
    ) -> AsyncWatchStream:
        """See `RESTClient.watch`; iterate with `async for`, end early with `aclose`/`async with`."""
        request = watch_request(path, options)
        return AsyncWatchStream(lambda: self.send(request, stream=True), raise_errors)

    async def get_text(self, path: PathLike, params: Mapping[str, str] | None = None) -> str:
        return (await self.send(build_request("GET", path, params=params, accept="*/*"))).text

    async def stream_lines(
        self, path: PathLike, params: Mapping[str, str] | None = None
    ) -> AsyncIterator[str]:
        request = build_request("GET", path, params=params, accept="*/*", stream=True)
        response = await self.send(request, stream=True)
        try:
            async for line in response.aiter_lines():
                yield line
        except httpx.HTTPError as exc:
            raise transport_error(response.request, exc) from exc
        finally:
            await response.aclose()

    # --- lifecycle ---------------------------------------------------------------------------

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    aclose = close

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


__all__ = [
    "AsyncRESTClient",
    "AsyncWatchStream",
    "RESTClient",
    "WatchStream",
    "api_error",
    "decode_json",
    "transport_error",
]
