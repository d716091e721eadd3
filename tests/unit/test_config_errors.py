"""Bad kubeconfig input → typed errors naming file, entry and field, never a secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_config_support import (
    SECRET_TOKEN,
    b64,
    make_cert,
    simple_kubeconfig,
    write_kubeconfig,
)

from kubetyped.config import (
    AuthMethodConflictError,
    ContextNotFoundError,
    InvalidKubeconfigError,
    KubeconfigNotFoundError,
    KubeconfigParseError,
    load_kubeconfig,
)
from kubetyped.errors import ConfigError, KubetypedError

SECRET_PASSWORD = "hunter2-password-do-not-leak"


def _no_secret(err: BaseException, *secrets: str) -> None:
    for secret in (SECRET_TOKEN, SECRET_PASSWORD, *secrets):
        assert secret not in str(err)
        assert secret not in repr(err)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KubeconfigNotFoundError) as info:
        load_kubeconfig(tmp_path / "absent")
    assert isinstance(info.value, ConfigError)
    assert isinstance(info.value, KubetypedError)
    assert "absent" in str(info.value)


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken"
    path.write_text(f"users:\n- name: u\n  user:\n    token: {SECRET_TOKEN}\n  : [unclosed\n")
    with pytest.raises(KubeconfigParseError) as info:
        load_kubeconfig(path)
    assert str(path) in str(info.value)
    assert "line" in str(info.value)
    _no_secret(info.value)


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        (["not", "a", "mapping"], None),
        ({"clusters": {"c": {}}}, "clusters"),
        ({"users": [{"user": {"token": SECRET_TOKEN}}]}, "users"),
        ({"contexts": [{"name": "x", "context": "nope"}]}, "context"),
        ({"current-context": 3}, "current-context"),
    ],
)
def test_bad_shape(tmp_path: Path, doc: Any, field: str | None) -> None:
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(KubeconfigParseError) as info:
        load_kubeconfig(path)
    assert str(path) in str(info.value)
    assert info.value.field == field
    _no_secret(info.value)


def test_duplicate_name_in_one_file(tmp_path: Path) -> None:
    doc = simple_kubeconfig()
    doc["users"].append({"name": "u", "user": {"token": "other"}})
    with pytest.raises(KubeconfigParseError, match='user "u" is defined twice'):
        load_kubeconfig(write_kubeconfig(tmp_path / "config", doc))


def test_unknown_current_context(tmp_path: Path) -> None:
    doc = simple_kubeconfig()
    doc["current-context"] = "ghost"
    path = write_kubeconfig(tmp_path / "config", doc)
    with pytest.raises(ContextNotFoundError) as info:
        load_kubeconfig(path)
    assert '"ghost"' in str(info.value) and str(path) in str(info.value)
    assert info.value.field == "current-context"


def test_no_context_at_all(tmp_path: Path) -> None:
    doc = simple_kubeconfig()
    del doc["current-context"]
    with pytest.raises(ContextNotFoundError, match="no current-context"):
        load_kubeconfig(write_kubeconfig(tmp_path / "config", doc))


def test_dangling_cluster(tmp_path: Path) -> None:
    doc = simple_kubeconfig()
    doc["contexts"][0]["context"]["cluster"] = "nowhere"
    path = write_kubeconfig(tmp_path / "config", doc)
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig(path)
    assert 'context "admin"' in str(info.value) and '"nowhere"' in str(info.value)
    assert info.value.field == "cluster" and info.value.path == str(path)


def test_undefined_user_is_anonymous(tmp_path: Path) -> None:
    """client-go `DirectClientConfig.getAuthInfo`: a user named by the context but defined
    nowhere is an empty AuthInfo (only `--user` naming a missing user is an error)."""
    doc = simple_kubeconfig()
    doc["contexts"][0]["context"]["user"] = "nobody"
    config = load_kubeconfig(write_kubeconfig(tmp_path / "config", doc))
    assert config.auth is None and config.client_cert_data is None
    assert config.user_name is None and config.server == "https://127.0.0.1:6443"


@pytest.mark.parametrize(
    ("user", "methods"),
    [
        (
            {"token": SECRET_TOKEN, "username": "bob", "password": SECRET_PASSWORD},
            "token, username/password",
        ),
        ({"tokenFile": "/t", "password": SECRET_PASSWORD}, "tokenFile, username/password"),
        (
            {
                "exec": {"command": "x", "apiVersion": "client.authentication.k8s.io/v1beta1"},
                "auth-provider": {"name": "oidc"},
            },
            "exec, auth-provider",
        ),
    ],
)
def test_two_auth_methods(tmp_path: Path, user: dict[str, Any], methods: str) -> None:
    path = write_kubeconfig(tmp_path / "config", simple_kubeconfig(user=user))
    with pytest.raises(AuthMethodConflictError) as info:
        load_kubeconfig(path)
    message = str(info.value)
    assert message.startswith('more than one authentication method found for user "u" in ')
    assert str(path) in message and methods in message
    assert info.value.entry == "u"
    _no_secret(info.value)


def test_token_plus_client_cert_is_allowed(tmp_path: Path) -> None:
    cert, key = make_cert()
    user = {
        "token": SECRET_TOKEN,
        "client-certificate-data": b64(cert),
        "client-key-data": b64(key),
    }
    config = load_kubeconfig(write_kubeconfig(tmp_path / "config", simple_kubeconfig(user=user)))
    assert config.client_cert_data == cert and config.auth is not None


def test_ca_plus_insecure(tmp_path: Path) -> None:
    cluster = {
        "server": "https://h:1",
        "insecure-skip-tls-verify": True,
        "certificate-authority-data": b64(make_cert()[0]),
    }
    path = write_kubeconfig(tmp_path / "config", simple_kubeconfig(cluster=cluster))
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig(path)
    assert 'cluster "c"' in str(info.value) and str(path) in str(info.value)
    assert info.value.field == "insecure-skip-tls-verify"


@pytest.mark.parametrize(
    ("cluster", "user", "field"),
    [
        (
            {"server": "https://h:1", "certificate-authority-data": "!!notbase64"},
            None,
            "certificate-authority-data",
        ),
        (
            {"server": "https://h:1", "certificate-authority-data": b64(b"garbage")},
            None,
            "certificate-authority-data",
        ),
        (
            {"server": "https://h:1", "certificate-authority": "/nonexistent/ca.crt"},
            None,
            "certificate-authority",
        ),
        ({}, None, "server"),
        ({"server": "ftp://h"}, None, "server"),
        ({"server": "https://h:1", "proxy-url": "gopher://p"}, None, "proxy-url"),
        (
            {"server": "https://h:1", "insecure-skip-tls-verify": "yes"},
            None,
            "insecure-skip-tls-verify",
        ),
        (None, {"token": 42}, "token"),
        (None, {"client-certificate-data": b64(b"x")}, "client-key-data"),
        (
            None,
            {"client-key-data": b64(SECRET_PASSWORD.encode()), "client-key": "/k"},
            "client-key-data",
        ),
        (None, {"auth-provider": {"name": "gcp"}}, "auth-provider.name"),
        (
            None,
            {"auth-provider": {"name": "oidc", "config": {"client-id": "k"}}},
            "auth-provider.config.idp-issuer-url",
        ),
        (
            None,
            {"exec": {"command": "x", "apiVersion": "client.authentication.k8s.io/v1"}},
            "exec.interactiveMode",
        ),
        (None, {"exec": {"command": "x", "apiVersion": "v1alpha1"}}, "exec.apiVersion"),
        (None, {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1"}}, "exec.command"),
        (None, {"as-user-extra": {"k": "not-a-list"}}, "as-user-extra"),
    ],
)
def test_bad_field_values(
    tmp_path: Path, cluster: dict[str, Any] | None, user: dict[str, Any] | None, field: str
) -> None:
    path = write_kubeconfig(tmp_path / "config", simple_kubeconfig(user=user, cluster=cluster))
    with pytest.raises(InvalidKubeconfigError) as info:
        load_kubeconfig(path)
    assert info.value.field == field
    assert f'(field "{field}")' in str(info.value)
    assert str(path) in str(info.value)
    _no_secret(info.value, b64(SECRET_PASSWORD.encode()))


def test_repr_hides_secrets(tmp_path: Path) -> None:
    cert, key = make_cert()
    user = {
        "token": SECRET_TOKEN,
        "client-certificate-data": b64(cert),
        "client-key-data": b64(key),
    }
    cluster = {"server": "https://h:1", "proxy-url": f"http://me:{SECRET_PASSWORD}@proxy:3128"}
    config = load_kubeconfig(
        write_kubeconfig(tmp_path / "config", simple_kubeconfig(user=user, cluster=cluster))
    )
    text = repr(config) + str(config)
    assert SECRET_TOKEN not in text and SECRET_PASSWORD not in text
    assert b"PRIVATE KEY" not in text.encode() and "PRIVATE KEY" not in text
    assert "proxy:3128" in text and "'https://h:1'" in text

    basic = load_kubeconfig(
        write_kubeconfig(
            tmp_path / "basic",
            simple_kubeconfig(user={"username": "bob", "password": SECRET_PASSWORD}),
        )
    )
    assert SECRET_PASSWORD not in repr(basic) and "bob" in repr(basic)


def test_repr_hides_a_password_in_the_server_url(tmp_path: Path) -> None:
    cluster = {"server": f"https://admin:{SECRET_PASSWORD}@h:6443"}
    config = load_kubeconfig(
        write_kubeconfig(tmp_path / "config", simple_kubeconfig(cluster=cluster))
    )
    assert config.server == f"https://admin:{SECRET_PASSWORD}@h:6443"  # the URL itself is kept
    text = repr(config) + str(config)
    assert SECRET_PASSWORD not in text
    assert "'https://admin:<redacted>@h:6443'" in text
