"""TLS helpers shared by the config, auth and transport layers.

* `load_cert_chain_from_memory`: ssl only reads certificates from files.
* `ServerNameSSLContext`: an `ssl.SSLContext` that presents and verifies a fixed server name
  (kubeconfig `tls-server-name`) on every TLS connection it sets up, direct or through a proxy.
* `CertRotation`: a generation counter that moves when a client certificate changes; transports
  close their pooled connections when it has moved (client-go's connection tracker).
"""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import threading

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


class ServerNameSSLContext(ssl.SSLContext):
    """Client context whose connections use `server_name` for SNI and the certificate check.

    The name is applied where the handshake is set up (`wrap_socket`, `wrap_bio`), so it holds on
    every path httpcore takes: direct, HTTP CONNECT tunnels, SOCKS5 and TLS-in-TLS, sync and
    asyncio. Source: client-go `tls.Config.ServerName` from `rest.TLSClientConfig.ServerName`.
    """

    server_name: str | None = None

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
