"""A kubeconfig `server` with a query, a fragment or userinfo, against a real loopback server.

Newcomer review (06:20): `server: http://127.0.0.1:P/?token=abc` sent requests to
`/?token=abc/api/v1/...`; `'https://tok-SUPERSECRET-abc123@:1' has no host` echoed the token.
client-go `rest.NewRESTClient` clears the server URL's `RawQuery` and `Fragment`, keeps its path
as a prefix, and every request sets its own query (`Request.URL`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from test_config_support import simple_kubeconfig, write_kubeconfig

from kubetyped.config import InvalidKubeconfigError, load_kubeconfig
from kubetyped.urls import redact_url
from kubetyped_kubernetes import Clientset

SECRET = "tok-SUPERSECRET-abc123"


@pytest.fixture
def apiserver() -> Iterator[tuple[int, list[str]]]:
    """A loopback server answering every GET with an empty ConfigMapList; records the paths."""
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            paths.append(self.path)
            body = json.dumps(
                {"kind": "ConfigMapList", "apiVersion": "v1", "metadata": {}, "items": []}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], paths
    server.shutdown()
    server.server_close()


def _kubeconfig(tmp_path: Path, server: str) -> Path:
    return write_kubeconfig(tmp_path / "config", simple_kubeconfig(cluster={"server": server}))


@pytest.mark.parametrize(
    ("suffix", "prefix"),
    [
        (f"/?token={SECRET}", ""),
        (f"?token={SECRET}", ""),
        (f"/#{SECRET}", ""),
        (f"/?a=1#{SECRET}", ""),
        (f"/proxy/k8s?token={SECRET}", "/proxy/k8s"),
    ],
)
def test_query_and_fragment_of_the_server_are_dropped(
    tmp_path: Path, apiserver: tuple[int, list[str]], suffix: str, prefix: str
) -> None:
    port, paths = apiserver
    server = f"http://127.0.0.1:{port}{suffix}"
    with Clientset.from_kubeconfig(_kubeconfig(tmp_path, server)) as cs:
        assert cs.core_v1.config_maps("default").list(label_selector="app=web").items == []
        assert SECRET not in repr(cs)
    assert paths == [f"{prefix}/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb"]
    config = load_kubeconfig(_kubeconfig(tmp_path, server))
    assert SECRET not in repr(config)


@pytest.mark.parametrize(
    "server",
    [
        f"https://{SECRET}@:1",  # the reviewer's case: no host
        f"https://{SECRET}@h:99999",  # a bad port
        f"https://user:{SECRET}@[::1",  # brackets
        f"{SECRET}@:1",  # no scheme (http:// is assumed)
        f"https://h:99999/?token={SECRET}",  # a secret query
        f"https://h:99999/#{SECRET}",
    ],
)
def test_invalid_server_errors_never_echo_userinfo_or_query(tmp_path: Path, server: str) -> None:
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig(_kubeconfig(tmp_path, server))
    message = str(info.value)
    assert SECRET not in message and SECRET not in repr(info.value)
    assert 'cluster "c"' in message and 'field "server"' in message
    assert "<redacted>" in message


def test_a_lone_username_is_hidden_in_the_config_repr(tmp_path: Path) -> None:
    config = load_kubeconfig(_kubeconfig(tmp_path, f"https://{SECRET}@127.0.0.1:6443"))
    assert SECRET not in repr(config)
    assert "https://<redacted>@127.0.0.1:6443" in repr(config)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
TOKEN = st.text(
    alphabet=st.characters(blacklist_characters="@/?#:", blacklist_categories=("Cs",)),
    min_size=8,
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["https://", "http://", "socks5://", "https:/", "https:", ""]), TOKEN, TEXT)
@example(scheme="https://", token="00000000", after=":@")  # found on main 11:10: user "tok@"
def test_a_username_never_survives_redaction(scheme: str, token: str, after: str) -> None:
    assume(token not in "<redacted>")
    assert token not in redact_url(f"{scheme}{token}@{after}") or token in after


@settings(max_examples=300, deadline=None)
@given(TEXT, TOKEN)
def test_a_query_or_fragment_never_survives_redaction(before: str, token: str) -> None:
    assume(token not in "<redacted>")
    for url in (f"https://{before}?{token}", f"https://{before}#{token}"):
        assert token not in redact_url(url) or token in before
