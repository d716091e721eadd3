"""Exec credential plugins: environment, caching until expiry, re-run after 401, failures."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import ssl
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_config_support import (
    FakeClock,
    b64,
    make_cert,
    simple_kubeconfig,
    tls_server,
    write_kubeconfig,
)

from kubetyped.auth import ExecAuth, ExecConfig, ExecCredential, ExecPluginError
from kubetyped.config import ClientConfig, load_kubeconfig

V1 = "client.authentication.k8s.io/v1"
V1BETA1 = "client.authentication.k8s.io/v1beta1"
PLUGIN_TOKEN = "plugin-token-secret"

# The plugin counts its runs in $COUNTER, records KUBERNETES_EXEC_INFO, argv and $EXTRA in
# $RECORD, and behaves according to $MODE.
PLUGIN = f"""#!{sys.executable}
import json, os, sys, time
counter = os.environ["COUNTER"]
n = int(open(counter).read()) + 1 if os.path.exists(counter) else 1
open(counter, "w").write(str(n))
json.dump({{"info": json.loads(os.environ["KUBERNETES_EXEC_INFO"]), "argv": sys.argv[1:],
           "extra": os.environ.get("EXTRA")}}, open(os.environ["RECORD"], "w"))
mode = os.environ.get("MODE", "ok")
if mode == "fail":
    print("login failed: bad creds", file=sys.stderr)
    sys.exit(3)
if mode == "fail-verbose":
    print("login failed; retried with Authorization: Bearer {PLUGIN_TOKEN}", file=sys.stderr)
    sys.exit(4)
if mode == "hang":
    time.sleep(60)
if mode == "garbage":
    print("{PLUGIN_TOKEN} is not json")
    sys.exit(0)
status = {{"token": "{PLUGIN_TOKEN}-%d" % n}}
if os.environ.get("EXPIRES"):
    status["expirationTimestamp"] = os.environ["EXPIRES"]
print(json.dumps({{"apiVersion": os.environ.get("API", "{V1}"), "kind": "ExecCredential",
                  "status": status}}))
