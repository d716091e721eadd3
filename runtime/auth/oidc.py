"""The `oidc` auth-provider: use the id-token until it expires, then refresh it at the issuer.

The new id-token/refresh-token are handed to a `persist` callback (the config layer writes them
back into the kubeconfig file that defined the user, like client-go's persister).
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any

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

#: client-go treats a token expiring within 10 s as expired already.
EXPIRY_DELTA = 10.0

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
                if isinstance(body, dict) and isinstance(body.get("error"), str):
                    code = f" ({body['error'][:80]})"
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
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self.config.client_id,
        }
        if self.config.client_secret:
            form["client_secret"] = self.config.client_secret
        if self.config.extra_scopes:
            form["scope"] = " ".join(("openid", *self.config.extra_scopes))
        try:
            token_response = yield HttpEffect(httpx.Request("POST", endpoint, data=form), verify)
        except httpx.HTTPError as exc:
            raise self._error(f"token request failed: {type(exc).__name__}") from None
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
