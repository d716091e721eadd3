"""Credentials that never change: a bearer token and HTTP basic auth."""

from __future__ import annotations

import base64
from collections.abc import Generator

import httpx

from kubetyped.auth.flow import has_authorization, set_bearer
from kubetyped.errors import register_secret

__all__ = ["BasicAuth", "BearerTokenAuth"]


class BearerTokenAuth(httpx.Auth):
    """`Authorization: Bearer <token>` from a kubeconfig `token` field."""

    def __init__(self, token: str) -> None:
        register_secret(token)
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sets `Authorization: Bearer <token>` unless the request already has an `Authorization`
        header (client-go `transport.NewBearerAuthRoundTripper`).
        """
        if not has_authorization(request):
            set_bearer(request, self._token)
        yield request

    def __repr__(self) -> str:
        return "BearerTokenAuth(token=<redacted>)"


class BasicAuth(httpx.Auth):
    """HTTP basic auth from kubeconfig `username`/`password`."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        raw = f"{username}:{password}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")
        register_secret(password)
        register_secret(self._header.removeprefix("Basic "))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sets `Authorization: Basic <base64(user:password)>` unless the request already has an
        `Authorization` header (client-go `transport.NewBasicAuthRoundTripper`).
        """
        if not has_authorization(request):
            request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password=<redacted>)"
