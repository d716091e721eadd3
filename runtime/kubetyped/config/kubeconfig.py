"""`load_kubeconfig()`: merged kubeconfig files + a chosen context → `ClientConfig`."""

from __future__ import annotations

import base64
import os
import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kubetyped.auth.exec_constants import DEFAULT_TIMEOUT
from kubetyped.auth.flow import Clock, system_clock
from kubetyped.config.client_config import ClientConfig
from kubetyped.config.errors import ContextNotFoundError, InvalidKubeconfigError
from kubetyped.config.fields import Fields
from kubetyped.config.kubeconfig_files import (
    Entry,
    KubeconfigPaths,
    MergedKubeconfig,
    load_merged_kubeconfig,
    merge_kubeconfig_docs,
)
from kubetyped.config.user_auth import AuthOptions, user_credentials
from kubetyped.urls import check_url, redact_url

EXEC_EXTENSION = "client.authentication.k8s.io/exec"
_PROXY_SCHEMES = ("http", "https", "socks5")


def _context_entry(merged: MergedKubeconfig, context: str | None) -> Entry:
    name = context or merged.current_context
    if name is None:
        raise ContextNotFoundError(
            f"no context given and no current-context set in {merged.describe_files()}",
            field="current-context",
        )
    entry = merged.contexts.get(name)
    if entry is None:
        origin = "requested" if context else f"current-context of {merged.current_context_source}"
        raise ContextNotFoundError(
            f'context "{name}" ({origin}) is not defined in {merged.describe_files()}',
            path=str(merged.current_context_source) if not context else None,
            entry=name,
            field="current-context" if not context else "contexts",
        )
    return entry


def _referenced(
    merged: MergedKubeconfig, ctx: Fields, key: str, table: Mapping[str, Entry]
) -> Entry:
    name = ctx.string(key)
    if name is None:
        raise ctx.error(key, "is required")
    found = table.get(name)
    if found is None:
        raise ctx.error(key, f'refers to {key} "{name}", not defined in {merged.describe_files()}')
    return found


def _server(cluster: Fields) -> tuple[str, str]:
    """(the URL the client uses, the value as written). Without a scheme, `http://` is assumed,
    like client-go (`rest.DefaultServerURL` with no TLS settings merged yet)."""
    raw = cluster.string("server")
    if raw is None:
        raise cluster.error("server", "no server set")
    server = raw if "://" in raw else f"http://{raw}"
    problem = check_url(server, ("http", "https"))
    if problem is not None:
        raise cluster.error("server", f"{redact_url(server)!r} {problem}")
    return server.rstrip("/"), raw


def _proxy(cluster: Fields) -> str | None:
    proxy = cluster.string("proxy-url")
    if proxy is not None:
        problem = check_url(proxy, _PROXY_SCHEMES)
        if problem is not None:
            raise cluster.error("proxy-url", f"{redact_url(proxy)!r} {problem}")
    return proxy


def _check_ca(cluster: Fields, ca: bytes) -> None:
    """The CA must hold at least one PEM certificate; blame the field the user wrote."""
    field_name = (
        "certificate-authority-data"
        if cluster.has("certificate-authority-data")
        else "certificate-authority"
    )
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=ca.decode("ascii"))
    except (ssl.SSLError, UnicodeDecodeError, ValueError):
        raise cluster.error(field_name, "does not hold a PEM certificate") from None


def _exec_extension(cluster: Fields) -> Any:
    extensions = cluster.entry.body.get("extensions") or []
    if isinstance(extensions, list):
        for item in extensions:
            if isinstance(item, dict) and item.get("name") == EXEC_EXTENSION:
                return item.get("extension")
    return None


def _cluster_info(cluster: Fields, server: str, ca: bytes | None) -> dict[str, Any]:
    """ExecCredential `spec.cluster` (provideClusterInfo)."""
    info: dict[str, Any] = {"server": server}
    optional: dict[str, Any] = {
        "tls-server-name": cluster.string("tls-server-name"),
        "insecure-skip-tls-verify": cluster.boolean("insecure-skip-tls-verify") or None,
        "certificate-authority-data": base64.b64encode(ca).decode() if ca else None,
        "proxy-url": cluster.string("proxy-url"),
        "disable-compression": cluster.boolean("disable-compression") or None,
        "config": _exec_extension(cluster),
    }
    info.update({k: v for k, v in optional.items() if v is not None})
    return info


