"""ListWatch adapters over ``kubetyped.rest`` clients for one collection path (plain dicts)."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from kubetyped import request as rq
from kubetyped.cache.protocols import ListOptions, ListResult, WatchEventLike
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.watch import WatchDecoder, WatchEvent

Obj = dict[str, Any]


def to_rest_options(options: ListOptions) -> rq.ListOptions:
    return rq.ListOptions(**dataclasses.asdict(options))


def list_result(body: Obj) -> ListResult[Obj]:
    meta = body.get("metadata") or {}
    return ListResult(
        list(body.get("items") or []),
        str(meta.get("resourceVersion") or ""),
        meta.get("continue") or None,
    )


class RestListWatch:
    """List/watch ``path`` (e.g. ``/api/v1/namespaces/ns/configmaps``) with a ``RESTClient``."""

    def __init__(self, client: RESTClient, path: str) -> None:
        self.client = client
        self.path = path

    def list(self, options: ListOptions) -> ListResult[Obj]:
        return list_result(self.client.list(self.path, to_rest_options(options)))

    def watch(self, options: ListOptions) -> Iterator[WatchEventLike[Any]]:
        return InterruptibleWatch(
            self.client, rq.watch_request(self.path, to_rest_options(options))
        )


class InterruptibleWatch:
    """A blocking watch stream whose ``close()`` from another thread wakes the reading thread.

    Closing an httpx response does not interrupt a ``recv`` blocked in another thread, so
    ``close`` also shuts the socket down. ERROR events are yielded as events (the reflector
    classifies them); transport failures surface as httpx errors.
    """

    def __init__(self, client: RESTClient, request: httpx.Request) -> None:
        self._client = client
        self._request = request
        self._decoder = WatchDecoder()
        self._pending: deque[WatchEvent] = deque()
        self._response: httpx.Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._closed = threading.Event()

    def __iter__(self) -> InterruptibleWatch:
        return self

    def __next__(self) -> WatchEvent:
        while not self._pending:
            if self._closed.is_set():
                raise StopIteration
            if self._chunks is None:
                self._response = self._client.send(self._request, stream=True)
                self._chunks = self._response.iter_bytes()
                if self._closed.is_set():  # closed while connecting
                    self.close()
                    raise StopIteration
            try:
                chunk = next(self._chunks)
            except StopIteration:
                self._pending.extend(self._decoder.finish())
                self.close()
                continue
            self._pending.extend(self._decoder.feed(chunk))
        return self._pending.popleft()

    def close(self) -> None:
        self._closed.set()
        response = self._response
        if response is None:
            return
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(Exception):
            response.close()


class AsyncRestListWatch:
    """The asyncio twin of ``RestListWatch``."""

    def __init__(self, client: AsyncRESTClient, path: str) -> None:
        self.client = client
        self.path = path

    async def list(self, options: ListOptions) -> ListResult[Obj]:
        return list_result(await self.client.list(self.path, to_rest_options(options)))

    def watch(self, options: ListOptions) -> AsyncIterator[WatchEventLike[Any]]:
        return self.client.watch(self.path, to_rest_options(options))
