"""KUBECONFIG discovery and client-go merge rules."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from test_config_support import (
    SECRET_TOKEN,
    kubeconfig,
    make_cert,
    simple_kubeconfig,
    write_kubeconfig,
)

from kubetyped.auth import BearerTokenAuth, ExecAuth, TokenFileAuth
from kubetyped.config import (
    ContextNotFoundError,
    KubeconfigNotFoundError,
    load_kubeconfig,
    load_merged_kubeconfig,
)


def test_explicit_single_path(tmp_path: Path) -> None:
    path = write_kubeconfig(tmp_path / "config", simple_kubeconfig(namespace="team-a"))
    config = load_kubeconfig(path)
    assert config.server == "https://127.0.0.1:6443"
    assert config.context_name == "admin"
    assert config.namespace == "team-a"
    assert config.source == str(path)
    assert isinstance(config.auth, BearerTokenAuth)


def test_first_file_wins_whole_entries(tmp_path: Path) -> None:
    first = write_kubeconfig(
        tmp_path / "a",
        kubeconfig(
            clusters={"c": {"server": "https://first:1"}},
            users={"u": {"token": "first-token"}},
            contexts={"ctx": {"cluster": "c", "user": "u"}},
        ),
    )
    second = write_kubeconfig(
        tmp_path / "b",
        kubeconfig(
            # same names with more fields: nothing of these may leak into the first definitions
            clusters={"c": {"server": "https://second:2", "tls-server-name": "second.example"}},
            users={"u": {"token": "second-token", "as": "someone"}},
            contexts={
                "ctx": {"cluster": "c", "user": "u", "namespace": "second-ns"},
                "only-second": {"cluster": "c", "user": "u"},
            },
            current="ctx",
        ),
    )
    merged = load_merged_kubeconfig([first, second])
    assert merged.clusters["c"].source == first
    assert merged.users["u"].source == first
    assert merged.contexts["ctx"].source == first
    assert merged.contexts["only-second"].source == second

    config = load_kubeconfig([first, second])
    assert config.server == "https://first:1"
    assert config.tls_server_name is None  # not merged field-by-field from the second file
    assert config.impersonate is None
    assert config.namespace == "default"
    request = _authorize(config.auth)
    assert request.headers["Authorization"] == "Bearer first-token"


def _authorize(auth: object) -> httpx.Request:
    assert isinstance(auth, httpx.Auth)
    request = httpx.Request("GET", "https://x/")
    flow = auth.sync_auth_flow(request)
    return next(flow)


def test_first_non_empty_current_context_wins(tmp_path: Path) -> None:
    base = kubeconfig(
        clusters={"c": {"server": "https://h:1"}},
        contexts={"one": {"cluster": "c"}, "two": {"cluster": "c"}},
    )
    a = write_kubeconfig(tmp_path / "a", {**base, "current-context": ""})
    b = write_kubeconfig(tmp_path / "b", {**base, "current-context": "two"})
    c = write_kubeconfig(tmp_path / "c", {**base, "current-context": "one"})
    merged = load_merged_kubeconfig([a, b, c])
    assert merged.current_context == "two"
    assert merged.current_context_source == b
    assert load_kubeconfig([a, b, c]).context_name == "two"


def test_relative_paths_resolve_against_defining_file(tmp_path: Path) -> None:
    dir_a, dir_b = tmp_path / "a", tmp_path / "b"
    (dir_b / "bin").mkdir(parents=True)
    dir_a.mkdir()
    (dir_a / "token").write_text("token-from-a\n")
    write_kubeconfig(
        dir_a / "config",
        kubeconfig(
            users={"file-user": {"tokenFile": "token"}},
            contexts={
                "file": {"cluster": "c", "user": "file-user"},
                "exec": {"cluster": "c", "user": "exec-user"},
                "bare": {"cluster": "c", "user": "bare-exec"},
            },
        ),
    )
    write_kubeconfig(
        dir_b / "config",
        kubeconfig(
            clusters={"c": {"server": "https://h:1", "certificate-authority": "ca.crt"}},
            users={
                "exec-user": {
                    "exec": {
                        "command": "bin/plugin",
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                    }
                },
                "bare-exec": {
                    "exec": {
                        "command": "kubelogin",
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                    }
                },
            },
        ),
    )
    merged = load_merged_kubeconfig([dir_a / "config", dir_b / "config"])
    assert merged.clusters["c"].body["certificate-authority"] == str(dir_b / "ca.crt")
    assert merged.users["file-user"].body["tokenFile"] == str(dir_a / "token")
    assert merged.users["exec-user"].body["exec"]["command"] == str(dir_b / "bin" / "plugin")
    assert merged.users["bare-exec"].body["exec"]["command"] == "kubelogin"  # looked up on PATH

    (dir_b / "ca.crt").write_bytes(make_cert()[0])
    config = load_kubeconfig([dir_a / "config", dir_b / "config"], context="file")
    assert config.ca_data == (dir_b / "ca.crt").read_bytes()
    assert isinstance(config.auth, TokenFileAuth)
    assert config.auth.token() == "token-from-a"
    exec_config = load_kubeconfig([dir_a / "config", dir_b / "config"], context="exec")
    assert isinstance(exec_config.auth, ExecAuth)
    assert exec_config.auth.config.command == str(dir_b / "bin" / "plugin")


def test_kubeconfig_env_skips_missing_and_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    present = write_kubeconfig(tmp_path / "present", simple_kubeconfig())
    other = write_kubeconfig(
        tmp_path / "other",
        kubeconfig(
            clusters={"c2": {"server": "https://other:1"}},
            contexts={"x": {"cluster": "c2"}},
            current="x",
        ),
    )
    env = f"{tmp_path / 'missing'}::{present}:{other}"
    monkeypatch.setenv("KUBECONFIG", env.replace(":", os.pathsep))
    config = load_kubeconfig()
    assert config.server == "https://127.0.0.1:6443"  # present's current-context comes first
    assert load_kubeconfig(context="x").server == "https://other:1"


def test_kubeconfig_env_all_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "nope"))
    with pytest.raises(KubeconfigNotFoundError, match="nope"):
        load_kubeconfig()


def test_default_home_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(KubeconfigNotFoundError, match=r"\.kube/config"):
        load_kubeconfig()
    write_kubeconfig(tmp_path / ".kube" / "config", simple_kubeconfig())
    assert load_kubeconfig().context_name == "admin"


def test_explicit_path_must_exist(tmp_path: Path) -> None:
    good = write_kubeconfig(tmp_path / "good", simple_kubeconfig())
    with pytest.raises(KubeconfigNotFoundError) as info:
        load_kubeconfig([good, tmp_path / "missing"])
    assert str(tmp_path / "missing") in str(info.value)
    assert info.value.path == str(tmp_path / "missing")


def test_context_and_namespace_overrides(tmp_path: Path) -> None:
    doc = kubeconfig(
        clusters={"c1": {"server": "https://one:1"}, "c2": {"server": "https://two:2"}},
        users={"u": {"token": SECRET_TOKEN}},
        contexts={
            "first": {"cluster": "c1", "user": "u", "namespace": "ns1"},
            "second": {"cluster": "c2", "user": "u"},
        },
        current="first",
    )
    path = write_kubeconfig(tmp_path / "config", doc)
    assert load_kubeconfig(path).namespace == "ns1"
    assert load_kubeconfig(path, namespace="override").namespace == "override"
    second = load_kubeconfig(path, context="second")
    assert (second.server, second.namespace, second.context_name) == (
        "https://two:2",
        "default",
        "second",
    )
    with pytest.raises(ContextNotFoundError, match='"third"') as info:
        load_kubeconfig(path, context="third")
    assert info.value.entry == "third"


def test_user_optional_in_context(tmp_path: Path) -> None:
    doc = kubeconfig(
        clusters={"c": {"server": "127.0.0.1:8443"}},
        contexts={"anon": {"cluster": "c"}},
        current="anon",
    )
    config = load_kubeconfig(write_kubeconfig(tmp_path / "config", doc))
    assert config.auth is None
    assert config.server == "http://127.0.0.1:8443"  # client-go `DefaultServerURL`: no TLS set
