"""Proxies and TLS, OIDC refresh, and kubeconfig validation exactly like client-go.

Issue 13 items 6-17 and issue 18 items 4(a), 4(b), 4(c) (OIDC), 5 (config) and 7, against real
loopback servers: an apiserver stub that records SNI and headers, HTTP CONNECT (plain and TLS)
and SOCKS5 proxies, an OIDC issuer, shell exec plugins.

Provenance: shared failing cases re-expressed here (a user's clone has no ../shared):
cases/proxy/ (proxy.py, socks5.py, variant.py, try_list.py: tls-server-name behind a CONNECT
proxy, socks5 proxy-url), cases/reliability/case_url_password_leaks.py,
case_exec_plugin_echoes_token.py and the kubeconfig part of case_untyped_errors.py.
"""

from __future__ import annotations

import base64
import importlib.metadata
import json
import logging
import stat
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from auth_loopback import (
    ApiServerStub,
    ConnectProxy,
    OIDCIssuer,
    Socks5Proxy,
    server_context,
    serving,
    test_ca,
)
from test_auth_oidc import jwt
from test_config_support import FakeClock, b64, kubeconfig, write_kubeconfig

from kubetyped.auth import ExecPluginError, OIDCRefreshError
from kubetyped.auth.exec_plugin import ExecConfig, run_exec_plugin
from kubetyped.config import (
    ClientConfig,
    InvalidKubeconfigError,
    load_incluster_config,
    load_kubeconfig,
    load_kubeconfig_dict,
)
from kubetyped.errors import ConfigError, KubetypedError
from kubetyped.transport import build_async_http_client, build_http_client
from tests.cluster.pki import CertificateAuthority

V1 = "client.authentication.k8s.io/v1"
V1BETA1 = "client.authentication.k8s.io/v1beta1"
SERVER_NAME = "kubernetes.test.internal"  # in the serving certificate; 127.0.0.1 is not


def _doc(cluster: dict[str, Any], user: dict[str, Any] | None = None) -> dict[str, Any]:
    return kubeconfig(
        clusters={"c": cluster},
        users={"u": user if user is not None else {"token": "t"}},
        contexts={"x": {"cluster": "c", "user": "u"}},
        current="x",
    )


# --- 6-8. tls-server-name through every proxy kind; socks5; https proxy verification ----------


def _named_stub(ca: CertificateAuthority) -> ApiServerStub:
    return ApiServerStub(tls=server_context(ca.serving_cert([SERVER_NAME])))


def _proxied_config(ca: CertificateAuthority, api: ApiServerStub, proxy_url: str) -> ClientConfig:
    cluster = {
        "server": api.url,
        "certificate-authority-data": b64(ca.cert_pem),
        "tls-server-name": SERVER_NAME,
        "proxy-url": proxy_url,
    }
    return load_kubeconfig_dict(_doc(cluster))


def _proxies(ca: CertificateAuthority) -> dict[str, ConnectProxy | Socks5Proxy]:
    return {
        "connect": ConnectProxy(),
        "socks5": Socks5Proxy(),
        # an https:// proxy whose certificate the cluster CA signed (not certifi, not the OS)
        "https-connect": ConnectProxy(tls=server_context(ca.serving_cert(["127.0.0.1"]))),
    }


@pytest.mark.parametrize("kind", ["connect", "socks5", "https-connect"])
def test_tls_server_name_holds_through_proxies_sync(kind: str) -> None:
    ca = test_ca()
    proxy = _proxies(ca)[kind]
    api = _named_stub(ca)
    with serving(api, proxy):
        config = _proxied_config(ca, api, proxy.url)
        with build_http_client(config) as http:
            assert http.get("/version").status_code == 200
    assert proxy.targets == [f"127.0.0.1:{api.port}"]
    assert api.requests[0].sni == SERVER_NAME
    assert api.requests[0].headers["authorization"] == "Bearer t"


