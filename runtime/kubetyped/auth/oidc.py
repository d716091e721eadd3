"""The `oidc` auth-provider: use the id-token until it expires, then refresh it at the issuer.

The new id-token/refresh-token are handed to a `persist` callback (the config layer writes them
back into the kubeconfig file that defined the user, like client-go's persister; a kubeconfig
given as a dict has none and keeps them in memory). The refresh request authenticates the
client with HTTP Basic first, then with form fields, as golang.org/x/oauth2 does for client-go's
plugin/pkg/client/auth/oidc/oidc.go.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import httpx

from kubetyped.auth.errors import OIDCRefreshError, describe
from kubetyped.auth.flow import (
    Clock,
    EffectfulAuth,
    Flow,
    FlowStep,
    HttpEffect,
    has_authorization,
    set_bearer,
    system_clock,
)

__all__ = ["OIDCAuth", "OIDCConfig", "jwt_expiry"]

#: client-go treats a token expiring within 10 s as expired already.
EXPIRY_DELTA = 10.0

#: RFC 6749 section 5.2 error codes: the only `error` values quoted in messages (an identity
#: provider may put anything there, the refresh token included).
OAUTH_ERROR_CODES = frozenset(
    {
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
    }
)

#: How each token endpoint accepted the client credentials: "basic" or "form" (x/oauth2's
#: process-wide `authStyleCache`).
_AUTH_STYLES: dict[str, str] = {}
_AUTH_STYLES_LOCK = threading.Lock()

Persist = Callable[[Mapping[str, str]], None]


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT, decoded without verifying the signature (None if unreadable)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


@dataclass(frozen=True)
class OIDCConfig:
    """The auth-provider `config` map, validated."""

    issuer_url: str
    client_id: str
    client_secret: str | None = field(default=None, repr=False)
    id_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    extra_scopes: tuple[str, ...] = ()
    ca_data: bytes | None = field(default=None, repr=False)
    entry: str | None = None
    source: str | None = None


class OIDCAuth(EffectfulAuth):
    """Bearer id-token from the `oidc` auth-provider, refreshed with the refresh-token."""

    def __init__(
        self,
        config: OIDCConfig,
        *,
        persist: Persist | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.config = config
        self._persist = persist
        self._clock = clock
        self._lock = threading.Lock()
        self._id_token = config.id_token
        self._refresh_token = config.refresh_token

    def _error(self, message: str, field_name: str = "auth-provider") -> OIDCRefreshError:
        where = describe(self.config.source, self.config.entry, field_name)
        return OIDCRefreshError(
            f"oidc{where}: {message}",
            path=self.config.source,
            entry=self.config.entry,
            field=field_name,
        )

    def _valid_token(self) -> str | None:
        token = self._id_token
        if not token:
            return None
        exp = jwt_expiry(token)
        if exp is None or self._clock() + EXPIRY_DELTA >= exp:
            return None
        return token

    def _verify(self) -> ssl.SSLContext | bool:
        if self.config.ca_data is None:
            return True
        ctx = ssl.create_default_context()
        try:
            ctx.load_verify_locations(cadata=self.config.ca_data.decode("ascii", "replace"))
        except ssl.SSLError:
            raise self._error("idp-certificate-authority is not valid PEM") from None
        return ctx

    def _json(self, response: httpx.Response, what: str) -> dict[str, object]:
        if response.status_code != httpx.codes.OK:
            code = ""
            try:
                body = response.json()
                if isinstance(body, dict) and body.get("error") in OAUTH_ERROR_CODES:
                    code = f" ({body['error']})"
            except ValueError:
                pass
            raise self._error(f"{what} returned HTTP {response.status_code}{code}")
        try:
            doc = response.json()
        except ValueError:
            raise self._error(
                f"{what} returned invalid JSON ({len(response.content)} bytes)"
            ) from None
        if not isinstance(doc, dict):
            raise self._error(f"{what} returned JSON that is not an object")
        return doc

    def _token_request(self, endpoint: str, form: Mapping[str, str], style: str) -> httpx.Request:
        """The refresh request with the client credentials as HTTP Basic (`basic`, the
        url-encoded id and secret) or as form fields (`form`), like x/oauth2's
        `AuthStyleInHeader` / `AuthStyleInParams`."""
        client_id, secret = self.config.client_id, self.config.client_secret or ""
        if style == "form":
            fields = {**form, "client_id": client_id}
            if secret:
                fields["client_secret"] = secret
            return httpx.Request("POST", endpoint, data=fields)
        raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
        basic = "Basic " + base64.b64encode(raw).decode("ascii")
        return httpx.Request("POST", endpoint, data=dict(form), headers={"Authorization": basic})

    def refresh_flow(self, stale: str | None) -> Generator[FlowStep, Any, str]:
        """Discover the token endpoint, redeem the refresh-token, persist, return the id-token."""
        with self._lock:
            current = self._valid_token()
            if current is not None and current != stale:
                return current  # another request refreshed meanwhile
            refresh_token = self._refresh_token
        if not refresh_token:
            raise self._error(
                "id-token is expired or missing and there is no refresh-token",
                "auth-provider.config.refresh-token",
            )
        verify = self._verify()
        issuer = self.config.issuer_url.rstrip("/")
        try:
            discovery = yield HttpEffect(
                httpx.Request("GET", f"{issuer}/.well-known/openid-configuration"), verify
            )
        except httpx.HTTPError as exc:
            raise self._error(f"cannot reach issuer {issuer}: {type(exc).__name__}") from None
        endpoint = self._json(discovery, "OpenID discovery").get("token_endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            raise self._error("OpenID discovery document has no token_endpoint")
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if self.config.extra_scopes:
            form["scope"] = " ".join(("openid", *self.config.extra_scopes))
        with _AUTH_STYLES_LOCK:
            known = _AUTH_STYLES.get(endpoint)
        styles = [known] if known else ["basic", "form"]
        token_response: httpx.Response | None = None
        for style in styles:
            try:
                token_response = yield HttpEffect(
                    self._token_request(endpoint, form, style), verify
                )
            except httpx.HTTPError as exc:
                raise self._error(f"token request failed: {type(exc).__name__}") from None
            if token_response is not None and token_response.status_code == httpx.codes.OK:
                with _AUTH_STYLES_LOCK:
                    _AUTH_STYLES[endpoint] = style
                break
        assert token_response is not None
        doc = self._json(token_response, "token endpoint")
        id_token = doc.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise self._error("token endpoint response has no id_token")
        new_refresh = doc.get("refresh_token")
        updates = {"id-token": id_token}
        if isinstance(new_refresh, str) and new_refresh:
            updates["refresh-token"] = new_refresh
        with self._lock:
            self._id_token = id_token
            self._refresh_token = updates.get("refresh-token", refresh_token)
        if self._persist is not None:
            self._persist(updates)
        return id_token

    def flow(self, request: httpx.Request) -> Flow:
        """Sets the cached `id-token` when it is still valid, else refreshes it at the issuer's token
        endpoint first; on a 401 with a refresh token, refreshes once and re-sends. A request that
        already carries `Authorization` is left alone. Source: client-go's `oidc` auth provider
        (`plugin/pkg/client/auth/oidc`, refresh of an expired id-token); the refresh on 401 is
        kubetyped's. Raises `OIDCRefreshError` when the refresh fails.
        """
        if has_authorization(request):
            yield request
            return
        token = self._valid_token()
        if token is None:
            token = yield from self.refresh_flow(self._id_token)
        set_bearer(request, token)
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED or not self._refresh_token:
            return
        set_bearer(request, (yield from self.refresh_flow(token)))
        yield request

    def __repr__(self) -> str:
        return (
            f"OIDCAuth(issuer_url={self.config.issuer_url!r}, client_id={self.config.client_id!r})"
        )
