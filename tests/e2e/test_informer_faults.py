"""Connection faults between an informer and the apiserver, through a TCP proxy on 127.0.0.1
that the test can cut: deletes made while the watch was down arrive as tombstones.

The objects are PodTemplates, which the test cluster serves straight from etcd (no watch cache),
so the relist after the outage reads the current state whatever the watch cache does."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from kubetyped.cache import (
    AsyncSharedIndexInformer,
    DeletedFinalStateUnknown,
    SharedIndexInformer,
    object_meta,
)
from kubetyped.dynamic import AsyncDynamicClient, DynamicClient
from kubetyped.rest import AsyncRESTClient, RESTClient


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to the apiserver; ``cut()`` drops every connection and, while
    ``down``, new connections are closed at once (connection reset)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = False
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        self.accepted = 0
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.accepted += 1
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with self.lock:
            conns, self.conns = self.conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    def close(self) -> None:
        self.closed = True
        # A close alone does not wake a thread blocked in accept() on Linux: the listener would
        # stay open and keep forwarding to the apiserver for the rest of the session.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.cut()


@pytest.fixture
def proxy(admin_config: Any) -> Iterator[CuttableProxy]:
    url = urlsplit(admin_config.server)
    p = CuttableProxy((url.hostname or "127.0.0.1", url.port or 443))
    yield p
    p.close()


def proxied_config(admin_config: Any, proxy: CuttableProxy) -> Any:
    return dataclasses.replace(admin_config, server=f"https://127.0.0.1:{proxy.port}", qps=-1)


def template(name: str) -> dict[str, Any]:
    spec = {"containers": [{"name": "c", "image": "registry.example/x:1"}]}
    return {"metadata": {"name": name}, "template": {"spec": spec}}


def wait_until(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Deletes:
    def __init__(self) -> None:
        self.seen: list[Any] = []

    def on_add(self, obj: Any, initial: bool) -> None:
        pass

    def on_update(self, old: Any, new: Any) -> None:
        pass

    def on_delete(self, obj: Any) -> None:
        self.seen.append(obj)


def test_deletes_during_a_cut_arrive_as_tombstones(
    admin_config: Any, proxy: CuttableProxy, rest: RESTClient, namespace: str
) -> None:
    base = f"/api/v1/namespaces/{namespace}/podtemplates"
    for i in range(5):
        rest.create(base, template(f"cm-{i}"))
    errors: list[BaseException] = []
    deletes = Deletes()
    with RESTClient.from_config(proxied_config(admin_config, proxy)) as through_proxy:
        informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(
            DynamicClient(through_proxy)
            .resource("", "v1", "podtemplates")
            .namespace(namespace)
            .list_watch(),
            watch_error_handler=errors.append,
        )
        informer.add_event_handler(deletes)
        informer.start()
        try:
            assert informer.wait_for_sync(30)
            rest.delete(f"{base}/cm-0")  # a live delete: a normal DELETED event
            wait_until(lambda: len(deletes.seen) == 1, 30, "the live delete")
            assert not isinstance(deletes.seen[0], DeletedFinalStateUnknown)

            proxy.down = True
            proxy.cut()  # the watch connection dies mid-stream
            rest.delete(f"{base}/cm-1")
            rest.delete(f"{base}/cm-2")
            rest.create(base, template("cm-new"))
            time.sleep(1.0)  # the informer retries against the dead proxy meanwhile
            proxy.down = False

            wait_until(lambda: len(deletes.seen) == 3, 60, "deletes after reconnecting")
            tombstones = deletes.seen[1:]
            assert all(isinstance(t, DeletedFinalStateUnknown) for t in tombstones)
            assert sorted(t.key for t in tombstones) == [f"{namespace}/cm-1", f"{namespace}/cm-2"]
            assert object_meta(tombstones[0].obj).name in ("cm-1", "cm-2")
            wait_until(
                lambda: informer.lister().namespaced(namespace).get_or_none("cm-new") is not None,
                30,
                "the object created during the outage",
            )
            names = sorted(object_meta(o).name for o in informer.lister().list())
            assert names == ["cm-3", "cm-4", "cm-new"]
            assert errors, "the broken watch must be reported"
        finally:
            informer.stop()


async def test_async_informer_recovers_from_cut(
    admin_config: Any, proxy: CuttableProxy, rest: RESTClient, namespace: str
) -> None:
    base = f"/api/v1/namespaces/{namespace}/podtemplates"
    rest.create(base, template("keep"))
    rest.create(base, template("gone"))
    deletes = Deletes()
    async with AsyncRESTClient.from_config(proxied_config(admin_config, proxy)) as client:
        informer: AsyncSharedIndexInformer[dict[str, Any]] = AsyncSharedIndexInformer(
            AsyncDynamicClient(client)
            .resource("", "v1", "podtemplates")
            .namespace(namespace)
            .list_watch(),
            use_watch_list=True,
        )
        informer.add_event_handler(deletes)
        informer.start()
        try:
            assert await informer.wait_for_sync(30)
            proxy.down = True
            proxy.cut()
            rest.delete(f"{base}/gone")
            await _sleep(1.0)
            proxy.down = False
            for _ in range(600):
                if deletes.seen:
                    break
                await _sleep(0.05)
            assert len(deletes.seen) == 1
            assert isinstance(deletes.seen[0], DeletedFinalStateUnknown)
            assert deletes.seen[0].key == f"{namespace}/gone"
        finally:
            await informer.stop()


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def test_stop_interrupts_an_idle_watch_promptly(rest: RESTClient, namespace: str) -> None:
    informer: SharedIndexInformer[dict[str, Any]] = SharedIndexInformer(
        DynamicClient(rest).resource("", "v1", "configmaps").namespace(namespace).list_watch()
    )
    informer.start()
    assert informer.wait_for_sync(30)
    time.sleep(0.5)  # the reflector is now blocked reading a quiet watch stream
    began = time.monotonic()
    informer.stop(timeout=10)
    assert time.monotonic() - began < 2.0
    assert informer._runner is not None and not informer._runner.handle.is_alive()
