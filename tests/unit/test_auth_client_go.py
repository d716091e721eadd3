"""Credentials and connections exactly like client-go, against real loopback servers.

Issue 13 items 1-5: exec client-certificate rotation on kept-alive connections, plugin stderr and
interactive prompts (a pty), no credentials over plain http, client-go's auth precedence, and the
process-wide exec credential cache.

Provenance: tests/unit/fixtures/kubeconfig/token-exec-user.yaml is the shared case
cases/kubeconfig/token-exec-user.yaml (a user with a token and an exec plugin).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from auth_loopback import ApiServerStub, server_context, test_ca
from test_config_support import FakeClock, b64, kubeconfig, write_kubeconfig

from kubetyped.config import InvalidKubeconfigError, load_kubeconfig
from kubetyped.transport import build_async_http_client, build_http_client
from tests.cluster.pki import CertificateAuthority

V1 = "client.authentication.k8s.io/v1"
FIXTURES = Path(__file__).parent / "fixtures" / "kubeconfig"

# A shell exec plugin: counts its runs and prints the ExecCredential named by $DIR/current.
CERT_PLUGIN = """#!/bin/sh
echo x >> "$DIR/runs"
cat "$DIR/cred-$(cat "$DIR/current").json"
"""


def _rfc3339(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


class CertPlugin:
    """A shell plugin returning client certificates `old` / `new` signed by `ca`."""

    def __init__(self, tmp: Path, ca: CertificateAuthority, expires: dict[str, float]) -> None:
        self.dir = tmp / "plugin"
        self.dir.mkdir()
        self.script = _script(self.dir / "plugin.sh", CERT_PLUGIN)
        for name in ("old", "new"):
            pair = ca.client_cert(name)
            status: dict[str, Any] = {
                "clientCertificateData": pair.cert_pem.decode(),
                "clientKeyData": pair.key_pem.decode(),
            }
            if name in expires:
                status["expirationTimestamp"] = _rfc3339(expires[name])
            doc = {"apiVersion": V1, "kind": "ExecCredential", "status": status}
            (self.dir / f"cred-{name}.json").write_text(json.dumps(doc))
        self.use("old")

    def use(self, name: str) -> None:
        (self.dir / "current").write_text(name)

    @property
    def runs(self) -> int:
        runs = self.dir / "runs"
        return len(runs.read_text().split()) if runs.exists() else 0

    def user(self) -> dict[str, Any]:
        return {
            "exec": {
                "apiVersion": V1,
                "command": str(self.script),
                "env": [{"name": "DIR", "value": str(self.dir)}],
                "interactiveMode": "Never",
            }
        }


def _tls_stub(ca: CertificateAuthority, hosts: tuple[str, ...] = ("127.0.0.1",)) -> ApiServerStub:
    return ApiServerStub(tls=server_context(ca.serving_cert(list(hosts)), client_ca=ca.cert_pem))


def _config_file(
    tmp: Path, server: str, user: dict[str, Any], ca: CertificateAuthority | None = None, **cl: Any
) -> Path:
    cluster: dict[str, Any] = {"server": server, **cl}
    if ca is not None:
        cluster["certificate-authority-data"] = b64(ca.cert_pem)
    doc = kubeconfig(
        clusters={"c": cluster},
        users={"u": user},
        contexts={"ctx": {"cluster": "c", "user": "u"}},
        current="ctx",
    )
    return write_kubeconfig(tmp / f"config-{len(list(tmp.glob('config-*')))}", doc)


# --- 1. a rotated exec client certificate reaches kept-alive connections ----------------------


def test_rotated_exec_certificate_replaces_kept_alive_connections_after_401(
    tmp_path: Path,
) -> None:
    ca = test_ca()
    plugin = CertPlugin(tmp_path, ca, {})
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, plugin.user(), ca))
        with build_http_client(config) as http:
            assert http.get("/a").json()["cn"] == "old"
            assert http.get("/b").json()["cn"] == "old"
            assert api.requests[0].connection == api.requests[1].connection  # kept alive
            plugin.use("new")
            api.reject_cns.add("old")  # the server stops accepting the old certificate
            response = http.get("/c")
            assert response.status_code == 200 and response.json()["cn"] == "new"
            assert http.get("/d").json()["cn"] == "new"
    assert plugin.runs == 2
    assert [s.client_cn for s in api.requests] == ["old", "old", "old", "new", "new"]
    assert api.requests[3].connection != api.requests[2].connection


def test_expiry_rotation_reaches_kept_alive_connections(tmp_path: Path) -> None:
    ca = test_ca()
    clock = FakeClock(time.time())
    plugin = CertPlugin(tmp_path, ca, {"old": clock.now + 60})
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, plugin.user(), ca), clock=clock)
        with build_http_client(config) as http:
            assert http.get("/a").json()["cn"] == "old"
            plugin.use("new")
            clock.advance(120)  # the old credential expired: the plugin runs again
            assert http.get("/b").json()["cn"] == "new"
    assert plugin.runs == 2


async def test_async_rotation_reaches_kept_alive_connections(tmp_path: Path) -> None:
    ca = test_ca()
    plugin = CertPlugin(tmp_path, ca, {})
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, plugin.user(), ca))
        async with build_async_http_client(config) as http:
            assert (await http.get("/a")).json()["cn"] == "old"
            plugin.use("new")
            api.reject_cns.add("old")
            response = await http.get("/b")
            assert response.status_code == 200 and response.json()["cn"] == "new"
    assert [s.client_cn for s in api.requests] == ["old", "old", "new"]


# --- 2. plugin stderr reaches the user; interactive plugins have no time limit ---------------

PROMPT_PLUGIN = """#!/bin/sh
echo "open https://login.example.test/device and enter ABCD-EFGH" >&2
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"device-token"}}' "$API"
"""


def test_plugin_stderr_reaches_the_terminal_when_stdin_is_not_one(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    script = _script(tmp_path / "prompt.sh", PROMPT_PLUGIN)
    user = {
        "exec": {
            "apiVersion": V1,
            "command": str(script),
            "env": [{"name": "API", "value": V1}],
            "interactiveMode": "IfAvailable",
        }
    }
    ca = test_ca()
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, user, ca))
        with build_http_client(config) as http:
            assert http.get("/").status_code == 200
    assert api.requests[0].headers["authorization"] == "Bearer device-token"
    assert "open https://login.example.test/device and enter ABCD-EFGH" in capfd.readouterr().err


INTERACTIVE_PLUGIN = """#!/bin/sh
echo "enter the code shown at https://login.example.test/device:" >&2
read code
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
printf '"status":{"token":"%s"}}' "$code"
"""

DRIVER = """
import sys
from kubetyped.config import InvalidKubeconfigError, load_kubeconfig
config = load_kubeconfig(sys.argv[1], exec_timeout=float(sys.argv[2]))
print("TOKEN=" + config.auth.credential().token, flush=True)
"""


def test_interactive_plugin_waits_for_its_human_without_a_timeout(tmp_path: Path) -> None:
    """A pty is the plugin's stdin; the human answers after the non-interactive time limit."""
    script = _script(tmp_path / "interactive.sh", INTERACTIVE_PLUGIN)
    user = {"exec": {"apiVersion": V1, "command": str(script), "interactiveMode": "Always"}}
    path = _config_file(tmp_path, "https://127.0.0.1:1", user)
    timeout = 0.3
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(path), str(timeout)],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    try:
        assert proc.stderr is not None
        prompt = proc.stderr.readline().decode()
        assert "enter the code shown at https://login.example.test/device" in prompt
        time.sleep(timeout * 4)  # the human is slower than any non-interactive limit
        os.write(master, b"WXYZ-1234\n")
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()
    assert "TOKEN=WXYZ-1234" in out.decode()


