"""Redaction by knowing where secrets are, not by length (issue 18 items 4c, 4d)."""

from __future__ import annotations

import base64

from kubetyped.auth.static import BasicAuth, BearerTokenAuth
from kubetyped.errors import (
    ApiError,
    TransportError,
    api_error_from_response,
    redact,
    register_secret,
)


def test_short_token_fields_and_bearer_values_are_redacted() -> None:
    error = ApiError(401, "Unauthorized", "bad token=abc123; Authorization: Bearer x")
    assert "abc123" not in str(error) and "Bearer x" not in str(error)
    assert "token=<redacted>" in str(error)
    text = redact('{"id_token": "abc", "refresh_token":"def", "password": "pw1"}')
    assert "abc" not in text and "def" not in text and "pw1" not in text


def test_the_raw_status_is_redacted_too() -> None:
    body = (
        b'{"kind":"Status","code":403,"reason":"Forbidden","message":"token=abc123 denied",'
        b'"details":{"causes":[{"message":"Bearer sekret-value"}]}}'
    )
    error = api_error_from_response(403, body)
    assert "abc123" not in repr(error.status) and "sekret-value" not in repr(error.status)
    assert error.status["reason"] == "Forbidden" and error.status["code"] == 403


def test_long_names_ports_and_paths_survive() -> None:
    name = "my-helm-release-with-a-rather-long-name-0123456789abcdefghij"
    error = api_error_from_response(
        404,
        f'{{"kind":"Status","code":404,"reason":"NotFound","message":"configmaps \\"{name}\\" not found"}}'.encode(),
    )
    assert name in str(error)
    transport = TransportError(
        f"GET https://127.0.0.1:64431/api/v1/namespaces/ns/configmaps/{name}: boom"
    )
    assert "127.0.0.1:64431" in str(transport) and f"/configmaps/{name}" in str(transport)


def test_credentials_the_client_holds_are_redacted_with_their_base64() -> None:
    token = "opaque-token-without-any-known-shape-1234"
    BearerTokenAuth(token)
    basic = BasicAuth("alice", "correct horse battery")
    header = base64.b64encode(b"alice:correct horse battery").decode()
    text = redact(
        f"echo {token} / {header} / correct horse battery / {base64.b64encode(token.encode()).decode()}"
    )
    assert token not in text and header not in text and "correct horse battery" not in text
    assert "opaque" not in text
    assert repr(basic).count("<redacted>") == 1


def test_known_token_shapes() -> None:
    eks = "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9u"
    text = redact(
        f"got {eks} and ya29.a0AfH6SMB and abcdef.0123456789abcdef and "
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"
    )
    assert "aHR0" not in text and "a0AfH6SMB" not in text and "0123456789abcdef" not in text
    assert "MIIE" not in text


def test_register_secret_ignores_short_values_and_keeps_the_newest() -> None:
    register_secret("short")
    assert redact("short words stay") == "short words stay"
    register_secret(b"bytes-secret-value")
    assert "bytes-secret-value" not in redact("x bytes-secret-value y")
