"""The oidc auth-provider: id-token reuse, refresh at the issuer, write-back to the file."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml
from test_config_support import FakeClock, kubeconfig, write_kubeconfig

from kubetyped.auth import OIDCAuth, OIDCRefreshError, jwt_expiry
from kubetyped.config import load_kubeconfig

ISSUER = "https://issuer.example.test/dex"
TOKEN_ENDPOINT = "https://issuer.example.test/dex/token"
REFRESH_TOKEN = "refresh-secret-1"
CLIENT_SECRET = "client-secret-value"


def jwt(exp: float | None, subject: str = "jane") -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    claims: dict[str, Any] = {"sub": subject}
    if exp is not None:
        claims["exp"] = int(exp)
    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


def _write(tmp_path: Path, id_token: str, refresh: str | None = REFRESH_TOKEN) -> Path:
    cfg = {
        "idp-issuer-url": ISSUER,
        "client-id": "kubectl",
        "client-secret": CLIENT_SECRET,
        "id-token": id_token,
    }
    if refresh is not None:
        cfg["refresh-token"] = refresh
    write_kubeconfig(
        tmp_path / "second",
        kubeconfig(
            users={"oidc-user": {"token": "shadowed"}},  # defined later: must stay untouched
        ),
    )
    first = write_kubeconfig(
        tmp_path / "first",
        kubeconfig(
            clusters={"c": {"server": "https://127.0.0.1:6443"}},
            users={
                "oidc-user": {"auth-provider": {"name": "oidc", "config": cfg}},
                "other": {"token": "keep-me"},
            },
            contexts={"admin": {"cluster": "c", "user": "oidc-user"}},
            current="admin",
        ),
    )
    return first


def _mock_issuer(
    router: respx.MockRouter, new_id_token: str, new_refresh: str | None = "refresh-secret-2"
) -> respx.Route:
    router.get(f"{ISSUER}/.well-known/openid-configuration").respond(
        json={"issuer": ISSUER, "token_endpoint": TOKEN_ENDPOINT}
    )
    body = {"id_token": new_id_token, "token_type": "Bearer", "access_token": "unused"}
    if new_refresh:
        body["refresh_token"] = new_refresh
    return router.post(TOKEN_ENDPOINT).respond(json=body)


def _apiserver(seen: list[str], good: set[str] | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        seen.append(token)
        return httpx.Response(200 if good is None or token in good else 401)

    return httpx.MockTransport(handler)


def _user(path: Path, name: str) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text())
    user: dict[str, Any] = next(u for u in doc["users"] if u["name"] == name)["user"]
    return user


def _user_config(path: Path) -> dict[str, Any]:
    config: dict[str, Any] = _user(path, "oidc-user")["auth-provider"]["config"]
    return config


def test_jwt_expiry() -> None:
    assert jwt_expiry(jwt(1234)) == 1234
    assert jwt_expiry(jwt(None)) is None
    assert jwt_expiry("not-a-jwt") is None


def test_valid_id_token_is_used_without_refresh(tmp_path: Path) -> None:
    clock = FakeClock()
    token = jwt(clock.now + 3600)
    path = _write(tmp_path, token)
    config = load_kubeconfig([path, tmp_path / "second"], clock=clock)
    assert isinstance(config.auth, OIDCAuth)
    seen: list[str] = []
    with respx.mock(assert_all_called=False) as router:
        discovery = router.get(f"{ISSUER}/.well-known/openid-configuration")
        with httpx.Client(auth=config.auth, transport=_apiserver(seen)) as client:
            client.get("https://127.0.0.1:6443/api")
    assert seen == [token] and not discovery.called


def test_expired_token_refreshed_and_written_back(tmp_path: Path) -> None:
    clock = FakeClock()
    path = _write(tmp_path, jwt(clock.now - 5))
    before = path.read_text()
    config = load_kubeconfig([path, tmp_path / "second"], clock=clock)
    new_token = jwt(clock.now + 3600, "refreshed")
    seen: list[str] = []
    with respx.mock as router:
        token_route = _mock_issuer(router, new_token)
        with httpx.Client(auth=config.auth, transport=_apiserver(seen)) as client:
            client.get("https://127.0.0.1:6443/api")
            client.get("https://127.0.0.1:6443/apis")
    assert seen == [new_token, new_token]
    assert token_route.call_count == 1
    form = dict(x.split("=", 1) for x in token_route.calls[0].request.content.decode().split("&"))
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == REFRESH_TOKEN
    # client credentials as HTTP Basic first (x/oauth2 AuthStyleInHeader), not in the form
    basic = base64.b64encode(f"kubectl:{CLIENT_SECRET}".encode()).decode()
    assert token_route.calls[0].request.headers["Authorization"] == f"Basic {basic}"
    assert "client_secret" not in form

    saved = _user_config(path)
    assert saved["id-token"] == new_token and saved["refresh-token"] == "refresh-secret-2"
    assert saved["client-id"] == "kubectl" and saved["idp-issuer-url"] == ISSUER
    assert _user(path, "other") == {"token": "keep-me"}
    assert path.read_text() != before
    assert yaml.safe_load(path.read_text())["current-context"] == "admin"
    assert _user(tmp_path / "second", "oidc-user") == {"token": "shadowed"}
    assert REFRESH_TOKEN not in repr(config) and new_token not in repr(config)


async def test_async_refresh(tmp_path: Path) -> None:
    clock = FakeClock()
    path = _write(tmp_path, jwt(clock.now + 5))  # inside the 10 s expiry margin
    config = load_kubeconfig(path, clock=clock)
    new_token = jwt(clock.now + 3600)
    seen: list[str] = []
    with respx.mock as router:
        _mock_issuer(router, new_token, new_refresh=None)
        async with httpx.AsyncClient(auth=config.auth, transport=_apiserver(seen)) as client:
            await client.get("https://127.0.0.1:6443/api")
    assert seen == [new_token]
    saved = _user_config(path)
    assert saved["id-token"] == new_token and saved["refresh-token"] == REFRESH_TOKEN


def test_401_forces_refresh(tmp_path: Path) -> None:
    clock = FakeClock()
    old = jwt(clock.now + 3600, "revoked")
    path = _write(tmp_path, old)
    config = load_kubeconfig(path, clock=clock)
    new_token = jwt(clock.now + 3600, "fresh")
    seen: list[str] = []
    with respx.mock as router:
        _mock_issuer(router, new_token)
        with httpx.Client(auth=config.auth, transport=_apiserver(seen, {new_token})) as client:
            assert client.get("https://127.0.0.1:6443/api").status_code == 200
    assert seen == [old, new_token]


def test_refresh_rejected(tmp_path: Path) -> None:
    clock = FakeClock()
    path = _write(tmp_path, jwt(clock.now - 100))
    config = load_kubeconfig(path, clock=clock)
    with respx.mock as router:
        router.get(f"{ISSUER}/.well-known/openid-configuration").respond(
            json={"token_endpoint": TOKEN_ENDPOINT}
        )
        router.post(TOKEN_ENDPOINT).respond(
            400, json={"error": "invalid_grant", "error_description": REFRESH_TOKEN}
        )
        with (
            pytest.raises(OIDCRefreshError) as info,
            httpx.Client(auth=config.auth, transport=_apiserver([])) as client,
        ):
            client.get("https://127.0.0.1:6443/api")
    message = str(info.value)
    assert "HTTP 400 (invalid_grant)" in message and 'user "oidc-user"' in message
    assert str(path) in message
    assert REFRESH_TOKEN not in message and CLIENT_SECRET not in message


def test_expired_without_refresh_token(tmp_path: Path) -> None:
    clock = FakeClock()
    path = _write(tmp_path, jwt(clock.now - 100), refresh=None)
    config = load_kubeconfig(path, clock=clock)
    assert config.auth is not None
    with pytest.raises(OIDCRefreshError, match="no refresh-token") as info:
        next(config.auth.sync_auth_flow(httpx.Request("GET", "https://h/")))
    assert info.value.field == "auth-provider.config.refresh-token"
