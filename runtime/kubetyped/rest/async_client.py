"""`AsyncRESTClient`: the asyncio REST client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from kubetyped.async_transport import build_async_http_client
from kubetyped.concurrency import async_interrupt_socket
from kubetyped.errors import (
    ExpiredError,
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
    PatchTypeArg,
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
from kubetyped.rest.common import (
    Obj,
    _RestCommon,
    decode_json,
    transport_error,
)
from kubetyped.rest.streams import AsyncLogStream, AsyncWatchStream
from kubetyped.transport import TransportConfig
from kubetyped.warnings import WarningHandler

__all__ = ["AsyncRESTClient"]


class AsyncRESTClient(_RestCommon[httpx.AsyncClient]):
    """REST client over raw JSON dicts (and bytes for the typed fast path)."""

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
        """A client for `config`, rate-limited by `limiter` or else the config's shared limiter."""
        return cls(config, limiter=limiter, warning_handler=warning_handler)

    @property
    def http_client(self) -> httpx.AsyncClient:
        """The underlying httpx client (rate limiting and retries are in its transport)."""
        return self._http

    # --- low level ---------------------------------------------------------------------------

    async def send(self, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
        """Send a built request; raise the typed `ApiError` on non-2xx, `TransportError` on none.

        With `stream=True` the body is not read; close the response when done.
        """
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
        """Send a built request and decode its JSON body (a dict)."""
        return decode_json(await self.send(request))

    async def request_bytes(self, request: httpx.Request) -> bytes:
        """The raw body of a built request (the typed layer decodes it itself)."""
        return (await self.send(request)).content

    # --- verbs -------------------------------------------------------------------------------

    async def get(self, path: PathLike, options: GetOptions | None = None) -> Obj:
        """GET one object as JSON."""
        return await self.request_json(get_request(path, options))

    async def get_bytes(
        self, path: PathLike, options: GetOptions | None = None, *, accept: str = JSON
    ) -> bytes:
        """GET one object as raw bytes (`accept` picks the media type)."""
        return await self.request_bytes(get_request(path, options, accept=accept))

    async def list(self, path: PathLike, options: ListOptions | None = None) -> Obj:
        """One list request (one page if `options.limit` is set)."""
        return await self.request_json(list_request(path, options))

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
        """Each page of a paginated list. If a continue token expires mid-way the 410 is raised
        (`ExpiredError`) after the pages already yielded, as client-go's `ListPager.EachListItem`
        does: restarting would yield items twice. Start over, or use `list_all`, which falls
        back to one full list (client-go `ListPager.List`)."""
        return self._pages(path, Pager(options, page_size=page_size, full_list_if_expired=False))

    async def list_all(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> Obj:
        """Every item, fetched page by page, joined into one list object (client-go `pager.List`)."""
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
        """POST `body` to a collection; returns the created object."""
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
        """PUT `body` (the whole object); `ConflictError` (409) on a stale resourceVersion."""
        return await self.request_json(
            write_request("PUT", path, body, options, content_type=content_type)
        )

    async def patch(
        self,
        path: PathLike,
        body: Any,
        patch_type: PatchTypeArg = PatchType.MERGE,
        options: WriteOptions | None = None,
    ) -> Obj:
        """PATCH with `patch_type` (JSON, merge or strategic merge); returns the patched object."""
        return await self.request_json(patch_request(path, body, patch_type, options))

    async def apply(self, path: PathLike, body: Obj | bytes, options: ApplyOptions) -> Obj:
        """Server-side apply (`application/apply-patch+yaml`; the JSON body is valid YAML)."""
        return await self.request_json(apply_request(path, body, options))

    async def delete(self, path: PathLike, options: DeleteOptions | None = None) -> Obj:
        """The deleted object (or a `Status`, depending on the resource and propagation)."""
        return await self.request_json(delete_request(path, options))

    async def delete_collection(
        self,
        path: PathLike,
        list_options: ListOptions | None = None,
        delete_options: DeleteOptions | None = None,
    ) -> Obj:
        """DELETE every object of a collection matching `list_options`."""
        return await self.request_json(delete_request(path, delete_options, list_options))

    def watch(
        self,
        path: PathLike,
        options: ListOptions | None = None,
        *,
        raise_errors: bool = True,
    ) -> AsyncWatchStream[Any]:
        """Watch events (`watch=true`) as plain dicts, as the server sends them; not rate
        limited, no read timeout. Opened lazily. (Client families watch through the request
        core, `kubetyped.resource`.)"""
        request = watch_request(path, options)
        return AsyncWatchStream(lambda: self.send(request, stream=True), raise_errors)

    async def get_text(self, path: PathLike, params: Mapping[str, str] | None = None) -> str:
        """A text body, e.g. `pods/<name>/log`."""
        return (await self.send(build_request("GET", path, params=params, accept="*/*"))).text

    def stream_lines(
        self, path: PathLike, params: Mapping[str, str] | None = None
    ) -> AsyncLogStream:
        """Lines of a streamed text body (e.g. `pods/<name>/log?follow=true`) as they arrive;
        the request is sent on first iteration. Closing the stream (from another thread for
        the blocking client, or by cancelling the iterating task) ends it."""
        request = build_request("GET", path, params=params, accept="*/*", stream=True)
        return AsyncLogStream(lambda: self.send(request, stream=True))

    # --- lifecycle ---------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connections (when this client created its httpx client).

        The sockets of WebSocket sessions still open (exec, attach, port-forward) are shut down
        first: closing a socket does not wake a thread blocked reading it, and httpx-ws's reader
        threads would then keep the interpreter from exiting.
        """
        if self._owns_http:
            for network_stream in list(self._upgraded):
                async_interrupt_socket(network_stream)
            await self._http.aclose()

    aclose = close  # unasync: remove

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
