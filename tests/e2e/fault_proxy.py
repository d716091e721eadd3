"""A fault-injecting proxy between clients and the test kube-apiserver, on 127.0.0.1 only.

It terminates TLS with a serving certificate of the test cluster's CA (clients authenticate with
a bearer token, which passes through) and opens its own TLS connection to the apiserver, so it
can both shape bytes and answer HTTP itself. Faults:

* ``cut()``: every open connection is aborted (RST);
* ``stall()``: open connections, and those made until ``clear()``, stop forwarding in both
  directions and stay open for ever (a proxy or NAT that keeps the socket but drops the flow);
* ``black_hole()``: like ``stall()``, and new connections are accepted but never answered, not
  even the TLS handshake (a network partition without RST);
* ``drip()``: everything is forwarded in 64-byte pieces every 20 ms (about 3 KB/s);
* ``http_errors(code)``: new requests are answered ``429`` (``Retry-After: 1``) or ``500`` with a
  ``Status`` body; keep-alive connections are cut at the start so no request slips through;
  watches that are already streaming go on.

``clear()`` ends the window: new connections are forwarded normally again, and nothing that was
stalled is cut (recovery must not depend on a cut). Runs its own asyncio loop in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import threading
from dataclasses import dataclass, field
from typing import Any

PIECE, PIECE_DELAY = 64, 0.02


@dataclass(eq=False)
class _Conn:
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    frozen: bool = False
    watch: bool = False


class FaultProxy:
    def __init__(
        self,
        upstream: tuple[str, int],
        server_ctx: ssl.SSLContext,
        upstream_ctx: ssl.SSLContext,
    ) -> None:
        self.upstream = upstream
        self._server_ctx = server_ctx
        self._upstream_ctx = upstream_ctx
        self._conns: set[_Conn] = set()
        self.mode = "pass"  # pass | stall | black_hole | drip | http_429 | http_500
        self.faults: list[str] = []
        self.http_errors_sent = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="proxy")
        self._thread.start()
        self._server = self._call(self._start())
        self.port: int = self._server.sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    # ---- control (any thread) ----------------------------------------------------------
    def cut(self) -> None:
        self.faults.append("cut")
        self._call(self._cut(lambda c: True))

    def stall(self) -> None:
        self.faults.append("stall")
        self._call(self._freeze("stall"))

    def black_hole(self) -> None:
        self.faults.append("black_hole")
        self._call(self._freeze("black_hole"))

    def drip(self) -> None:
        self.faults.append("drip")
        self.mode = "drip"

    def http_errors(self, code: int) -> None:
        self.faults.append(f"http_{code}")
        self.mode = f"http_{code}"
        self._call(self._cut(lambda c: not c.watch))

    def clear(self) -> None:
        self.mode = "pass"

    def close(self) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(30)

    # ---- loop side ---------------------------------------------------------------------
    async def _start(self) -> asyncio.Server:
        return await asyncio.start_server(self._handle, "127.0.0.1", 0)

    async def _close(self) -> None:
        self._server.close()
        await self._cut(lambda c: True)
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _cut(self, which: Any) -> None:
        for conn in [c for c in self._conns if which(c)]:
            for writer in conn.writers:
                writer.transport.abort()
            self._conns.discard(conn)

    async def _freeze(self, mode: str) -> None:
        self.mode = mode
        for conn in self._conns:
            conn.frozen = True

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Conn(writers=[writer])
        self._conns.add(conn)
        try:
            if self.mode == "black_hole":  # accepted, never answered
                conn.frozen = True
                await _wait_closed_forever(reader)
                return
            await writer.start_tls(self._server_ctx)
            head = await reader.readuntil(b"\r\n\r\n")
            conn.watch = b"watch=true" in head.split(b"\r\n", 1)[0]
            if self.mode.startswith("http_"):
                await self._answer_error(writer, int(self.mode[5:]))
                return
            if self.mode == "stall":
                conn.frozen = True
            up_reader, up_writer = await asyncio.open_connection(
                *self.upstream, ssl=self._upstream_ctx, server_hostname=self.upstream[0]
            )
            conn.writers.append(up_writer)
            up_writer.write(head)
            await asyncio.gather(
                self._pump(reader, up_writer, conn), self._pump(up_reader, writer, conn)
            )
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ssl.SSLError):
            pass
        finally:
            self._conns.discard(conn)
            for w in conn.writers:
                with contextlib.suppress(Exception):
                    w.transport.abort()

    async def _pump(
        self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, conn: _Conn
    ) -> None:
        try:
            while data := await src.read(65536):
                while conn.frozen:  # for ever: a stalled flow never resumes by itself
                    if dst.is_closing():
                        return
                    await asyncio.sleep(0.05)
                while data and self.mode == "drip":  # checked per piece: ends with the window
                    piece, data = data[:PIECE], data[PIECE:]
                    dst.write(piece)
                    await dst.drain()
                    await asyncio.sleep(PIECE_DELAY)
                if data:
                    dst.write(data)
                    await dst.drain()
        except (OSError, ssl.SSLError):
            pass
        finally:
            with contextlib.suppress(Exception):
                dst.transport.abort()

    async def _answer_error(self, writer: asyncio.StreamWriter, code: int) -> None:
        reason = "TooManyRequests" if code == 429 else "InternalError"
        body = json.dumps(
            {
                "kind": "Status",
                "apiVersion": "v1",
                "status": "Failure",
                "code": code,
                "reason": reason,
                "message": f"injected {code} by the fault proxy",
                "details": {"retryAfterSeconds": 1} if code == 429 else {},
            }
        ).encode()
        phrase = "Too Many Requests" if code == 429 else "Internal Server Error"
        extra = "Retry-After: 1\r\n" if code == 429 else ""
        writer.write(
            f"HTTP/1.1 {code} {phrase}\r\nContent-Type: application/json\r\n{extra}"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        self.http_errors_sent += 1
        await writer.drain()


async def _wait_closed_forever(reader: asyncio.StreamReader) -> None:
    with contextlib.suppress(Exception):
        while await reader.read(65536):
            pass
