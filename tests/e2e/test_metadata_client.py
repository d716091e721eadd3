"""The metadata-only client and informers against the real apiserver.

A recording transport keeps the raw bytes of every response, so the tests show what crossed the
wire: ConfigMap names do, their data values do not (while a full list through the same
transport does carry them, proving the recorder sees plaintext).
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kubetyped.config import ClientConfig
from kubetyped.discovery import GroupVersionResource
from kubetyped.metadata import (
    ACCEPT_LIST,
    AsyncMetadataClient,
    AsyncMetadataInformerFactory,
    MetadataClient,
    MetadataInformerFactory,
    PartialObjectMetadata,
    PartialObjectMetadataList,
)
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.transport import build_http_client
from kubetyped.watch import EventType

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


class _RecordingStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, sink: bytearray) -> None:
        self._inner, self._sink = inner, sink

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._sink.extend(chunk)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class RecordingTransport(httpx.BaseTransport):
    """Wraps the network transport; keeps (accept header, raw body bytes) of every exchange.

    With `force_accept`, it also rewrites the Accept header, posing as a server that cannot
    serve metadata-only answers."""

    def __init__(self, inner: httpx.BaseTransport, force_accept: str | None = None) -> None:
        self.inner = inner
        self.force_accept = force_accept
        self.exchanges: list[tuple[str, str, bytearray]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        accept = request.headers.get("accept", "")
        if self.force_accept is not None:
            request.headers["Accept"] = self.force_accept
        # Identity encoding, so the recorded bytes are the readable body.
        request.headers["Accept-Encoding"] = "identity"
        response = self.inner.handle_request(request)
        sink = bytearray()
        self.exchanges.append((request.url.path + "?" + request.url.query.decode(), accept, sink))
        assert isinstance(response.stream, httpx.SyncByteStream)
        response.stream = _RecordingStream(response.stream, sink)
        return response

    def bodies(self, accept_prefix: str = "") -> bytes:
        return b"".join(
            bytes(body) for _, accept, body in self.exchanges if accept.startswith(accept_prefix)
        )

    def close(self) -> None:
        self.inner.close()


def recording_rest(
    config: ClientConfig, force_accept: str | None = None
) -> tuple[RESTClient, RecordingTransport]:
    network = httpx.HTTPTransport(verify=config.ssl_context(), trust_env=False)
    recorder = RecordingTransport(network, force_accept)
    return RESTClient(http_client=build_http_client(config, transport=recorder)), recorder


def make_configmaps(rest: RESTClient, namespace: str, count: int, marker: str) -> list[str]:
    names = [f"cm-{i}-{secrets.token_hex(3)}" for i in range(count)]
    for name in names:
        rest.create(
            f"/api/v1/namespaces/{namespace}/configmaps",
            {
                "metadata": {"name": name, "labels": {"app": "meta"}},
                "data": {"payload": f"{marker}-{name}"},
            },
        )
    return names


@pytest.fixture
def marker() -> str:
    return f"secretvalue{secrets.token_hex(8)}"


def test_list_and_get_send_only_metadata(
    rest: RESTClient, admin_config: ClientConfig, namespace: str, marker: str
) -> None:
    names = make_configmaps(rest, namespace, 3, marker)
    client_rest, recorder = recording_rest(admin_config)
    with client_rest:
        configmaps = MetadataClient(client_rest).resource(CONFIGMAPS).namespace(namespace)
        listed = configmaps.list()
        got = configmaps.get(names[0])

        assert isinstance(listed, PartialObjectMetadataList)
        assert listed.kind == "PartialObjectMetadataList"
        assert sorted(m.metadata.name for m in listed.items if m.metadata) == sorted(names)
        assert all(isinstance(m, PartialObjectMetadata) for m in listed.items)
        assert listed.items[0].metadata and listed.items[0].metadata.labels == {"app": "meta"}
        assert "data" not in listed.items[0].to_dict()
        assert isinstance(got, PartialObjectMetadata) and got.metadata is not None
        assert got.metadata.name == names[0] and got.kind == "PartialObjectMetadata"

        # An empty list may come with `items: null`; it is still a list.
        secrets_ = MetadataClient(client_rest).resource(GroupVersionResource("", "v1", "secrets"))
        assert secrets_.namespace(namespace).list().items == []

        wire = recorder.bodies()
        assert all(name.encode() in wire for name in names)
        assert marker.encode() not in wire
        assert recorder.exchanges[0][1] == ACCEPT_LIST

        # Control: a full list through the same recorder does carry the values.
        client_rest.list(f"/api/v1/namespaces/{namespace}/configmaps")
        assert marker.encode() in recorder.bodies()


def test_watch_sends_only_metadata(
    rest: RESTClient, admin_config: ClientConfig, namespace: str, marker: str
) -> None:
    client_rest, recorder = recording_rest(admin_config)
    with client_rest:
        configmaps = MetadataClient(client_rest).resource(CONFIGMAPS).namespace(namespace)
        start = configmaps.list().metadata
        assert start is not None and start.resource_version
        watch = configmaps.watch(resource_version=start.resource_version, timeout_seconds=20)
        names = make_configmaps(rest, namespace, 2, marker)
        rest.patch(
            f"/api/v1/namespaces/{namespace}/configmaps/{names[0]}",
            {"data": {"payload": f"{marker}-changed"}},
        )
        seen: list[tuple[str, str]] = []
        with watch:
            for event in watch:
                assert isinstance(event.object, PartialObjectMetadata)
                assert event.object.metadata is not None
                seen.append((event.type, event.object.metadata.name or ""))
                if len(seen) == 3:
                    break
        assert seen == [
            (EventType.ADDED, names[0]),
            (EventType.ADDED, names[1]),
            (EventType.MODIFIED, names[0]),
        ]
        wire = recorder.bodies()
        assert names[1].encode() in wire and marker.encode() not in wire


def test_fallback_when_server_sends_full_objects(
    rest: RESTClient, admin_config: ClientConfig, namespace: str, marker: str
) -> None:
    """A server that ignores the metadata media type (simulated by rewriting Accept to plain
    JSON) sends full objects; the client strips them to the same PartialObjectMetadata shape."""
    names = make_configmaps(rest, namespace, 2, marker)
    client_rest, recorder = recording_rest(admin_config, force_accept="application/json")
    with client_rest:
        configmaps = MetadataClient(client_rest).resource(CONFIGMAPS).namespace(namespace)
        listed = configmaps.list()
        got = configmaps.get(names[1])
        cached, list_meta = configmaps.list_unparsed()  # the informers' list: items kept as JSON
    assert marker.encode() in recorder.bodies()  # the full objects did come
    assert list_meta.get("resourceVersion")
    assert all(item.unparsed_json() is not None for item in cached)
    assert sorted(m.to_dict()["metadata"]["name"] for m in cached) == sorted(names)
    for item in cached:
        assert set(item.to_dict()) == {"apiVersion", "kind", "metadata"}
        assert marker.encode() not in item.to_json()
    assert listed.kind == "PartialObjectMetadataList"
    assert sorted(m.metadata.name for m in listed.items if m.metadata) == sorted(names)
    for item in [*listed.items, got]:
        raw = item.to_dict()
        assert set(raw) == {"apiVersion", "kind", "metadata"}
        assert raw["kind"] == "PartialObjectMetadata" and marker not in str(raw)
    assert listed.metadata is not None and listed.metadata.resource_version


def _wait(predicate: Any, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_metadata_informer_and_lister(
    rest: RESTClient, admin_config: ClientConfig, namespace: str, marker: str
) -> None:
    names = make_configmaps(rest, namespace, 2, marker)
    client_rest, recorder = recording_rest(admin_config)
    added: list[str] = []
    lock = threading.Lock()

    def on_add(obj: PartialObjectMetadata, _initial: bool) -> None:
        with lock:
            added.append(obj.metadata.name if obj.metadata and obj.metadata.name else "")

    factory = MetadataInformerFactory(MetadataClient(client_rest), namespace=namespace)
    configmaps = factory.for_resource(CONFIGMAPS)
    configmaps.informer().add_event_handler(on_add=on_add)
    try:
        factory.start()
        assert factory.wait_for_cache_sync(15) == {("metadata", CONFIGMAPS): True}
        assert sorted(m.metadata.name for m in configmaps.lister().list() if m.metadata) == sorted(
            names
        )
        later = make_configmaps(rest, namespace, 1, marker)[0]
        _wait(lambda: later in added)
        cached = configmaps.lister().get(f"{namespace}/{later}")
        assert isinstance(cached, PartialObjectMetadata) and "data" not in cached.to_dict()
        # Closing the metadata watch wakes the blocked reader thread: shutdown is prompt.
        started = time.monotonic()
        factory.shutdown(timeout=10)
        assert time.monotonic() - started < 5
    finally:
        factory.shutdown()
        client_rest.close()
    wire = recorder.bodies()
    assert later.encode() in wire and marker.encode() not in wire


async def test_async_metadata_informer(
    rest: RESTClient, admin_config: ClientConfig, namespace: str, marker: str
) -> None:
    names = make_configmaps(rest, namespace, 2, marker)
    async with AsyncRESTClient.from_config(admin_config) as client_rest:
        client = AsyncMetadataClient(client_rest)
        got = await client.resource(CONFIGMAPS).namespace(namespace).get(names[0])
        assert got.metadata is not None and got.metadata.name == names[0]

        factory = AsyncMetadataInformerFactory(client, namespace=namespace)
        configmaps = factory.for_resource(CONFIGMAPS)
        configmaps.informer()
        factory.start()
        try:
            assert all((await factory.wait_for_cache_sync(15)).values())
            listed = sorted(m.metadata.name for m in configmaps.lister().list() if m.metadata)
            assert listed == sorted(names)
            later = make_configmaps(rest, namespace, 1, marker)[0]
            for _ in range(300):
                if configmaps.lister().namespaced(namespace).get_or_none(later) is not None:
                    break
                await asyncio.sleep(0.05)
            cached = configmaps.lister().namespaced(namespace).get(later)
            assert isinstance(cached, PartialObjectMetadata) and "data" not in cached.to_dict()
        finally:
            await factory.shutdown()
