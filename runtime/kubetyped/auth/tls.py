"""TLS helpers shared by the config, auth and transport layers.

* `load_cert_chain_from_memory`: ssl only reads certificates from files.
* `ServerNameSSLContext`: an `ssl.SSLContext` that presents and verifies a fixed server name
  (kubeconfig `tls-server-name`) on every TLS connection it sets up, direct or through a proxy,
  and can load the system trust roots at its first connection rather than when it is built.
* `CertRotation`: a generation counter that moves when a client certificate changes; transports
  close their pooled connections when it has moved (client-go's connection tracker).
"""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import threading
from typing import Any

__all__ = ["CertRotation", "client_ssl_context", "load_cert_chain_from_memory"]


def load_cert_chain_from_memory(ctx: ssl.SSLContext, cert_pem: bytes, key_pem: bytes) -> None:
    """Write cert and key to a private (0600) temp file, load it, and delete it at once."""
    import tempfile  # only client-certificate users need it

    fd, name = tempfile.mkstemp(prefix="kubetyped-", suffix=".pem")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(cert_pem.rstrip(b"\n") + b"\n" + key_pem)
        ctx.load_cert_chain(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


_SYSTEM_ROOTS_LOCK = threading.Lock()


class ServerNameSSLContext(ssl.SSLContext):
    """Client context whose connections use `server_name` for SNI and the certificate check.

    The name is applied where the handshake is set up (`wrap_socket`, `wrap_bio`), so it holds on
    every path httpcore takes: direct, HTTP CONNECT tunnels, SOCKS5 and TLS-in-TLS, sync and
    asyncio. Source: client-go `tls.Config.ServerName` from `rest.TLSClientConfig.ServerName`.

    After `load_system_roots_on_first_use()`, the system trust roots are loaded by the first
    `wrap_socket`/`wrap_bio` (or `get_ca_certs`/`cert_store_stats`), not when the context is
    built: reading the system store costs about 15 ms, which a client that has not connected yet
    should not pay (Go's crypto/x509 `systemRootsPool` loads them once, on first verification).
    """

    server_name: str | None = None
    _system_roots_pending: bool = False

    def load_system_roots_on_first_use(self) -> None:
        """Load the system trust roots (`load_default_certs(Purpose.SERVER_AUTH)`) just before the
        first handshake or CA query of this context, once, thread-safely. Returns None."""
        self._system_roots_pending = True

    def _load_pending_system_roots(self) -> None:
        with _SYSTEM_ROOTS_LOCK:
            if self._system_roots_pending:
                self.load_default_certs(ssl.Purpose.SERVER_AUTH)
                self._system_roots_pending = False

    def get_ca_certs(self, binary_form: bool = False) -> Any:  # typeshed: overloads, then Any
        """`ssl.SSLContext.get_ca_certs`, after loading pending system roots."""
        if self._system_roots_pending:
            self._load_pending_system_roots()
        return super().get_ca_certs(binary_form)

    def cert_store_stats(self) -> dict[str, int]:
        """`ssl.SSLContext.cert_store_stats`, after loading pending system roots."""
        if self._system_roots_pending:
            self._load_pending_system_roots()
        return super().cert_store_stats()

    def wrap_socket(
        self,
        sock: socket.socket,
        server_side: bool = False,
        do_handshake_on_connect: bool = True,
        suppress_ragged_eofs: bool = True,
        server_hostname: str | bytes | None = None,
        session: ssl.SSLSession | None = None,
    ) -> ssl.SSLSocket:
        """`ssl.SSLContext.wrap_socket` with `server_name` (when set) as the SNI and verified host name
        of client connections.
        """
        if self._system_roots_pending:
            self._load_pending_system_roots()
        if self.server_name and not server_side:
            server_hostname = self.server_name
        return super().wrap_socket(
            sock,
            server_side=server_side,
            do_handshake_on_connect=do_handshake_on_connect,
            suppress_ragged_eofs=suppress_ragged_eofs,
            server_hostname=server_hostname,
            session=session,
        )

    def wrap_bio(
        self,
        incoming: ssl.MemoryBIO,
        outgoing: ssl.MemoryBIO,
        server_side: bool = False,
        server_hostname: str | bytes | None = None,
        session: ssl.SSLSession | None = None,
    ) -> ssl.SSLObject:
        """`ssl.SSLContext.wrap_bio` (asyncio and TLS-in-TLS) with `server_name` (when set) as the SNI
        and verified host name of client connections.
        """
        if self._system_roots_pending:
            self._load_pending_system_roots()
        if self.server_name and not server_side:
            server_hostname = self.server_name
        return super().wrap_bio(
            incoming,
            outgoing,
            server_side=server_side,
            server_hostname=server_hostname,
            session=session,
        )


def client_ssl_context(server_name: str | None = None) -> ServerNameSSLContext:
    """A verifying TLS 1.2+ client context with no trust roots loaded yet."""
    ctx = ServerNameSSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.server_name = server_name
    return ctx


class CertRotation:
    """Counts client-certificate changes; a transport that saw an older count closes its pool.

    client-go: `connrotation.Dialer.CloseAll` called from `exec.Authenticator.refreshCredsLocked`
    (plugin/pkg/client/auth/exec/exec.go) and `transport/cert_rotation.go` when the certificate
    changes, so kept-alive connections stop presenting the old certificate.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0

    @property
    def generation(self) -> int:
        """How many times the client certificate changed; a transport compares it with the count it
        last saw.
        """
        return self._generation

    def rotated(self) -> None:
        """Record that the certificate changed."""
        with self._lock:
            self._generation += 1
