"""A kubeconfig `user` entry → an `httpx.Auth`, client certificate and impersonation.

client-go's rules (tools/clientcmd/validation.go `validateAuthInfo`,
tools/clientcmd/client_config.go `getUserIdentificationPartialConfig`,
transport/round_trippers.go `HTTPWrappersForConfig`, plugin/pkg/client/auth/exec/exec.go
`UpdateTransportConfig`):

* refused: a token (or tokenFile) together with username/password; exec together with an
  auth-provider; uid, groups or extra to impersonate without a user.
* precedence: token/tokenFile, then basic, then exec or the auth-provider. The exec plugin is
  not used when a token, basic auth or a client certificate is configured; an auth-provider
  with a client certificate sends both.
* `token` with `tokenFile`: the file's content when it can be read, else the inline token.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from kubetyped.auth.exec_constants import (
    DEFAULT_TIMEOUT,
    INTERACTIVE_MODES,
    SUPPORTED_API_VERSIONS,
    V1,
    clean_ansi_escape_codes,
)
from kubetyped.auth.flow import Clock, system_clock
from kubetyped.auth.impersonation import Impersonation
from kubetyped.auth.static import BasicAuth, BearerTokenAuth
from kubetyped.auth.token_file import TokenFileAuth
from kubetyped.config.errors import AuthMethodConflictError
from kubetyped.config.fields import Fields
from kubetyped.config.kubeconfig_files import Entry

if TYPE_CHECKING:  # loaded on first use: most users have a plain token or certificate
    from kubetyped.auth.exec_plugin import ExecAuth
    from kubetyped.auth.oidc import OIDCAuth

__all__: list[str] = []


@dataclass(frozen=True)
class UserCredentials:
    """What a kubeconfig user entry gives the transport: an `httpx.Auth` flow (token, basic, exec
    plugin or OIDC; None for a client certificate alone or anonymous), the client certificate and
    key (PEM bytes, hidden from repr) and the impersonation headers.
    """

    auth: httpx.Auth | None = None
    client_cert_data: bytes | None = field(default=None, repr=False)
    client_key_data: bytes | None = field(default=None, repr=False)
    impersonate: Impersonation | None = None


@dataclass(frozen=True)
class AuthOptions:
    """Knobs not found in kubeconfig: exec timeout and clocks (tests inject them)."""

    exec_timeout: float = DEFAULT_TIMEOUT
    clock: Clock = system_clock
    #: builds the ExecCredential `spec.cluster` for provideClusterInfo
    cluster_info: Callable[[], Mapping[str, Any]] | None = None
    #: write refreshed OIDC tokens back into the kubeconfig file (False: keep them in memory)
    persist_tokens: bool = True


def _conflict(user: Fields, methods: list[str], field_name: str) -> AuthMethodConflictError:
    return AuthMethodConflictError(
        f'more than one authentication method found for user "{user.entry.name}" in '
        f"{user.entry.source}: {', '.join(methods)} (fields); only one is allowed",
        path=str(user.entry.source),
        entry=user.entry.name,
        field=field_name,
    )


def _check_methods(user: Fields) -> None:
    token = "token" if user.has("token") else "tokenFile" if user.has("tokenFile") else None
    basic = user.has("username") or user.has("password")
    if token is not None and basic:
        raise _conflict(user, [token, "username/password"], "username")
    if user.has("exec") and user.has("auth-provider"):
        raise _conflict(user, ["exec", "auth-provider"], "auth-provider")


def _exec_auth(user: Fields, options: AuthOptions) -> ExecAuth:
    from kubetyped.auth.exec_plugin import ExecAuth, ExecConfig

    body = user.mapping("exec") or {}
    ex = Fields(user.entry, body, "exec.")
    command = ex.string("command")
    if command is None:
        raise ex.error("command", "is required")
    api_version = ex.string("apiVersion")
    if api_version not in SUPPORTED_API_VERSIONS:
        raise ex.error("apiVersion", f"must be one of {', '.join(SUPPORTED_API_VERSIONS)}")
    mode = ex.string("interactiveMode")
    if mode is None:
        if api_version == V1:
            raise ex.error("interactiveMode", f"is required for {V1}")
        mode = "IfAvailable"
    if mode not in INTERACTIVE_MODES:
        raise ex.error("interactiveMode", f"must be one of {', '.join(INTERACTIVE_MODES)}")
    env: list[tuple[str, str]] = []
    raw_env = body.get("env") or []
    if not isinstance(raw_env, list):
        raise ex.error("env", "must be a list of {name, value}")
    for item in raw_env:
        name = item.get("name") if isinstance(item, dict) else None
        value = item.get("value", "") if isinstance(item, dict) else None
        if value is None:
            value = ""  # `value:` left empty, as client-go reads it
        if not isinstance(name, str) or not name or not isinstance(value, str):
            raise ex.error("env", "entries need a non-empty string name and a string value")
        env.append((name, value))
    provide = ex.boolean("provideClusterInfo")
    cluster = options.cluster_info() if provide and options.cluster_info else None
    config = ExecConfig(
        command=command,
        api_version=api_version,
        args=ex.strings("args"),
        env=tuple(env),
        install_hint=_install_hint(ex.string("installHint")),
        provide_cluster_info=provide,
        interactive_mode=mode,
        cluster=cluster,
        timeout=options.exec_timeout,
        entry=user.entry.name,
        source=str(user.entry.source),
    )
    return ExecAuth(config, clock=options.clock)


def _install_hint(hint: str | None) -> str | None:
    return clean_ansi_escape_codes(hint) if hint is not None else None


def _oidc_auth(user: Fields, provider: Fields, options: AuthOptions) -> OIDCAuth:
    from kubetyped.auth.oidc import OIDCAuth, OIDCConfig
    from kubetyped.config.persist import update_auth_provider_config

    cfg = Fields(user.entry, provider.mapping("config") or {}, "auth-provider.config.")
    issuer, client_id = cfg.string("idp-issuer-url"), cfg.string("client-id")
    if issuer is None:
        raise cfg.error("idp-issuer-url", "is required for the oidc auth-provider")
    if client_id is None:
        raise cfg.error("client-id", "is required for the oidc auth-provider")
    scopes = tuple(s for s in (cfg.string("extra-scopes") or "").split(",") if s)
    config = OIDCConfig(
        issuer_url=issuer,
        client_id=client_id,
        client_secret=cfg.string("client-secret"),
        id_token=cfg.string("id-token"),
        refresh_token=cfg.string("refresh-token"),
        extra_scopes=scopes,
        ca_data=cfg.data_or_file("idp-certificate-authority-data", "idp-certificate-authority"),
        entry=user.entry.name,
        source=str(user.entry.source),
    )
    entry = user.entry

    def persist(updates: Mapping[str, str]) -> None:
        update_auth_provider_config(entry.source, entry.name, updates)

    return OIDCAuth(
        config, persist=persist if options.persist_tokens else None, clock=options.clock
    )


def _provider_auth(user: Fields, options: AuthOptions) -> OIDCAuth | None:
    if not user.has("auth-provider"):
        return None
    provider = Fields(user.entry, user.mapping("auth-provider"), "auth-provider.")
    name = provider.string("name")
    if name != "oidc":
        raise provider.error(
            "name", f"auth-provider {name!r} is not supported (only oidc); use an exec plugin"
        )
    return _oidc_auth(user, provider, options)


def _auth(user: Fields, options: AuthOptions, has_client_cert: bool) -> httpx.Auth | None:
    _check_methods(user)
    # Built (so validated) even when another method wins, as client-go builds both.
    exec_auth = _exec_auth(user, options) if user.has("exec") else None
    provider_auth = _provider_auth(user, options)
    token = user.string("token")
    if user.has("tokenFile"):  # the file's content wins while it can be read (client-go)
        path = user.string("tokenFile")
        assert path is not None
        return TokenFileAuth(
            path,
            clock=options.clock,
            entry=user.entry.name,
            source=str(user.entry.source),
            fallback=token,
        )
    if token is not None:
        return BearerTokenAuth(token)
    if user.has("username") or user.has("password"):
        return BasicAuth(user.string("username") or "", user.string("password") or "")
    if exec_auth is not None:
        return None if has_client_cert else exec_auth
    return provider_auth


def _impersonation(user: Fields) -> Impersonation | None:
    extra_raw = user.mapping("as-user-extra") or {}
    extra: dict[str, tuple[str, ...]] = {}
    for key, values in extra_raw.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise user.error("as-user-extra", f"{key!r} must map to a list of strings")
        extra[str(key)] = tuple(values)
    who = user.string("as")
    if who is None:
        for key in ("as-uid", "as-groups", "as-user-extra"):
            if user.has(key):
                raise user.error(
                    key, "requesting uid, groups or user-extra without impersonating a user (as)"
                )
    imp = Impersonation(
        user=who,
        uid=user.string("as-uid"),
        groups=user.strings("as-groups"),
        extra=extra,
    )
    return imp if imp else None


def user_credentials(entry: Entry | None, options: AuthOptions) -> UserCredentials:
    """Validate a user entry and build its credentials (None entry: anonymous)."""
    if entry is None:
        return UserCredentials()
    user = Fields(entry)
    cert = user.data_or_file("client-certificate-data", "client-certificate")
    key = user.data_or_file("client-key-data", "client-key")
    if (cert is None) != (key is None):
        missing = "client-key(-data)" if key is None else "client-certificate(-data)"
        raise user.error(
            "client-key-data" if key is None else "client-certificate-data",
            f"{missing} must be set too to use a client certificate",
        )
    auth = _auth(user, options, cert is not None)
    return UserCredentials(auth, cert, key, _impersonation(user))
