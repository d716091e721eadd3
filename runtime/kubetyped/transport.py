"""httpx clients for one apiserver: TLS, proxy, compression, auth, rate limiting and retries.

`build_http_client(config)` / `build_async_http_client(config)` return an `httpx.Client` /
`httpx.AsyncClient` whose transport waits on the rate limiter before every attempt (watches
excepted) and retries as `kubetyped.retry` decides. They and the retrying transports live in
`kubetyped.async_transport` (the source) and `kubetyped.sync_transport` (generated from it by
`make unasync`); this module holds what both share and re-exports them.

Rate limiting is per config, like a client-go clientset: every client built from one `ClientConfig`
object shares one token bucket (`shared_limiter(config)`), unless a limiter is passed explicitly.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import urllib.request
import weakref
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx

from kubetyped.auth.static import BasicAuth
from kubetyped.auth.tls import CertRotation
from kubetyped.errors import ConfigError
from kubetyped.ratelimit import TokenBucketRateLimiter, from_config
from kubetyped.request import DEFAULT_TIMEOUT, IDLE_TIMEOUT_EXTENSION, JSON, is_stream_request
from kubetyped.urls import check_url, redact_url, split_userinfo, without_query
from kubetyped.version import default_user_agent

__all__ = [
    "AsyncSleep",
    "RotationWatch",
    "Sleep",
    "TransportConfig",
    "cert_rotation",
    "client_kwargs",
    "network_transport",
    "prepare_extensions",
    "shared_limiter",
]

if TYPE_CHECKING:
    pass

_T = TypeVar("_T")

Sleep = Callable[[float], None]
AsyncSleep = Callable[[float], Awaitable[None]]


class TransportConfig(Protocol):
    """The part of `kubetyped.config.ClientConfig` the transport reads."""

    @property
    def server(self) -> str:
        """The apiserver URL (`https://host:port`, optionally with a path prefix)."""
        ...

    @property
    def auth(self) -> httpx.Auth | None:
        """The credential flow for every request (token, basic, exec, OIDC), None for none or a
        client certificate alone.
        """
        ...

    @property
    def proxy_url(self) -> str | None:
        """The kubeconfig's `proxy-url` (http, https or socks5), None to use
        `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (see `resolve_proxy`).
        """
        ...

    @property
    def disable_compression(self) -> bool:
        """True to ask for uncompressed answers (`Accept-Encoding: identity`), kubeconfig
        `disable-compression`.
        """
        ...

    @property
    def tls_server_name(self) -> str | None:
        """The name to verify the server's certificate against (and send as SNI) instead of the
        URL's host.
        """
        ...

    @property
    def qps(self) -> float:
        """Sustained requests per second of the client's rate limiter (client-go `rest.Config.QPS`,
        default 5).
        """
        ...

    @property
    def burst(self) -> int:
        """Requests the rate limiter lets through at once (client-go `rest.Config.Burst`, default
        10).
        """
        ...

    @property
    def user_agent(self) -> str:
        """The `User-Agent` header ("" for the default)."""
        ...

    @property
    def timeout(self) -> float | None:
        """Seconds for connect, read, write and pool waits of each request; None for
        `request.DEFAULT_TIMEOUT`.
        """
        ...

    def impersonation_headers(self) -> Iterable[tuple[str, str]] | Mapping[str, str]:
        """The `Impersonate-User`/`-Group`/`-Uid`/`-Extra-*` headers to send (none when not
        impersonating).
        """
        ...

    def ssl_context(self, *, for_proxy: bool = False) -> ssl.SSLContext | bool:
        """The TLS context for the apiserver (`for_proxy=True`: for an https proxy, verified with
        the cluster's TLS settings), or a bool for httpx's `verify`.
        """
        ...


# --- one limiter per config object ----------------------------------------------------------

_shared_lock = threading.Lock()
_shared: dict[int, tuple[Any, TokenBucketRateLimiter | None]] = {}


def shared_limiter(config: TransportConfig) -> TokenBucketRateLimiter | None:
    """The token bucket of `config` (None when `qps` is negative), created on first use.

    Keyed by the config object's identity, so every client made from one config shares it; the
    entry goes away with the config.
    """
    key = id(config)
    with _shared_lock:
        entry = _shared.get(key)
        if entry is not None:
            ref, limiter = entry
            if (ref() if isinstance(ref, weakref.ref) else ref) is config:
                return limiter
        limiter = from_config(config.qps, config.burst)

        def forget(_ref: object) -> None:
            with _shared_lock:
                _shared.pop(key, None)

        try:
            ref = weakref.ref(config, forget)
        except TypeError:  # not weak-referenceable: keep it alive so its id is not reused
            ref = config
        _shared[key] = (ref, limiter)
        return limiter


# --- proxy, headers, timeouts ---------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_proxy(server: str, proxy_url: str | None) -> str | None:
    """The proxy for `server`: `proxy_url` if set, else HTTPS_PROXY/HTTP_PROXY honouring NO_PROXY.

    Like Go's `http.ProxyFromEnvironment`, loopback servers are never proxied from the environment.
    """
    if proxy_url:
        return proxy_url
    parts = urlsplit(server)
    host = parts.hostname or ""
    if not host or _is_loopback(host):
        return None
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(parts.scheme or "https")
    if not proxy:
        return None
    if no_proxy_matches(host, proxies.get("no", "")):
        return None
    return proxy


def no_proxy_matches(host: str, no_proxy: str) -> bool:
    """Whether NO_PROXY exempts `host`: `*`, exact names, domain suffixes, IPs and CIDRs."""
    host = host.lower().rstrip(".")
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        if address is not None and "/" in entry:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                pass
            continue
        if entry.count(":") == 1:  # host:port — the port is not compared
            entry = entry.split(":", 1)[0]
        entry = entry.removeprefix("*").lstrip(".")
        if host == entry or host.endswith("." + entry):
            return True
    return False


def default_headers(config: TransportConfig) -> httpx.Headers:
    """User-Agent, `Accept: application/json`, `Impersonate-*` and, if asked, no compression."""
    pairs: list[tuple[str, str]] = [
        ("User-Agent", config.user_agent or default_user_agent()),
        ("Accept", JSON),
    ]
    impersonation = config.impersonation_headers()
    if isinstance(impersonation, Mapping):
        pairs.extend((str(name), str(value)) for name, value in impersonation.items())
    else:
        pairs.extend(impersonation)
    if config.disable_compression:
        pairs.append(("Accept-Encoding", "identity"))
    return httpx.Headers(pairs)


def default_timeout(config: TransportConfig) -> httpx.Timeout:
    """The `httpx.Timeout` of ordinary requests: `config.timeout` seconds for each phase, else
    `request.DEFAULT_TIMEOUT`.
    """
    return httpx.Timeout(config.timeout if config.timeout is not None else DEFAULT_TIMEOUT)


def prepare_extensions(request: httpx.Request) -> None:
    """Streams read with their idle timeout (watches, `IDLE_TIMEOUT_EXTENSION`) or none (logs).

    (The `tls-server-name` override lives in the TLS context, see `ServerNameSSLContext`.)
    """
    if is_stream_request(request):
        timeout = request.extensions.get("timeout")
        idle = request.extensions.get(IDLE_TIMEOUT_EXTENSION)
        if isinstance(timeout, dict) and timeout.get("read") != idle:
            request.extensions["timeout"] = {**timeout, "read": idle}


# --- TCP keepalive --------------------------------------------------------------------------

#: Go's dialer defaults, which client-go uses (`net.Dialer{KeepAlive: 30s}`): first probe after
#: 30 s idle, then every 30 s, 9 unanswered probes drop the connection. A peer that vanished
#: (host down, NAT entry gone) is then noticed instead of a read blocking for ever.
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 30, 30, 9


def keepalive_socket_options() -> list[tuple[int, int, int]]:
    """`socket_options` for httpx transports: SO_KEEPALIVE plus the timings where supported."""
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    for name, value in (
        ("TCP_KEEPIDLE", KEEPALIVE_IDLE),
        ("TCP_KEEPALIVE", KEEPALIVE_IDLE),  # macOS name of TCP_KEEPIDLE
        ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL),
        ("TCP_KEEPCNT", KEEPALIVE_COUNT),
    ):
        option = getattr(socket, name, None)
        if option is not None and not (name == "TCP_KEEPALIVE" and hasattr(socket, "TCP_KEEPIDLE")):
            options.append((socket.IPPROTO_TCP, option, value))
    return options


# --- transports -----------------------------------------------------------------------------


class RotationWatch:
    """Whether a `CertRotation` moved since this transport last looked (thread-safe)."""

    def __init__(self, rotation: CertRotation | None) -> None:
        self._rotation = rotation
        self._seen = rotation.generation if rotation is not None else 0
        self._lock = threading.Lock()

    def moved(self) -> bool:
        """True (once per change) when the client certificate rotated since the last call: the
        caller then closes its pooled connections.
        """
        if self._rotation is None:
            return False
        current = self._rotation.generation
        with self._lock:
            if current == self._seen:
                return False
            self._seen = current
            return True


# --- clients --------------------------------------------------------------------------------


def _server_and_auth(config: TransportConfig) -> tuple[str, httpx.Auth | None]:
    """The base URL without userinfo, query and fragment (client-go `rest.NewRESTClient` drops
    the last two), and the auth: basic from the userinfo when there is one (Go's `http.Client`
    sets it before any round tripper, which then all keep it)."""
    problem = check_url(config.server, ("http", "https"))
    if problem is not None:
        raise ConfigError(
            f"server {redact_url(config.server)!r} {problem}",
            path=getattr(config, "source", None),
            field="server",
        )
    server, userinfo = split_userinfo(without_query(config.server))
    if userinfo is not None:
        return server, BasicAuth(*userinfo)
    return server, config.auth


def client_kwargs(config: TransportConfig) -> dict[str, Any]:
    """The `httpx.Client`/`httpx.AsyncClient` keyword arguments for `config`."""
    server, auth = _server_and_auth(config)
    return {
        "base_url": server,
        "auth": auth,
        "headers": default_headers(config),
        "timeout": default_timeout(config),
        "trust_env": False,  # the proxy is resolved once, by `resolve_proxy`
        "follow_redirects": False,
    }


def cert_rotation(config: TransportConfig) -> CertRotation | None:
    """The client-certificate rotation of the config's auth, if it has one."""
    rotation = getattr(config.auth, "cert_rotation", None)
    return rotation if isinstance(rotation, CertRotation) else None


def _network_kwargs(config: TransportConfig) -> dict[str, Any]:
    """`verify` and `proxy` for httpx's network transports.

    An `https://` proxy is verified with the same TLS settings as the apiserver (CA, insecure,
    client certificate), without `tls-server-name`; SOCKS5 needs `socksio` (httpx[socks]).
    """
    server, _ = split_userinfo(config.server)
    proxy_url = resolve_proxy(server, config.proxy_url)
    proxy: httpx.Proxy | None = None
    if proxy_url is not None:
        problem = check_url(proxy_url, ("http", "https", "socks5", "socks5h"))
        if problem is not None:
            raise ConfigError(
                f"proxy {redact_url(proxy_url)!r} {problem}",
                path=getattr(config, "source", None),
                field="proxy-url",
            )
        proxy_tls = urlsplit(proxy_url).scheme == "https"
        proxy_ctx = config.ssl_context(for_proxy=True) if proxy_tls else None
        proxy = httpx.Proxy(
            proxy_url, ssl_context=proxy_ctx if isinstance(proxy_ctx, ssl.SSLContext) else None
        )
    return {
        "verify": config.ssl_context(),
        "proxy": proxy,
        "trust_env": False,
        "socket_options": keepalive_socket_options(),
    }


def network_transport(config: TransportConfig, factory: Callable[..., _T]) -> _T:
    """`factory` (an httpx network transport class) with the config's TLS and proxy settings."""
    try:
        return factory(**_network_kwargs(config))
    except ImportError as exc:  # e.g. socksio missing from a trimmed install
        raise ConfigError(
            f"proxy {redact_url(config.proxy_url or '')!r} needs a package that is not "
            f"installed ({exc.name or 'socksio'}); install httpx[socks]",
            path=getattr(config, "source", None),
            field="proxy-url",
        ) from None


_TWINS = {
    "AsyncRetryTransport": "kubetyped.async_transport",
    "build_async_http_client": "kubetyped.async_transport",
    "RetryTransport": "kubetyped.sync_transport",
    "build_http_client": "kubetyped.sync_transport",
}


def __getattr__(name: str) -> Any:
    # the transports import this module, so they are re-exported lazily
    if name in _TWINS:
        import importlib

        return getattr(importlib.import_module(_TWINS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