# --- 3. no credentials over plain http (impersonation still sent) ----------------------------

COUNT_PLUGIN = """#!/bin/sh
echo x >> "$COUNT"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
printf '"status":{"token":"exec-token-%s"}}' "$TAG"
"""


def _count_plugin(tmp: Path, tag: str = "a") -> tuple[dict[str, Any], Path]:
    script = tmp / "count.sh"
    if not script.exists():
        _script(script, COUNT_PLUGIN)
    count = tmp / f"count-{tag}"
    user = {
        "exec": {
            "apiVersion": V1,
            "command": str(script),
            "env": [{"name": "COUNT", "value": str(count)}, {"name": "TAG", "value": tag}],
            "interactiveMode": "Never",
        }
    }
    return user, count


def _runs(count: Path) -> int:
    return len(count.read_text().split()) if count.exists() else 0


@pytest.mark.parametrize("kind", ["token", "basic", "exec"])
def test_no_credentials_over_plain_http(tmp_path: Path, kind: str) -> None:
    exec_user, count = _count_plugin(tmp_path)
    user: dict[str, Any] = {
        "token": {"token": "plain-http-token"},
        "basic": {"username": "bob", "password": "plain-http-password"},
        "exec": exec_user,
    }[kind]
    user["as"] = "jane"
    with ApiServerStub() as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, user))
        with build_http_client(config) as http:
            assert http.get("/api").status_code == 200
    seen = api.requests[0].headers
    assert "authorization" not in seen
    assert seen["impersonate-user"] == "jane"  # client-go sends impersonation regardless
    assert _runs(count) == 0


def test_schemeless_server_is_plain_http_without_credentials(tmp_path: Path) -> None:
    """Item 13: client-go `DefaultServerURL` picks http:// when no TLS setting is merged."""
    with ApiServerStub() as api:
        server = f"127.0.0.1:{api.port}"
        config = load_kubeconfig(_config_file(tmp_path, server, {"token": "t0ken"}))
        assert config.server == f"http://{server}" and config.auth is None
        with build_http_client(config) as http:
            assert http.get("/version").status_code == 200
    assert "authorization" not in api.requests[0].headers


