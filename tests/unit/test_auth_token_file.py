"""Static token, basic auth and the re-read-every-minute token file."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx
import pytest
from test_config_support import FakeClock, simple_kubeconfig, write_kubeconfig

from kubetyped.auth import BasicAuth, BearerTokenAuth, TokenFileAuth, TokenFileError
from kubetyped.config import load_kubeconfig


def _header(auth: httpx.Auth, request: httpx.Request | None = None) -> str | None:
    flow = auth.sync_auth_flow(request or httpx.Request("GET", "https://h/"))
    value: str | None = next(flow).headers.get("Authorization")
    return value


def test_token_file_reread_after_a_minute(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("first\n")
    clock = FakeClock()
    auth = TokenFileAuth(token, clock=clock)
    assert _header(auth) == "Bearer first"
    token.write_text("second")
    clock.advance(59)
    assert _header(auth) == "Bearer first"  # still within the minute
    clock.advance(1)
    assert _header(auth) == "Bearer second"


def test_token_file_keeps_last_token_when_file_vanishes(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("only")
    clock = FakeClock()
    auth = TokenFileAuth(token, clock=clock)
    assert auth.token() == "only"
    token.unlink()
    clock.advance(120)
    assert auth.token() == "only"


def test_token_file_from_kubeconfig_with_relative_path(tmp_path: Path) -> None:
    (tmp_path / "tok").write_text("from-file")
    path = write_kubeconfig(tmp_path / "config", simple_kubeconfig(user={"tokenFile": "tok"}))
    config = load_kubeconfig(path, clock=FakeClock())
    assert isinstance(config.auth, TokenFileAuth)
    assert _header(config.auth) == "Bearer from-file"
    assert "from-file" not in repr(config)


@pytest.mark.parametrize("content", [None, "  \n"])
def test_token_file_errors_name_user_and_file(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        (tmp_path / "tok").write_text(content)
    path = write_kubeconfig(tmp_path / "config", simple_kubeconfig(user={"tokenFile": "tok"}))
    config = load_kubeconfig(path)
    assert config.auth is not None
    with pytest.raises(TokenFileError) as info:
        _header(config.auth)
    assert 'user "u"' in str(info.value) and str(path) in str(info.value)
    assert info.value.field == "tokenFile"


async def test_token_file_in_async_client(tmp_path: Path) -> None:
    (tmp_path / "tok").write_text("async-token")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200)

    auth = TokenFileAuth(tmp_path / "tok")
    async with httpx.AsyncClient(auth=auth, transport=httpx.MockTransport(handler)) as client:
        await client.get("https://h/")
    assert seen == ["Bearer async-token"]


def test_basic_auth_from_kubeconfig(tmp_path: Path) -> None:
    path = write_kubeconfig(
        tmp_path / "config", simple_kubeconfig(user={"username": "bob", "password": "pa:ss"})
    )
    config = load_kubeconfig(path)
    assert isinstance(config.auth, BasicAuth)
    expected = "Basic " + base64.b64encode(b"bob:pa:ss").decode()
    assert _header(config.auth) == expected
    assert "pa:ss" not in repr(config.auth)


def test_existing_authorization_header_is_kept() -> None:
    request = httpx.Request("GET", "https://h/", headers={"Authorization": "Bearer mine"})
    assert _header(BearerTokenAuth("other"), request) == "Bearer mine"
    assert repr(BearerTokenAuth("other")) == "BearerTokenAuth(token=<redacted>)"
