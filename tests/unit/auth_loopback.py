"""Real loopback servers for the auth/TLS/proxy tests (no tests here).

* `ApiServerStub`: an HTTP/1.1 keep-alive server, plain or TLS, that records for every request
  the connection it came on, the SNI name, the client certificate's CN and the headers, and
  answers 401 to client certificates whose CN is in `reject_cns`.
* `ConnectProxy`: an HTTP CONNECT proxy, plain or TLS (an `https://` proxy).
* `Socks5Proxy`: a SOCKS5 proxy (no auth, CONNECT only).
* `OIDCIssuer`: discovery + a token endpoint that accepts only HTTP Basic or only form client
  authentication.
* `test_ca()`: a CA (cryptography) issuing server and client certificates.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import ssl
import struct
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from tests.cluster.pki import CertificateAuthority, KeyPair


def test_ca() -> CertificateAuthority:
    return CertificateAuthority("kubetyped-auth-test-ca")


test_ca.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def server_context(pair: KeyPair, client_ca: bytes | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as tmp:
        pem = Path(tmp) / "server.pem"
        pem.write_bytes(pair.cert_pem + pair.key_pem)
        ctx.load_cert_chain(pem)
    if client_ca is not None:
        ctx.verify_mode = ssl.CERT_OPTIONAL
        ctx.load_verify_locations(cadata=client_ca.decode())
    return ctx


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    connection: int
    sni: str | None
    client_cn: str | None
    body: bytes = b""


def _common_name(peer: Any) -> str | None:
    if not peer:
        return None
    for rdn in peer.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that drops the connection or refuses the handshake is not news


@dataclass
class ApiServerStub:
    """A loopback "apiserver" that records what reaches it. Use as a context manager."""

    tls: ssl.SSLContext | None = None
    reject_cns: set[str] = field(default_factory=set)
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._connections = 0
        self._lock = threading.Lock()
        self._sni: dict[int, str | None] = {}
        if self.tls is not None:
            self.tls.sni_callback = self._record_sni
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                if stub.tls is not None:
                    self.request = stub.tls.wrap_socket(self.request, server_side=True)
                with stub._lock:
                    stub._connections += 1
                    self.connection_id = stub._connections
                super().setup()

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                cn, sni = None, None
                if isinstance(self.connection, ssl.SSLSocket):
                    cn = _common_name(self.connection.getpeercert())
                    sni = stub._sni.get(id(self.connection))
                seen = Seen(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.connection_id,
                    sni,
                    cn,
                    body,
                )
                with stub._lock:
                    stub.requests.append(seen)
                code = 401 if cn is not None and cn in stub.reject_cns else 200
                payload = json.dumps(
                    {"kind": "Status", "code": code, "cn": cn, "path": self.path}
                ).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = _handle

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _record_sni(self, sock: Any, name: str | None, ctx: ssl.SSLContext) -> None:
        self._sni[id(sock)] = name

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def __enter__(self) -> ApiServerStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def _pipe(a: socket.socket, b: socket.socket) -> None:
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


class _Proxy:
    """Accept loop shared by the proxies; `targets` lists each tunnel's "host:port"."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.targets: list[str] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._open: list[socket.socket] = []

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            upstream = self.handshake(conn)
        except (OSError, ValueError):
            conn.close()
            return
        self._open.append(upstream)
        threading.Thread(target=_pipe, args=(conn, upstream), daemon=True).start()
        _pipe(upstream, conn)

    def handshake(self, conn: socket.socket) -> socket.socket:
        raise NotImplementedError

    def __enter__(self) -> _Proxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()
        for s in self._open:
            with contextlib.suppress(OSError):
                s.close()


class ConnectProxy(_Proxy):
    """HTTP CONNECT proxy; with `tls` it is an `https://` proxy. `upstream_host`, when set,
    replaces the host of every CONNECT target (a stand-in for DNS the test machine lacks)."""

    upstream_host: str | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def handshake(self, conn: socket.socket) -> socket.socket:
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = conn.recv(4096)
            if not data:
                raise OSError("eof")
            buf += data
        method, target, _ = buf.split(b"\r\n", 1)[0].decode().split(" ", 2)
        if method != "CONNECT":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            raise OSError("not CONNECT")
        self.targets.append(target)
        host, port = target.rsplit(":", 1)
        host = self.upstream_host or host.strip("[]")
        upstream = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        return upstream


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise OSError("eof")
        data += chunk
    return data


class Socks5Proxy(_Proxy):
    """SOCKS5 (RFC 1928), no authentication, CONNECT only."""

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self.port}"

    def handshake(self, conn: socket.socket) -> socket.socket:
        _, methods = _recv_exact(conn, 2)
        _recv_exact(conn, methods)
        conn.sendall(b"\x05\x00")
        _, cmd, _, atyp = _recv_exact(conn, 4)
        if atyp == 1:
            host = socket.inet_ntoa(_recv_exact(conn, 4))
        elif atyp == 3:
            host = _recv_exact(conn, _recv_exact(conn, 1)[0]).decode()
        else:
            host = socket.inet_ntop(socket.AF_INET6, _recv_exact(conn, 16))
        (port,) = struct.unpack(">H", _recv_exact(conn, 2))
        if cmd != 1:
            raise OSError("not CONNECT")
        self.targets.append(f"{host}:{port}")
        upstream = socket.create_connection((host, port))
        conn.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack(">H", 0))
        return upstream


@dataclass
class OIDCIssuer:
    """Plain-HTTP loopback issuer. `accept` is "basic" or "form": how the token endpoint wants
    the client id and secret; anything else gets 401 invalid_client. `error` overrides the
    error code sent on rejection (to check it is not echoed)."""

    client_id: str
    client_secret: str
    id_token: str
    refresh_token: str
    accept: str = "basic"
    error: str = "invalid_client"
    token_requests: list[tuple[dict[str, str], dict[str, list[str]]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, code: int, doc: dict[str, Any]) -> None:
                payload = json.dumps(doc).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._json(200, {"issuer": issuer.url, "token_endpoint": f"{issuer.url}/token"})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = parse_qs(body)
                headers = {k.lower(): v for k, v in self.headers.items()}
                issuer.token_requests.append((headers, form))
                if issuer._authenticated(headers, form):
                    self._json(
                        200,
                        {
                            "id_token": issuer.id_token,
                            "refresh_token": issuer.refresh_token,
                            "token_type": "Bearer",
                        },
                    )
                else:
                    self._json(401, {"error": issuer.error})

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _authenticated(self, headers: dict[str, str], form: dict[str, list[str]]) -> bool:
        if self.accept == "basic":
            raw = f"{self.client_id}:{self.client_secret}".encode()
            expected = "Basic " + base64.b64encode(raw).decode()
            return headers.get("authorization") == expected and "client_secret" not in form
        if self.accept != "form":
            return False
        return (
            "authorization" not in headers
            and form.get("client_id") == [self.client_id]
            and form.get("client_secret") == [self.client_secret]
        )

    def __enter__(self) -> OIDCIssuer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextlib.contextmanager
def serving(*servers: Any) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for server in servers:
            stack.enter_context(server)
        yield
