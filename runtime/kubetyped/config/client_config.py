"""`ClientConfig`: everything a transport needs to reach one apiserver, frozen and secret-safe."""

from __future__ import annotations

import ssl
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from kubetyped.auth.impersonation import Impersonation
from kubetyped.auth.tls import client_ssl_context, load_cert_chain_from_memory
from kubetyped.config.errors import InvalidKubeconfigError
from kubetyped.urls import redact_url
from kubetyped.version import default_user_agent

if TYPE_CHECKING:
    from kubetyped.auth.exec_plugin import ExecAuth

__all__ = ["ClientConfig"]

DEFAULT_QPS = 5.0
DEFAULT_BURST = 10


def _bind_exec_auth(auth: httpx.Auth | None, ctx: ssl.SSLContext) -> None:
    """Let an exec plugin's client certificate reach `ctx` (see `ExecAuth.bind_ssl_context`)."""
    # An ExecAuth can only exist once its module is loaded; don't load it for other auths.
    exec_plugin = sys.modules.get("kubetyped.auth.exec_plugin")
    exec_auth: type[ExecAuth] | None = getattr(exec_plugin, "ExecAuth", None)
    if exec_auth is not None and isinstance(auth, exec_auth):
        auth.bind_ssl_context(ctx)


@dataclass(frozen=True, repr=False)
class ClientConfig:
    """How to reach and authenticate to one apiserver.

    `qps` 0 means the default (5); a negative `qps` disables client-side rate limiting.
    `proxy_url`, when set, wins over HTTP(S)_PROXY environment variables. `tls_server_name`
    overrides SNI and the name the certificate is checked against, through proxies too.
    A `user:password@` in `server` becomes HTTP basic auth; the transport strips it from the URL.
    """

    server: str
    ca_data: bytes | None = None
    insecure_skip_tls_verify: bool = False
    tls_server_name: str | None = None
    client_cert_data: bytes | None = None
    client_key_data: bytes | None = field(default=None, repr=False)
    auth: httpx.Auth | None = None
    impersonate: Impersonation | None = None
    proxy_url: str | None = None
    disable_compression: bool = False
    namespace: str = "default"
    qps: float = DEFAULT_QPS
    burst: int = DEFAULT_BURST
    user_agent: str = field(default_factory=default_user_agent)
    timeout: float | None = None
    context_name: str | None = None
    source: str = "<memory>"
    cluster_name: str | None = None
    user_name: str | None = None

    def __post_init__(self) -> None:
        if self.qps == 0:
            object.__setattr__(self, "qps", DEFAULT_QPS)
        if self.burst == 0:
            object.__setattr__(self, "burst", DEFAULT_BURST)

    def impersonation_headers(self) -> list[tuple[str, str]]:
        """`Impersonate-*` header pairs (repeated names for groups and extra values)."""
        return self.impersonate.headers() if self.impersonate else []

    def _error(self, message: str, kind: str, name: str | None, field_name: str) -> Exception:
        entry = f' {kind} "{name}"' if name else ""
        return InvalidKubeconfigError(
            f'{message} for{entry} (field "{field_name}") in {self.source}',
            path=self.source,
            entry=name,
            field=field_name,
        )

    def ssl_context(self, *, for_proxy: bool = False) -> ssl.SSLContext | bool:
        """TLS settings for the transport: verification against `ca_data` (or the system roots,
        read at the first connection), no verification only when `insecure_skip_tls_verify`, and
        the client certificate.

        `tls_server_name` is built into the context (`ServerNameSSLContext`), so SNI and the
        certificate check use it on every path, proxies included. `for_proxy=True` gives the
        same settings without it, for the TLS connection to an `https://` proxy (Go's
        `http.Transport` verifies a proxy with its `TLSClientConfig`).

        An exec plugin that returns client certificates is bound to this context so it can load
        them (see `ExecAuth`). Raises `InvalidKubeconfigError` naming the field for bad PEM.
        """
        ctx = client_ssl_context(None if for_proxy else self.tls_server_name)
        if self.ca_data is None:  # read at the first connection (start-up cost, issue 16)
            ctx.load_system_roots_on_first_use()
        else:  # the CA data replaces the system roots
            try:
                ctx.load_verify_locations(cadata=self.ca_data.decode("ascii"))
            except (ssl.SSLError, UnicodeDecodeError, ValueError):
                raise self._error(
                    "certificate authority is not valid PEM",
                    "cluster",
                    self.cluster_name,
                    "certificate-authority-data",
                ) from None
        if self.insecure_skip_tls_verify:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        if self.client_cert_data is not None and self.client_key_data is not None:
            try:
                load_cert_chain_from_memory(ctx, self.client_cert_data, self.client_key_data)
            except ssl.SSLError:
                raise self._error(
                    "client certificate and key are not a valid PEM pair",
                    "user",
                    self.user_name,
                    "client-certificate-data",
                ) from None
        _bind_exec_auth(self.auth, ctx)
        return ctx

    def __repr__(self) -> str:
        parts = [
            f"server={redact_url(self.server)!r}",
            f"context_name={self.context_name!r}",
            f"namespace={self.namespace!r}",
            f"source={self.source!r}",
            f"ca_data={'<set>' if self.ca_data else None}",
            f"insecure_skip_tls_verify={self.insecure_skip_tls_verify}",
            f"tls_server_name={self.tls_server_name!r}",
            f"client_cert={'<set>' if self.client_cert_data else None}",
            f"auth={self.auth!r}",
            f"impersonate={self.impersonate!r}",
            f"proxy_url={redact_url(self.proxy_url) if self.proxy_url else None!r}",
            f"qps={self.qps}",
            f"burst={self.burst}",
            f"timeout={self.timeout}",
        ]
        return f"ClientConfig({', '.join(parts)})"