@pytest.mark.parametrize("kind", ["connect", "socks5", "https-connect"])
async def test_tls_server_name_holds_through_proxies_async(kind: str) -> None:
    ca = test_ca()
    proxy = _proxies(ca)[kind]
    api = _named_stub(ca)
    with serving(api, proxy):
        config = _proxied_config(ca, api, proxy.url)
        async with build_async_http_client(config) as http:
            assert (await http.get("/version")).status_code == 200
    assert proxy.targets == [f"127.0.0.1:{api.port}"]
    assert api.requests[0].sni == SERVER_NAME


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy"])
def test_tls_server_name_holds_through_an_environment_proxy(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy comes from HTTPS_PROXY (a non-loopback server name; loopback is never
    proxied from the environment, as in Go's `http.ProxyFromEnvironment`)."""
    ca = test_ca()
    proxy = ConnectProxy()
    proxy.upstream_host = "127.0.0.1"
    api = _named_stub(ca)
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with serving(api, proxy):
        monkeypatch.setenv(variable, proxy.url)
        cluster = {
            "server": f"https://apiserver.example.test:{api.port}",
            "certificate-authority-data": b64(ca.cert_pem),
            "tls-server-name": SERVER_NAME,
        }
        with build_http_client(load_kubeconfig_dict(_doc(cluster))) as http:
            assert http.get("/version").status_code == 200
    assert proxy.targets == [f"apiserver.example.test:{api.port}"]
    assert api.requests[0].sni == SERVER_NAME


def test_tls_server_name_without_a_proxy() -> None:
    ca = test_ca()
    with _named_stub(ca) as api:
        cluster = {
            "server": api.url,
            "certificate-authority-data": b64(ca.cert_pem),
            "tls-server-name": SERVER_NAME,
        }
        with build_http_client(load_kubeconfig_dict(_doc(cluster))) as http:
            assert http.get("/version").status_code == 200
    assert api.requests[0].sni == SERVER_NAME


def test_https_proxy_is_not_trusted_without_the_cluster_ca() -> None:
    ca, other = test_ca(), test_ca()
    proxy = ConnectProxy(tls=server_context(other.serving_cert(["127.0.0.1"])))
    api = _named_stub(ca)
    with serving(api, proxy):
        config = _proxied_config(ca, api, proxy.url)
        with build_http_client(config) as http, pytest.raises(httpx.ConnectError):
            http.get("/version")
    assert api.requests == []


# --- 9-10, 18.4(c), 18.7. OIDC ------------------------------------------------------------

CLIENT_SECRET = "oidc-client-secret"
OLD_REFRESH = "old-refresh-token-value"


def _oidc_user(issuer: OIDCIssuer, clock: FakeClock) -> dict[str, Any]:
    return {
        "auth-provider": {
            "name": "oidc",
            "config": {
                "idp-issuer-url": issuer.url,
                "client-id": "kubectl",
                "client-secret": CLIENT_SECRET,
                "id-token": jwt(clock.now - 60),
                "refresh-token": OLD_REFRESH,
            },
        }
    }


def _issuer(clock: FakeClock, accept: str, error: str = "invalid_client") -> OIDCIssuer:
    return OIDCIssuer(
        "kubectl", CLIENT_SECRET, jwt(clock.now + 3600, "fresh"), "new-refresh", accept, error
    )


@pytest.mark.parametrize("accept", ["basic", "form"])
def test_oidc_refresh_tries_basic_then_form_client_auth(tmp_path: Path, accept: str) -> None:
    clock = FakeClock()
    issuer = _issuer(clock, accept)
    ca = test_ca()
    api = ApiServerStub(tls=server_context(ca.serving_cert(["127.0.0.1"])))
    with serving(issuer, api):
        cluster = {"server": api.url, "certificate-authority-data": b64(ca.cert_pem)}
        path = write_kubeconfig(tmp_path / "config", _doc(cluster, _oidc_user(issuer, clock)))
        with build_http_client(load_kubeconfig(path, clock=clock)) as http:
            assert http.get("/api").status_code == 200
    assert api.requests[0].headers["authorization"] == f"Bearer {issuer.id_token}"
    styles = ["basic" if "authorization" in h else "form" for h, _ in issuer.token_requests]
    assert styles == (["basic"] if accept == "basic" else ["basic", "form"])
    assert "new-refresh" in path.read_text()


def test_oidc_refresh_of_a_dict_kubeconfig_stays_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    clock = FakeClock()
    issuer = _issuer(clock, "basic")
    ca = test_ca()
    api = ApiServerStub(tls=server_context(ca.serving_cert(["127.0.0.1"])))
    with serving(issuer, api):
        cluster = {"server": api.url, "certificate-authority-data": b64(ca.cert_pem)}
        config = load_kubeconfig_dict(_doc(cluster, _oidc_user(issuer, clock)), clock=clock)
        with build_http_client(config) as http:
            assert http.get("/a").status_code == 200
            clock.advance(7200)  # the refreshed token expired too: refresh again, in memory
            assert http.get("/b").status_code == 200
    assert len(issuer.token_requests) == 2
    assert issuer.token_requests[1][1]["refresh_token"] == ["new-refresh"]
    assert list(tmp_path.iterdir()) == []  # nothing written (no file named "<dict>")


def test_oidc_error_field_is_quoted_only_when_it_is_an_oauth_error_code(tmp_path: Path) -> None:
    clock = FakeClock()
    issuer = _issuer(clock, "nobody", error=f"bad refresh token {OLD_REFRESH}")
    with issuer:
        cluster = {"server": "https://127.0.0.1:1"}
        config = load_kubeconfig_dict(_doc(cluster, _oidc_user(issuer, clock)), clock=clock)
        with (
            build_http_client(config) as http,
            pytest.raises(OIDCRefreshError) as info,
        ):
            http.get("/api")
    assert "HTTP 401" in str(info.value)
    assert OLD_REFRESH not in str(info.value) and "bad refresh token" not in str(info.value)


def test_oidc_write_back_goes_through_a_symlink_atomically_keeping_the_mode(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    issuer = _issuer(clock, "basic")
    real_dir, link_dir = tmp_path / "real", tmp_path / "link"
    link_dir.mkdir()
    ca = test_ca()
    api = ApiServerStub(tls=server_context(ca.serving_cert(["127.0.0.1"])))
    with serving(issuer, api):
        cluster = {"server": api.url, "certificate-authority-data": b64(ca.cert_pem)}
        real = write_kubeconfig(real_dir / "config", _doc(cluster, _oidc_user(issuer, clock)))
        real.chmod(0o640)
        link = link_dir / "config"
        link.symlink_to(real)
        with build_http_client(load_kubeconfig(link, clock=clock)) as http:
            assert http.get("/api").status_code == 200
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "new-refresh" in real.read_text() and OLD_REFRESH not in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real_dir.iterdir()) == ["config"]  # no temp file left


# --- 11-17. validation and small differences -------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [("as-groups", ["devs"]), ("as-user-extra", {"scopes": ["view"]}), ("as-uid", "42")],
)
def test_impersonation_details_need_a_user(key: str, value: Any) -> None:
    with pytest.raises(InvalidKubeconfigError, match="without impersonating a user") as info:
        load_kubeconfig_dict(_doc({"server": "https://h:1"}, {"token": "t", key: value}))
    assert info.value.field == key and info.value.entry == "u"


EXEC_INFO_PLUGIN = """#!/bin/sh
printf '%s' "$KUBERNETES_EXEC_INFO" > "$RECORD"
printf 'EMPTY=[%s]' "$EMPTY" > "$RECORD.env"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}'
"""


def test_exec_env_without_value_and_server_url_verbatim(tmp_path: Path) -> None:
    script = tmp_path / "info.sh"
    script.write_text(EXEC_INFO_PLUGIN)
    script.chmod(0o755)
    record = tmp_path / "record"
    user = {
        "exec": {
            "apiVersion": V1,
            "command": str(script),
            "env": [{"name": "RECORD", "value": str(record)}, {"name": "EMPTY"}],
            "interactiveMode": "Never",
            "provideClusterInfo": True,
        }
    }
    config = load_kubeconfig_dict(_doc({"server": "https://h.example:6443/"}, user))
    assert config.server == "https://h.example:6443"
    assert config.auth is not None
    config.auth.credential()  # type: ignore[attr-defined]
    info = json.loads(record.read_text())
    assert info["spec"]["cluster"]["server"] == "https://h.example:6443/"  # trailing slash kept
    assert Path(f"{record}.env").read_text() == "EMPTY=[]"


def test_install_hint_escape_sequences_are_made_printable() -> None:
    hint = "\x1b[1mbrew install kubelogin\x1b[0m\tor see the docs\n"
    user = {
        "exec": {
            "apiVersion": V1BETA1,
            "command": "kubetyped-no-such-plugin",
            "installHint": hint,
        }
    }
    config = load_kubeconfig_dict(_doc({"server": "https://h:1"}, user))
    with pytest.raises(ExecPluginError) as info:
        config.auth.credential()  # type: ignore[union-attr]
    message = str(info.value)
    assert "\x1b" not in message
    assert "U+001B[1mbrew install kubelogin" in message and "\tor see the docs" in message


def test_ca_file_that_is_not_pem_blames_certificate_authority(tmp_path: Path) -> None:
    ca = tmp_path / "ca.crt"
    ca.write_text("this is not a certificate\n")
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig_dict(_doc({"server": "https://h:1", "certificate-authority": str(ca)}))
    assert info.value.field == "certificate-authority"
    assert '(field "certificate-authority")' in str(info.value)


@pytest.mark.parametrize("content", [b"", b"garbage, not PEM\n"])
def test_incluster_ca_that_is_empty_falls_back_to_system_roots(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "token").write_text("sa-token")
    (tmp_path / "ca.crt").write_bytes(content)
    env = {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    with caplog.at_level(logging.ERROR, "kubetyped"):
        config = load_incluster_config(service_account_dir=tmp_path, environ=env)
    assert config.ca_data is None
    assert "using system roots" in caplog.text
    with build_http_client(config) as http:  # builds: system roots, as client-go
        assert http.base_url.host == "10.0.0.1"


# --- issue 18 item 4(a) and 5: passwords in server URLs, untyped URL errors ------------------

URL_SECRET = "hunter2-url-password"


@pytest.mark.parametrize(
    "server",
    [
        f"ftp://user1:{URL_SECRET}@127.0.0.1",
        f"https://user1:{URL_SECRET}@",
        f"https://user1:{URL_SECRET}@127.0.0.1:99999",
        f"https://user1:{URL_SECRET}@[::1",
    ],
)
def test_password_in_a_bad_server_url_never_reaches_the_error(server: str) -> None:
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig_dict(_doc({"server": server}))
    assert info.value.field == "server"
    assert URL_SECRET not in str(info.value) and URL_SECRET not in repr(info.value)
    assert "user1:<redacted>@" in str(info.value)


def test_url_userinfo_becomes_basic_auth_and_leaves_the_url(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A library in the test process may have disabled existing loggers (dictConfig); this
    # test must see httpx's own request log line to prove that it carries no password.
    monkeypatch.setattr(logging.getLogger("httpx"), "disabled", False)
    ca = test_ca()
    with ApiServerStub(tls=server_context(ca.serving_cert(["127.0.0.1"]))) as api:
        server = f"https://user1:{URL_SECRET}@127.0.0.1:{api.port}"
        cluster = {"server": server, "certificate-authority-data": b64(ca.cert_pem)}
        config = load_kubeconfig_dict(_doc(cluster, {}))
        assert URL_SECRET not in repr(config)
        with (
            caplog.at_level(logging.DEBUG),
            caplog.at_level(logging.DEBUG, logger="httpx"),
            build_http_client(config) as http,
        ):
            assert http.get("/api").status_code == 200
            assert URL_SECRET not in str(http.base_url)
    expected = base64.b64encode(f"user1:{URL_SECRET}".encode()).decode()
    assert api.requests[0].headers["authorization"] == f"Basic {expected}"
    assert "HTTP Request: GET" in caplog.text  # httpx logged the request...
    assert URL_SECRET not in caplog.text  # ...without the password


def test_repr_of_a_client_config_with_a_bad_port_does_not_raise() -> None:
    config = ClientConfig(server=f"https://user1:{URL_SECRET}@127.0.0.1:99999")
    text = repr(config)
    assert URL_SECRET not in text and "user1:<redacted>@127.0.0.1:99999" in text
    with pytest.raises(ConfigError) as info:
        build_http_client(config)
    assert URL_SECRET not in str(info.value)


@pytest.mark.parametrize(
    "server", ["https://[::1", "https://h:abc", "https://h/\x00", "https://h\x7f:1", "https://h/ x"]
)
def test_bad_server_urls_are_typed_errors(server: str) -> None:
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig_dict(_doc({"server": server}))
    assert info.value.field == "server" and info.value.entry == "c"
    with pytest.raises(ConfigError):  # built by hand, the transport says the same
        build_http_client(ClientConfig(server=server))
    with pytest.raises(ConfigError):
        build_async_http_client(ClientConfig(server=server))


def test_socks5_proxy_url_builds_a_client() -> None:
    """client-go supports socks5 proxy-url since 1.19; httpx needs socksio, which kubetyped
    declares (httpx[socks]) so every install has it."""
    requires = importlib.metadata.requires("kubetyped") or []
    assert any(r.replace(" ", "").startswith("httpx[socks]") for r in requires), requires
    config = load_kubeconfig_dict(
        _doc({"server": "https://h:1", "proxy-url": "socks5://127.0.0.1:1"})
    )
    try:
        build_http_client(config).close()
    except KubetypedError as exc:  # pragma: no cover - the failure being tested
        pytest.fail(f"socks5 proxy-url: {exc}")


def test_socks5_without_socksio_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "socksio", None)  # as in an install without httpx[socks]
    config = load_kubeconfig_dict(
        _doc({"server": "https://h:1", "proxy-url": "socks5://127.0.0.1:1"})
    )
    with pytest.raises(ConfigError, match=r"install httpx\[socks\]") as info:
        build_http_client(config)
    assert info.value.field == "proxy-url"


@pytest.mark.parametrize("proxy", ["http://p:abc", "socks5://[::1", "https://p/\x01"])
def test_bad_proxy_urls_are_typed_errors(proxy: str) -> None:
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig_dict(_doc({"server": "https://h:1", "proxy-url": proxy}))
    assert info.value.field == "proxy-url"


# --- issue 18 item 4(b): exec plugin output never in messages ---------------------------------

EXEC_TOKEN = "s3cr3t-exec-token-1234"  # 22 characters: too short for length-based redaction
ECHO_PLUGIN = f"""#!/bin/sh
tok={EXEC_TOKEN}
case "$MODE" in
stderr) echo "refresh failed for token $tok" >&2; exit 1;;
eks) echo "token k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbQ rejected" >&2; exit 1;;
kind) printf '{{"kind":"%s","apiVersion":"{V1BETA1}"}}' "$tok";;
apiversion) printf '{{"kind":"ExecCredential","apiVersion":"%s"}}' "$tok";;
expiry) printf '{{"kind":"ExecCredential","apiVersion":"{V1BETA1}","status":{{"token":"x","expirationTimestamp":"%s"}}}}' "$tok";;
esac
"""


@pytest.mark.parametrize("mode", ["stderr", "eks", "kind", "apiversion", "expiry"])
def test_exec_plugin_output_never_reaches_the_error(
    tmp_path: Path, mode: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """The shared case: stderr, kind, apiVersion and expirationTimestamp carrying a token."""
    plugin = tmp_path / "plugin.sh"
    plugin.write_text(ECHO_PLUGIN)
    plugin.chmod(0o755)
    config = ExecConfig(
        command=str(plugin),
        api_version=V1BETA1,
        env=(("MODE", mode),),
        interactive_mode="Never",
    )
    with pytest.raises(ExecPluginError) as info:
        run_exec_plugin(config)
    text = f"{info.value}\n{info.value!r}"
    assert EXEC_TOKEN not in text and "k8s-aws-v1" not in text
    if mode in ("stderr", "eks"):  # it went where client-go sends it: the user's terminal
        assert (EXEC_TOKEN if mode == "stderr" else "k8s-aws-v1.") in capfd.readouterr().err
