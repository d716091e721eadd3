"""Secrets sweep (issue 18): no credential, nor its base64 form, in any `str`/`repr`/traceback of
an error, nor in any log record, over every error path we can provoke, with DEBUG logging on for
`kubetyped`, `httpx` and `httpcore`. Long object names and request ports/paths must survive.

The kubeconfig holds a bearer token, a basic-auth password, a client key, an exec plugin (whose
token is also printed to its stderr and echoed by a misbehaving server) and OIDC credentials
(id-token, refresh-token, client-secret) against a local identity provider that fails.
Error paths: 401 and 404 from the real apiserver, a server that echoes the request headers in a
500 body, a closed port, a TLS failure, a stalled watch (idle timeout), a failing exec plugin,
a failing OIDC refresh, invalid kubeconfig entries; plus the reprs of configs and clients.
"""

from __future__ import annotations

import base64
import json
import logging
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kubetyped.config import load_kubeconfig_dict
from kubetyped.errors import KubetypedError
from kubetyped.request import ListOptions
from kubetyped.rest import RESTClient

TOKEN = "kt-sweep-token-6f1e2d3c4b5a69788796"
PASSWORD = "sweep-basic-password-Zq9"
EXEC_TOKEN = "exec-sweep-token-0a1b2c3d4e5f"
ID_TOKEN = "oidc-sweep-id-token-77aa88bb99cc"
REFRESH_TOKEN = "oidc-sweep-refresh-token-1f2e3d"
CLIENT_SECRET = "oidc-sweep-client-secret-9z8y"
LONG_NAME = "a-helm-release-with-a-name-well-over-forty-characters-long-0123"


def _forms(secret: str) -> list[str]:
    return [secret, base64.b64encode(secret.encode()).decode()]


class EchoHandler(BaseHTTPRequestHandler):
    """Answers 500 with the request headers in the Status message (a misbehaving proxy)."""

    def do_GET(self) -> None:
        headers = "; ".join(f"{k}: {v}" for k, v in self.headers.items())
        body = json.dumps(
            {"kind": "Status", "code": 500, "reason": "InternalError", "message": f"saw {headers}"}
        ).encode()
        if self.path.startswith("/token"):  # the identity provider: refresh fails, echoing
            body = json.dumps(
                {"error": "invalid_grant", "error_description": f"bad token {REFRESH_TOKEN}"}
            ).encode()
            self.send_response(400)
        else:
            self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def echo_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _doc(server: str, ca: str, user: dict[str, Any], **cluster: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "c",
                "cluster": {"server": server, "certificate-authority-data": ca, **cluster},
            }
        ],
        "users": [{"name": "u", "user": user}],
        "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
        "current-context": "x",
    }