# --- 4. client-go's precedence -------------------------------------------------------------


def test_token_with_exec_uses_the_token_and_never_runs_the_plugin(tmp_path: Path) -> None:
    """The shared case (kubectl uses the token; the plugin, /bin/false, never runs)."""
    case = yaml.safe_load((FIXTURES / "token-exec-user.yaml").read_text())
    user = case["users"][0]["user"]
    ca = test_ca()
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, user, ca))
        with build_http_client(config) as http:
            assert http.get("/api").status_code == 200
    assert api.requests[0].headers["authorization"] == "Bearer REPLACE-WITH-A-VALID-TOKEN"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"token": "inline-token"}, "Bearer inline-token"),
        (
            {"username": "bob", "password": "pw"},
            "Basic " + base64.b64encode(b"bob:pw").decode(),
        ),
    ],
)
def test_token_or_basic_cancels_the_exec_plugin(
    tmp_path: Path, extra: dict[str, Any], expected: str
) -> None:
    exec_user, count = _count_plugin(tmp_path)
    ca = test_ca()
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, {**exec_user, **extra}, ca))
        with build_http_client(config) as http:
            assert http.get("/api").status_code == 200
    assert api.requests[0].headers["authorization"] == expected
    assert _runs(count) == 0


def test_client_certificate_cancels_the_exec_plugin(tmp_path: Path) -> None:
    exec_user, count = _count_plugin(tmp_path)
    ca = test_ca()
    pair = ca.client_cert("cert-user")
    user = {
        **exec_user,
        "client-certificate-data": b64(pair.cert_pem),
        "client-key-data": b64(pair.key_pem),
    }
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, user, ca))
        with build_http_client(config) as http:
            assert http.get("/api").status_code == 200
    assert api.requests[0].client_cn == "cert-user"
    assert "authorization" not in api.requests[0].headers
    assert _runs(count) == 0


def test_token_wins_over_the_oidc_auth_provider(tmp_path: Path) -> None:
    provider = {
        "name": "oidc",
        "config": {"idp-issuer-url": "http://127.0.0.1:9", "client-id": "kubectl"},
    }
    ca = test_ca()
    with _tls_stub(ca) as api:
        user = {"token": "inline", "auth-provider": provider}
        config = load_kubeconfig(_config_file(tmp_path, api.url, user, ca))
        with build_http_client(config) as http:
            assert http.get("/api").status_code == 200
    assert api.requests[0].headers["authorization"] == "Bearer inline"


@pytest.mark.parametrize(
    ("user", "field"),
    [
        ({"token": "t", "auth-provider": {"name": "gcp"}}, "auth-provider.name"),
        ({"token": "t", "auth-provider": {"name": "oidc"}}, "auth-provider.config.idp-issuer-url"),
        ({"token": "t", "exec": {"command": "p", "apiVersion": "nope"}}, "exec.apiVersion"),
    ],
)
def test_a_method_that_loses_is_still_validated(
    tmp_path: Path, user: dict[str, Any], field: str
) -> None:
    """client-go builds the exec and auth-provider round trippers even when a token wins
    (rest/transport.go `TransportConfig`), so their errors surface."""
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig(_config_file(tmp_path, "https://127.0.0.1:1", user))
    assert info.value.field == field


def test_inline_token_is_the_fallback_for_a_missing_token_file(tmp_path: Path) -> None:
    ca = test_ca()
    token_file = tmp_path / "token"
    user = {"token": "inline", "tokenFile": str(token_file)}
    with _tls_stub(ca) as api:
        config = load_kubeconfig(_config_file(tmp_path, api.url, user, ca))
        with build_http_client(config) as http:
            assert http.get("/a").status_code == 200  # file missing: the inline token
            token_file.write_text("from-file\n")
            assert http.get("/b").status_code == 200  # readable now: the file wins
    auth = [s.headers["authorization"] for s in api.requests]
    assert auth == ["Bearer inline", "Bearer from-file"]


# --- 5. one exec credential per process, keyed by exec config and cluster ---------------------


def test_exec_credentials_are_shared_by_clients_of_one_kubeconfig(tmp_path: Path) -> None:
    exec_user, count = _count_plugin(tmp_path, "shared")
    other_user, other_count = _count_plugin(tmp_path, "other")
    ca = test_ca()
    with _tls_stub(ca) as api:
        path = _config_file(tmp_path, api.url, exec_user, ca)
        for _ in range(2):  # two clientsets from one kubeconfig
            with build_http_client(load_kubeconfig(path)) as http:
                assert http.get("/api").status_code == 200
        with build_http_client(
            load_kubeconfig(_config_file(tmp_path, api.url, other_user, ca))
        ) as http:
            assert http.get("/api").status_code == 200
    assert (_runs(count), _runs(other_count)) == (1, 1)
    tokens = [s.headers["authorization"] for s in api.requests]
    assert tokens == ["Bearer exec-token-shared"] * 2 + ["Bearer exec-token-other"]