"""


def _rfc3339(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Plugin:
    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path
        self.script = tmp_path / "bin" / "plugin.py"
        self.script.parent.mkdir()
        self.script.write_text(PLUGIN)
        self.script.chmod(0o755)
        self.counter = tmp_path / "count"
        self.record = tmp_path / "record.json"

    @property
    def runs(self) -> int:
        return int(self.counter.read_text()) if self.counter.exists() else 0

    def recorded(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.record.read_text())
        return result

    def user(
        self, *, mode: str = "ok", expires: str = "", api: str = V1, **extra: Any
    ) -> dict[str, Any]:
        env = {
            "COUNTER": str(self.counter),
            "RECORD": str(self.record),
            "MODE": mode,
            "EXPIRES": expires,
            "API": api,
            "EXTRA": "from-kubeconfig",
        }
        exec_: dict[str, Any] = {
            "command": "bin/plugin.py",  # relative: resolved against the kubeconfig's directory
            "args": ["get-token", "--cluster", "c"],
            "apiVersion": V1,
            "interactiveMode": "Never",
            "env": [{"name": k, "value": v} for k, v in env.items()],
            **extra,
        }
        return {"exec": exec_}

    def load(
        self,
        user: dict[str, Any],
        clock: FakeClock | None = None,
        timeout: float = 20,
        cluster: dict[str, Any] | None = None,
    ) -> ClientConfig:
        path = write_kubeconfig(self.dir / "config", simple_kubeconfig(user=user, cluster=cluster))
        return load_kubeconfig(path, exec_timeout=timeout, clock=clock or FakeClock())


def _server(tokens_ok: set[str], seen: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("Authorization", "")
        seen.append(auth)
        return httpx.Response(200 if auth.removeprefix("Bearer ") in tokens_ok else 401)

    return httpx.MockTransport(handler)


def test_token_cached_until_expiry(tmp_path: Path) -> None:
    plugin, clock = Plugin(tmp_path), FakeClock()
    config = plugin.load(plugin.user(expires=_rfc3339(clock.now + 300)), clock)
    seen: list[str] = []
    ok = {f"{PLUGIN_TOKEN}-1", f"{PLUGIN_TOKEN}-2"}
    with httpx.Client(auth=config.auth, transport=_server(ok, seen)) as client:
        assert client.get("https://h/a").status_code == 200
        clock.advance(299)
        assert client.get("https://h/b").status_code == 200
        assert plugin.runs == 1
        clock.advance(2)  # past expirationTimestamp
        assert client.get("https://h/c").status_code == 200
    assert plugin.runs == 2
    assert seen == [f"Bearer {PLUGIN_TOKEN}-1"] * 2 + [f"Bearer {PLUGIN_TOKEN}-2"]


def test_rerun_after_401(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user())  # no expiry: cached until the server says 401
    seen: list[str] = []
    with httpx.Client(auth=config.auth, transport=_server({f"{PLUGIN_TOKEN}-2"}, seen)) as client:
        response = client.post("https://h/x", content=b"body")
        assert response.status_code == 200
        assert client.get("https://h/y").status_code == 200
    assert seen == [
        f"Bearer {PLUGIN_TOKEN}-1",
        f"Bearer {PLUGIN_TOKEN}-2",
        f"Bearer {PLUGIN_TOKEN}-2",
    ]
    assert plugin.runs == 2


def test_persistent_401_is_returned_after_one_retry(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user())
    seen: list[str] = []
    with httpx.Client(auth=config.auth, transport=_server(set(), seen)) as client:
        assert client.get("https://h/x").status_code == 401
    assert len(seen) == 2 and plugin.runs == 2


async def test_async_client_caches_and_retries(tmp_path: Path) -> None:
    plugin, clock = Plugin(tmp_path), FakeClock()
    config = plugin.load(plugin.user(expires=_rfc3339(clock.now + 60)), clock)
    seen: list[str] = []
    transport = _server({f"{PLUGIN_TOKEN}-2", f"{PLUGIN_TOKEN}-3"}, seen)
    async with httpx.AsyncClient(auth=config.auth, transport=transport) as client:
        assert (await client.get("https://h/a")).status_code == 200  # 401 with -1, then -2
        assert (await client.get("https://h/b")).status_code == 200  # cached -2
        clock.advance(61)
        assert (await client.get("https://h/c")).status_code == 200  # expired → -3
    assert plugin.runs == 3
    assert seen[-2:] == [f"Bearer {PLUGIN_TOKEN}-2", f"Bearer {PLUGIN_TOKEN}-3"]


def test_environment_args_and_exec_info(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    ca, _ = make_cert()
    cluster = {
        "server": "https://127.0.0.1:6443",
        "certificate-authority-data": b64(ca),
        "tls-server-name": "kubernetes",
        "extensions": [
            {"name": "client.authentication.k8s.io/exec", "extension": {"audience": "k8s"}}
        ],
    }
    config = plugin.load(plugin.user(provideClusterInfo=True), cluster=cluster)
    assert isinstance(config.auth, ExecAuth)
    assert config.auth.credential().token == f"{PLUGIN_TOKEN}-1"
    record = plugin.recorded()
    assert record["argv"] == ["get-token", "--cluster", "c"]
    assert record["extra"] == "from-kubeconfig"
    assert record["info"] == {
        "apiVersion": V1,
        "kind": "ExecCredential",
        "spec": {
            "interactive": False,
            "cluster": {
                "server": "https://127.0.0.1:6443",
                "certificate-authority-data": b64(ca),
                "tls-server-name": "kubernetes",
                "config": {"audience": "k8s"},
            },
        },
    }


def test_no_cluster_info_unless_asked_and_v1beta1(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    user = plugin.user(api=V1BETA1, apiVersion=V1BETA1)
    del user["exec"]["interactiveMode"]  # optional for v1beta1 (IfAvailable)
    config = plugin.load(user)
    assert isinstance(config.auth, ExecAuth)
    assert config.auth.config.interactive_mode == "IfAvailable"
    config.auth.credential()
    assert plugin.recorded()["info"] == {
        "apiVersion": V1BETA1,
        "kind": "ExecCredential",
        "spec": {"interactive": False},
    }


def test_interactive_always_without_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user(interactiveMode="Always"))
    assert isinstance(config.auth, ExecAuth)
    with pytest.raises(ExecPluginError, match="not a terminal") as info:
        config.auth.credential()
    assert info.value.field == "exec.interactiveMode"
    assert plugin.runs == 0


def test_nonzero_exit(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user(mode="fail"))
    with (
        pytest.raises(ExecPluginError) as info,
        httpx.Client(auth=config.auth, transport=_server(set(), [])) as client,
    ):
        client.get("https://h/")
    message = str(info.value)
    assert "exited with code 3" in message
    assert 'user "u"' in message and str(tmp_path / "config") in message
    # the plugin's stderr went to the user's terminal (client-go), not into the message
    assert "login failed: bad creds" in capfd.readouterr().err
    assert "login failed" not in message


def test_plugin_stderr_never_reaches_the_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user(mode="fail-verbose"))
    assert isinstance(config.auth, ExecAuth)
    with pytest.raises(ExecPluginError) as info:
        config.auth.credential()
    message = str(info.value)
    assert "exited with code 4" in message and "login failed" not in message
    assert PLUGIN_TOKEN not in message and PLUGIN_TOKEN not in repr(info.value)
    assert f"Bearer {PLUGIN_TOKEN}" in capfd.readouterr().err


def test_hung_plugin_is_killed(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user(mode="hang"), timeout=1)
    assert isinstance(config.auth, ExecAuth)
    started = time.monotonic()
    with pytest.raises(ExecPluginError, match="did not finish within 1s and was killed"):
        config.auth.credential()
    assert time.monotonic() - started < 10


def test_garbage_output_is_not_echoed(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user(mode="garbage"))
    assert isinstance(config.auth, ExecAuth)
    with pytest.raises(ExecPluginError) as info:
        config.auth.credential()
    assert "printed invalid JSON (" in str(info.value) and "bytes)" in str(info.value)
    assert PLUGIN_TOKEN not in str(info.value) and PLUGIN_TOKEN not in repr(config)


def test_wrong_api_version_in_response(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    config = plugin.load(plugin.user(api=V1BETA1))
    assert isinstance(config.auth, ExecAuth)
    with pytest.raises(ExecPluginError, match="returned another apiVersion") as info:
        config.auth.credential()
    assert V1BETA1 not in str(info.value)  # what the plugin printed is never echoed


def test_missing_command_shows_install_hint(tmp_path: Path) -> None:
    plugin = Plugin(tmp_path)
    user = plugin.user(installHint="install it with: brew install plugin")
    user["exec"]["command"] = "kubetyped-no-such-plugin"
    config = plugin.load(user)
    assert isinstance(config.auth, ExecAuth)
    with pytest.raises(ExecPluginError, match="brew install plugin") as info:
        config.auth.credential()
    assert info.value.field == "exec.command"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ({}, "neither a token nor a client certificate"),
        ({"clientCertificateData": "x"}, "only one of"),
        ({"token": "t", "expirationTimestamp": "tomorrow"}, "not RFC 3339"),
        ({"token": 5}, "status.token is not a string"),
    ],
)
def test_invalid_credentials(status: dict[str, Any], message: str) -> None:
    from kubetyped.auth.exec_plugin import parse_exec_credential

    cfg = ExecConfig(command="p", api_version=V1, entry="u", source="/cfg")
    doc = {"apiVersion": V1, "kind": "ExecCredential", "status": status}
    with pytest.raises(ExecPluginError, match=message) as info:
        parse_exec_credential(cfg, json.dumps(doc).encode())
    assert '"t"' not in str(info.value)


def test_exec_client_certificate_reaches_tls_handshake(tmp_path: Path) -> None:
    server_cert, server_key = make_cert("apiserver", ip="127.0.0.1")
    client_cert, client_key = make_cert("exec-user")
    port, result, thread = tls_server(server_cert, server_key, client_cert, tmp_path)
    credential = ExecCredential(None, client_cert.decode(), client_key.decode(), None)
    runs: list[ExecConfig] = []

    def runner(cfg: ExecConfig) -> ExecCredential:
        runs.append(cfg)
        return credential

    auth = ExecAuth(ExecConfig(command="p", api_version=V1), runner=runner)
    config = ClientConfig(server=f"https://127.0.0.1:{port}", ca_data=server_cert, auth=auth)
    ctx = config.ssl_context()
    assert isinstance(ctx, ssl.SSLContext)
    # the auth flow obtains the credential (and loads the cert) before the request is sent
    flow = auth.sync_auth_flow(httpx.Request("GET", config.server))
    request = next(flow)
    assert "Authorization" not in request.headers and len(runs) == 1
    with (
        socket.create_connection(("127.0.0.1", port)) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.recv(2) == b"ok"
    thread.join(5)
    peer = result["peer"]
    assert isinstance(peer, dict) and peer["subject"] == ((("commonName", "exec-user"),),)


def test_exec_client_certificate_without_bound_context() -> None:
    cert, key = make_cert()
    auth = ExecAuth(
        ExecConfig(command="p", api_version=V1, entry="u", source="/cfg"),
        runner=lambda cfg: ExecCredential(None, cert.decode(), key.decode()),
    )
    for _ in range(2):  # not cached while unusable
        with pytest.raises(ExecPluginError, match="no TLS context was bound"):
            auth.credential()
