"""`RESTClient`: the blocking REST client."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any, Self

import httpx

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
from kubetyped.rest.streams import LogStream, WatchStream
from kubetyped.transport import (
    TransportConfig,
    build_http_client,
)
from kubetyped.warnings import WarningHandler


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

    def stream_lines(self, path: PathLike, params: Mapping[str, str] | None = None) -> LogStream:
        """Lines of a streamed text body (e.g. `pods/<name>/log?follow=true`) as they arrive;
        the request is sent on first iteration. `close()` ends it, from any thread."""
        request = build_request("GET", path, params=params, accept="*/*", stream=True)
        return LogStream(lambda: self.send(request, stream=True))

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
