"""ClientConfig: TLS context (checked with a real local handshake), impersonation, defaults,
in-cluster config and load_config()."""

from __future__ import annotations

import socket
import ssl
import tempfile
from pathlib import Path

import httpx
import pytest
from test_config_support import (
    SECRET_TOKEN,
    FakeClock,
    b64,
    make_cert,
    simple_kubeconfig,
    tls_server,
    write_kubeconfig,
)

from kubetyped.auth import BearerTokenAuth, Impersonation, TokenFileAuth
from kubetyped.config import (
    ClientConfig,
    InvalidKubeconfigError,
    KubeconfigNotFoundError,
    NotInClusterError,
    TokenFileError,
    load_config,
    load_incluster_config,
    load_kubeconfig,
    load_kubeconfig_dict,
)


def test_admin_kubeconfig_with_client_cert_data_handshakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_dir = tmp_path / "tmpdir"
    key_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(key_dir))
    server_cert, server_key = make_cert("apiserver", ip="127.0.0.1")
    client_cert, client_key = make_cert("admin")
    port, result, thread = tls_server(server_cert, server_key, client_cert, tmp_path)
    doc = simple_kubeconfig(
        cluster={
            "server": f"https://127.0.0.1:{port}",
            "certificate-authority-data": b64(server_cert),
        },
        user={"client-certificate-data": b64(client_cert), "client-key-data": b64(client_key)},
    )
    config = load_kubeconfig(write_kubeconfig(tmp_path / "config", doc), context="admin")
    assert config.auth is None and config.client_key_data == client_key
    ctx = config.ssl_context()
    assert isinstance(ctx, ssl.SSLContext)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    with (
        socket.create_connection(("127.0.0.1", port)) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.recv(2) == b"ok"
    thread.join(5)
    peer = result["peer"]
    assert isinstance(peer, dict)
    assert peer["subject"] == ((("commonName", "admin"),),)
    assert list(key_dir.iterdir()) == [], "the temporary key file must be deleted"


def test_ca_data_rejects_other_servers(tmp_path: Path) -> None:
    server_cert, server_key = make_cert("apiserver", ip="127.0.0.1")
    client_cert, _ = make_cert("admin")
    port, _, thread = tls_server(server_cert, server_key, client_cert, tmp_path)
    other_ca, _ = make_cert("someone-else")
    ctx = ClientConfig(server=f"https://127.0.0.1:{port}", ca_data=other_ca).ssl_context()
    assert isinstance(ctx, ssl.SSLContext)
    with (
        socket.create_connection(("127.0.0.1", port)) as raw,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    thread.join(5)


def test_token_kubeconfig_sets_bearer_header(tmp_path: Path) -> None:
    config = load_kubeconfig(
        write_kubeconfig(tmp_path / "config", simple_kubeconfig()), context="admin"
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200)

    with httpx.Client(auth=config.auth, transport=httpx.MockTransport(handler)) as client:
        client.get(f"{config.server}/version")
    assert seen == [f"Bearer {SECRET_TOKEN}"]
    assert isinstance(config.auth, BearerTokenAuth)
    assert SECRET_TOKEN not in repr(config)


def test_insecure_context_and_default_verification() -> None:
    insecure = ClientConfig(server="https://h", insecure_skip_tls_verify=True).ssl_context()
    assert isinstance(insecure, ssl.SSLContext)
    assert insecure.verify_mode == ssl.CERT_NONE and not insecure.check_hostname
    default = ClientConfig(server="https://h").ssl_context()
    assert isinstance(default, ssl.SSLContext)
    assert default.verify_mode == ssl.CERT_REQUIRED and default.check_hostname


def test_bad_pem_in_ssl_context_names_entry() -> None:
    config = ClientConfig(
        server="https://h",
        client_cert_data=b"junk",
        client_key_data=b"junk",
        source="/k/config",
        user_name="admin",
    )
    with pytest.raises(InvalidKubeconfigError, match='user "admin"') as info:
        config.ssl_context()
    assert info.value.field == "client-certificate-data"


def test_cluster_fields_pass_through(tmp_path: Path) -> None:
    cluster = {
        "server": "https://h:1/",
        "tls-server-name": "kubernetes.default",
        "proxy-url": "socks5://127.0.0.1:1080",
        "disable-compression": True,
    }
    config = load_kubeconfig(write_kubeconfig(tmp_path / "c", simple_kubeconfig(cluster=cluster)))
    assert config.server == "https://h:1"
    assert config.tls_server_name == "kubernetes.default"
    assert config.proxy_url == "socks5://127.0.0.1:1080"
    assert config.disable_compression is True
    assert (config.cluster_name, config.user_name) == ("c", "u")


def test_impersonation_headers_from_kubeconfig(tmp_path: Path) -> None:
    user = {
        "token": SECRET_TOKEN,
        "as": "jane",
        "as-uid": "1234",
        "as-groups": ["dev", "ops"],
        "as-user-extra": {"scopes": ["view", "edit"], "example.com/a b": ["x"]},
    }
    config = load_kubeconfig(write_kubeconfig(tmp_path / "c", simple_kubeconfig(user=user)))
    assert config.impersonation_headers() == [
        ("Impersonate-User", "jane"),
        ("Impersonate-Uid", "1234"),
        ("Impersonate-Group", "dev"),
        ("Impersonate-Group", "ops"),
        ("Impersonate-Extra-example.com%2Fa%20b", "x"),
        ("Impersonate-Extra-scopes", "view"),
        ("Impersonate-Extra-scopes", "edit"),
    ]
    assert ClientConfig(server="https://h").impersonation_headers() == []
    assert not Impersonation()


def test_qps_and_burst_defaults() -> None:
    assert (ClientConfig(server="https://h").qps, ClientConfig(server="https://h").burst) == (5, 10)
    assert ClientConfig(server="https://h", qps=0, burst=0).qps == 5
    assert ClientConfig(server="https://h", qps=-1).qps == -1
    assert ClientConfig(server="https://h").user_agent.startswith("kubetyped/")


def _service_account(tmp_path: Path, namespace: str | None = "team") -> Path:
    sa = tmp_path / "sa"
    sa.mkdir()
    (sa / "token").write_text("sa-token-1\n")
    (sa / "ca.crt").write_bytes(make_cert()[0])
    if namespace is not None:
        (sa / "namespace").write_text(namespace)
    return sa


def test_incluster_config(tmp_path: Path) -> None:
    sa = _service_account(tmp_path)
    clock = FakeClock()
    env = {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    config = load_incluster_config(service_account_dir=sa, environ=env, clock=clock)
    assert config.server == "https://10.0.0.1:443"
    assert config.ca_data == (sa / "ca.crt").read_bytes()
    assert config.namespace == "team" and config.source == "in-cluster"
    assert isinstance(config.auth, TokenFileAuth)
    assert config.auth.token() == "sa-token-1"
    (sa / "token").write_text("sa-token-2")
    clock.advance(61)
    assert config.auth.token() == "sa-token-2"
    assert "sa-token" not in repr(config)


def test_incluster_ipv6_and_pod_namespace(tmp_path: Path) -> None:
    sa = _service_account(tmp_path, namespace=None)
    env = {"KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"}
    config = load_incluster_config(service_account_dir=sa, environ=env)
    assert config.server == "https://[fd00::1]:6443"
    assert config.namespace == "default"
    env["POD_NAMESPACE"] = "from-env"
    assert load_incluster_config(service_account_dir=sa, environ=env).namespace == "from-env"


def test_incluster_errors(tmp_path: Path) -> None:
    with pytest.raises(NotInClusterError, match="KUBERNETES_SERVICE_HOST"):
        load_incluster_config(service_account_dir=tmp_path, environ={})
    env = {"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    with pytest.raises(TokenFileError, match="token"):
        load_incluster_config(service_account_dir=tmp_path / "missing", environ=env)


def test_load_config_prefers_kubeconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_kubeconfig(tmp_path / "config", simple_kubeconfig())
    monkeypatch.setenv("KUBECONFIG", str(path))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    assert load_config().source == str(path)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST")
    with pytest.raises(KubeconfigNotFoundError, match="not running in a cluster"):
        load_config()


def test_load_config_falls_back_to_in_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sa = _service_account(tmp_path)
    monkeypatch.setattr("kubetyped.config.incluster.SERVICE_ACCOUNT_DIR", sa)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    config = load_config(namespace="override")
    assert (config.source, config.server, config.namespace) == (
        "in-cluster",
        "https://10.0.0.1:443",
        "override",
    )


def test_load_kubeconfig_dict(tmp_path: Path) -> None:
    (tmp_path / "tok").write_text("dict-token")
    doc = simple_kubeconfig(user={"tokenFile": "tok"})
    config = load_kubeconfig_dict(doc, source=tmp_path / "virtual", context="admin")
    assert isinstance(config.auth, TokenFileAuth)
    assert config.auth.token() == "dict-token"
    assert config.source == str(tmp_path / "virtual")