def client_config_from_merged(
    merged: MergedKubeconfig,
    *,
    context: str | None = None,
    namespace: str | None = None,
    exec_timeout: float = DEFAULT_TIMEOUT,
    clock: Clock = system_clock,
    persist_tokens: bool = True,
) -> ClientConfig:
    """Resolve `context` (or the current one) into a validated `ClientConfig`.

    As client-go's `DirectClientConfig.ClientConfig` (tools/clientcmd/client_config.go): a user
    the context names but no file defines is anonymous; the user's credentials and the cluster's
    TLS settings apply only when the server is `https://` (`rest.IsConfigTransportTLS`), while
    impersonation applies always. `persist_tokens=False` keeps refreshed OIDC tokens in memory.
    """
    ctx_entry = _context_entry(merged, context)
    ctx = Fields(ctx_entry)
    cluster_entry = _referenced(merged, ctx, "cluster", merged.clusters)
    user_name = ctx.string("user")
    user_entry = merged.users.get(user_name) if user_name is not None else None
    cluster = Fields(cluster_entry)

    server, raw_server = _server(cluster)
    ca = cluster.data_or_file("certificate-authority-data", "certificate-authority")
    insecure = cluster.boolean("insecure-skip-tls-verify")
    if insecure and ca is not None:
        raise cluster.error(
            "insecure-skip-tls-verify", "cannot be combined with a certificate authority"
        )
    if ca is not None:
        _check_ca(cluster, ca)

    options = AuthOptions(
        exec_timeout,
        clock,
        lambda: _cluster_info(cluster, raw_server, ca),
        persist_tokens=persist_tokens,
    )
    creds = user_credentials(user_entry, options)
    tls = urlsplit(server).scheme == "https"
    return ClientConfig(
        server=server,
        ca_data=ca if tls else None,
        insecure_skip_tls_verify=insecure and tls,
        tls_server_name=cluster.string("tls-server-name") if tls else None,
        client_cert_data=creds.client_cert_data if tls else None,
        client_key_data=creds.client_key_data if tls else None,
        auth=creds.auth if tls else None,
        impersonate=creds.impersonate,
        proxy_url=_proxy(cluster),
        disable_compression=cluster.boolean("disable-compression"),
        namespace=namespace or ctx.string("namespace") or "default",
        context_name=ctx_entry.name,
        source=str(ctx_entry.source),
        cluster_name=cluster_entry.name,
        user_name=user_entry.name if user_entry else None,
    )


def load_kubeconfig(
    paths: KubeconfigPaths | None = None,
    *,
    context: str | None = None,
    namespace: str | None = None,
    exec_timeout: float = DEFAULT_TIMEOUT,
    clock: Clock = system_clock,
) -> ClientConfig:
    """Load kubeconfig file(s) like kubectl and build the config of `context` (default: current).

    `paths`: one path or several (all must exist); None means `KUBECONFIG` or ~/.kube/config.
    `namespace` overrides the context's namespace. `exec_timeout` bounds exec plugins.
    """
    merged = load_merged_kubeconfig(paths)
    return client_config_from_merged(
        merged, context=context, namespace=namespace, exec_timeout=exec_timeout, clock=clock
    )


def load_kubeconfig_dict(
    doc: Mapping[str, Any],
    *,
    context: str | None = None,
    namespace: str | None = None,
    source: str | os.PathLike[str] = "<dict>",
    exec_timeout: float = DEFAULT_TIMEOUT,
    clock: Clock = system_clock,
) -> ClientConfig:
    """Like `load_kubeconfig` for an already parsed document; `source` names it in messages
    and relative file references resolve against its directory. No file stands behind the
    document, so refreshed OIDC tokens stay in memory (client-go's no-op persister)."""
    merged = merge_kubeconfig_docs([(Path(source), doc)])
    return client_config_from_merged(
        merged,
        context=context,
        namespace=namespace,
        exec_timeout=exec_timeout,
        clock=clock,
        persist_tokens=False,
    )


__all__ = [
    "InvalidKubeconfigError",
    "client_config_from_merged",
    "load_kubeconfig",
    "load_kubeconfig_dict",
]