def test_no_secret_in_any_error_or_log(
    cluster: Any, tmp_path: Path, echo_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("kubetyped", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    ca = base64.b64encode(cluster.ca_path.read_bytes()).decode()
    key_pem = cluster.admin_key_path.read_text()
    key_secret = "".join(key_pem.strip().splitlines()[1:-1])  # the key's base64 body
    cert_b64 = base64.b64encode(cluster.admin_cert_path.read_bytes()).decode()
    key_b64 = base64.b64encode(key_pem.encode()).decode()
    plugin = tmp_path / "plugin.py"
    plugin.write_text(
        "import json, os, sys\n"
        f"print('refreshing token {EXEC_TOKEN}', file=sys.stderr)\n"
        "if os.environ.get('FAIL'):\n    sys.exit(3)\n"
        "print(json.dumps({'apiVersion': 'client.authentication.k8s.io/v1', 'kind': "
        f"'ExecCredential', 'status': {{'token': {EXEC_TOKEN!r}}}}}))\n"
    )

    def exec_user(fail: bool) -> dict[str, Any]:
        return {
            "exec": {
                "apiVersion": "client.authentication.k8s.io/v1",
                "command": sys.executable,
                "args": [str(plugin)],
                "env": [{"name": "FAIL", "value": "1"}] if fail else None,
                "interactiveMode": "Never",
            }
        }

    oidc_user = {
        "auth-provider": {
            "name": "oidc",
            "config": {
                "idp-issuer-url": echo_server,
                "client-id": "kubetyped",
                "client-secret": CLIENT_SECRET,
                "id-token": ID_TOKEN,  # not a JWT: treated as expired, so it is refreshed
                "refresh-token": REFRESH_TOKEN,
            },
        }
    }
    real = cluster.server
    users = {
        "token": {"token": TOKEN},
        "basic": {"username": "sweeper", "password": PASSWORD},
        "cert": {"client-certificate-data": cert_b64, "client-key-data": key_b64},
        "exec": exec_user(False),
        "exec-fail": exec_user(True),
        "oidc": oidc_user,
    }
    texts: list[str] = []
    provoked: list[str] = []

    def record(label: str, action: Callable[[], Any]) -> None:
        try:
            result = action()
            texts.append(repr(result))
        except BaseException as exc:
            provoked.append(f"{label}: {type(exc).__name__}")
            texts.extend([str(exc), repr(exc), "".join(traceback.format_exception(exc))])
            if not isinstance(exc, KubetypedError):
                texts.append(f"UNTYPED {label}: {type(exc).__name__}")

    def client(user: str, server: str = real, **cluster_fields: Any) -> RESTClient:
        doc = _doc(server, ca, users[user], **cluster_fields)
        config = load_kubeconfig_dict(doc, source=tmp_path / "kubeconfig")
        texts.append(repr(config))
        return RESTClient.from_config(config)

    path = f"/api/v1/namespaces/default/configmaps/{LONG_NAME}"
    for user in users:
        record(f"{user} 404/401", lambda u=user: client(u).get(path))  # type: ignore[misc]
        record(f"{user} echo 500", lambda u=user: client(u, echo_server).get(path))  # type: ignore[misc]
        record(
            f"{user} closed port",
            lambda u=user: client(u, f"https://127.0.0.1:{_closed_port()}").get(path),  # type: ignore[misc]
        )
    record(
        "token bad CA",
        lambda: RESTClient.from_config(
            load_kubeconfig_dict({**_doc(real, base64.b64encode(b"junk").decode(), users["token"])})
        ).get(path),
    )
    record(
        "token tls name",
        lambda: client("token", real, **{"tls-server-name": "wrong.example"}).get(path),
    )
    record(
        "watch idle",
        lambda: list(
            client("token").watch(
                "/api/v1/namespaces/default/configmaps",
                ListOptions(idle_timeout=0.5, field_selector=f"metadata.name={LONG_NAME}"),
            )
        ),
    )
    for bad_user in (
        {"token": TOKEN, "password": PASSWORD},
        {"username": "u", "password": PASSWORD, "token-file": 7},
        {"client-key-data": "not base64 " + key_b64[:20]},
        {"exec": {"command": sys.executable, "apiVersion": "v9", "env": [{"x": CLIENT_SECRET}]}},
        {"auth-provider": {"name": "oidc", "config": {"refresh-token": REFRESH_TOKEN}}},
    ):
        record("bad kubeconfig", lambda u=bad_user: load_kubeconfig_dict(_doc(real, ca, u)))  # type: ignore[misc]
    texts.extend(
        f"{r.levelname} {r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    texts.extend(
        "".join(traceback.format_exception(r.exc_info[1])) for r in caplog.records if r.exc_info
    )

    secrets = [TOKEN, PASSWORD, EXEC_TOKEN, ID_TOKEN, REFRESH_TOKEN, CLIENT_SECRET, key_secret[:40]]
    secrets += [base64.b64encode(f"sweeper:{PASSWORD}".encode()).decode()]
    leaks = [
        (form, text[:300])
        for secret in secrets
        for form in _forms(secret)
        for text in texts
        if form in text
    ]
    assert leaks == [], leaks
    assert not [t for t in texts if t.startswith("UNTYPED")], [
        t for t in texts if t.startswith("UNTYPED")
    ]
    # diagnostics survive: the long name, the port of the server, the request path
    joined = "\n".join(texts)
    assert LONG_NAME in joined
    assert f":{real.rsplit(':', 1)[1]}" in joined
    assert len(provoked) >= 20, provoked
    print(
        f"secrets sweep: {len(provoked)} error paths, {len(caplog.records)} log records, "
        f"{len(texts)} texts checked, 0 secrets found"
    )
