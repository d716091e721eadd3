"""Mapping apiserver answers to typed ApiErrors."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from kubetyped import errors
from kubetyped.errors import (
    AlreadyExistsError,
    ApiError,
    BadRequestError,
    ConflictError,
    ExpiredError,
    ForbiddenError,
    GatewayTimeoutError,
    GoneError,
    InternalError,
    InvalidError,
    KubetypedError,
    MethodNotAllowedError,
    NotFoundError,
    RequestEntityTooLargeError,
    ResourceVersionTooLargeError,
    ServerTimeoutError,
    ServiceUnavailableError,
    TooManyRequestsError,
    TransportError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
    api_error_from_response,
    redact,
)


def status(code: int, reason: str, message: str = "boom", **details: Any) -> bytes:
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "code": code,
        "reason": reason,
        "message": message,
    }
    if details:
        body["details"] = details
    return orjson.dumps(body)


@pytest.mark.parametrize(
    ("code", "reason", "cls"),
    [
        (400, "BadRequest", BadRequestError),
        (401, "Unauthorized", UnauthorizedError),
        (403, "Forbidden", ForbiddenError),
        (404, "NotFound", NotFoundError),
        (405, "MethodNotAllowed", MethodNotAllowedError),
        (409, "AlreadyExists", AlreadyExistsError),
        (409, "Conflict", ConflictError),
        (410, "Expired", ExpiredError),
        (410, "Gone", ExpiredError),
        (413, "RequestEntityTooLarge", RequestEntityTooLargeError),
        (415, "UnsupportedMediaType", UnsupportedMediaTypeError),
        (422, "Invalid", InvalidError),
        (429, "TooManyRequests", TooManyRequestsError),
        (500, "InternalError", InternalError),
        (500, "ServerTimeout", ServerTimeoutError),
        (503, "ServiceUnavailable", ServiceUnavailableError),
        (504, "Timeout", GatewayTimeoutError),
    ],
)
def test_status_reason_selects_the_class(code: int, reason: str, cls: type[ApiError]) -> None:
    error = api_error_from_response(code, status(code, reason, "it broke"), {})
    assert type(error) is cls
    assert isinstance(error, ApiError) and isinstance(error, KubetypedError)
    assert (error.code, error.reason, error.message) == (code, reason, "it broke")
    assert error.status["reason"] == reason
    assert str(error) == f"{code} {reason}: it broke"


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (410, ExpiredError),
        (422, InvalidError),
        (429, TooManyRequestsError),
        (500, InternalError),
        (503, ServiceUnavailableError),
        (504, GatewayTimeoutError),
    ],
)
def test_http_code_is_the_fallback(code: int, cls: type[ApiError]) -> None:
    by_unknown_reason = api_error_from_response(code, status(code, ""), {})
    assert type(by_unknown_reason) is cls
    non_status = api_error_from_response(code, b"<html>upstream said no</html>", {})
    assert type(non_status) is cls
    assert "upstream said no" in non_status.message
    assert non_status.status == {}


def test_reason_wins_over_code() -> None:
    # a proxy may rewrite codes; the Status reason still says what happened
    error = api_error_from_response(500, status(500, "NotFound"), {})
    assert isinstance(error, NotFoundError)


def test_unmapped_codes_are_plain_api_errors() -> None:
    error = api_error_from_response(418, b"teapot", {})
    assert type(error) is ApiError
    assert error.code == 418 and error.reason == "Unknown"


def test_api_errors_pickle_with_their_fields() -> None:
    import pickle

    error = api_error_from_response(
        422, status(422, "Invalid", "bad", causes=[{"field": "x"}]), {}, method="POST", path="/p"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InvalidError
    assert (copy.code, copy.reason, copy.causes, str(copy)) == (
        422,
        "Invalid",
        [{"field": "x"}],
        str(error),
    )


def test_gone_alias() -> None:
    assert GoneError is ExpiredError


def test_details_name_kind_group() -> None:
    body = status(404, "NotFound", 'pods "web" not found', name="web", kind="pods", group="")
    error = api_error_from_response(
        404, body, {}, method="GET", path="/api/v1/namespaces/d/pods/web"
    )
    assert (error.name, error.kind, error.group) == ("web", "pods", "")
    assert str(error) == 'GET /api/v1/namespaces/d/pods/web: 404 NotFound: pods "web" not found'


def test_invalid_error_exposes_field_causes() -> None:
    causes = [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers"},
        {"reason": "FieldValueInvalid", "message": "bad name", "field": "metadata.name"},
    ]
    error = api_error_from_response(422, status(422, "Invalid", causes=causes, kind="Pod"), {})
    assert isinstance(error, InvalidError)
    assert error.causes == causes
    assert error.field_causes == [
        ("spec.containers", "FieldValueRequired", "Required value"),
        ("metadata.name", "FieldValueInvalid", "bad name"),
    ]


def test_retry_after_from_header_or_details() -> None:
    from_header = api_error_from_response(
        429, status(429, "TooManyRequests"), httpx.Headers({"Retry-After": "3"})
    )
    assert from_header.retry_after == 3.0
    from_details = api_error_from_response(
        429, status(429, "TooManyRequests", retryAfterSeconds=7), {}
    )
    assert from_details.retry_after == 7.0
    assert api_error_from_response(500, status(500, "InternalError"), {}).retry_after is None


def test_too_large_resource_version() -> None:
    body = status(
        504,
        "Timeout",
        "Too large resource version: 100, current: 50",
        causes=[{"type": "ResourceVersionTooLarge", "message": "Too large resource version"}],
        retryAfterSeconds=1,
    )
    error = api_error_from_response(504, body, {})
    assert type(error) is ResourceVersionTooLargeError
    assert isinstance(error, ServerTimeoutError) and isinstance(error, GatewayTimeoutError)
    assert error.retry_after == 1.0


def test_long_non_status_bodies_are_truncated() -> None:
    error = api_error_from_response(502, b"x" * 10_000, {})
    assert len(error.message) < 600
    assert error.message.endswith("…")
    assert api_error_from_response(503, b"", {}).message == "(empty body)"


def test_authorization_never_appears_in_messages() -> None:
    secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu"
    body = f"bad request: Authorization: Bearer {secret} rejected".encode()
    headers = httpx.Headers({"Authorization": f"Bearer {secret}"})
    error = api_error_from_response(400, body, headers)
    assert secret not in str(error)
    assert "Authorization" not in str(error) or "<redacted>" in str(error)
    assert secret not in redact(f"bearer {secret}")
    assert "hunter2" not in redact("proxy http://bob:hunter2@proxy:3128 refused")
    transport = TransportError(f"GET https://u:{secret}@h/x failed")
    assert secret not in str(transport)


def test_transport_error_keeps_cause_and_previous() -> None:
    cause = httpx.ConnectError("refused")
    previous = httpx.ReadError("reset")
    try:
        try:
            raise cause
        except httpx.ConnectError as exc:
            raise TransportError("GET /x: refused", previous=previous) from exc
    except TransportError as error:
        assert error.__cause__ is cause
        assert error.previous is previous


def test_every_documented_class_is_exported() -> None:
    for name in [
        "ApiError",
        "BadRequestError",
        "UnauthorizedError",
        "ForbiddenError",
        "NotFoundError",
        "MethodNotAllowedError",
        "AlreadyExistsError",
        "ConflictError",
        "ExpiredError",
        "GoneError",
        "InvalidError",
        "TooManyRequestsError",
        "InternalError",
        "ServerTimeoutError",
        "ServiceUnavailableError",
        "GatewayTimeoutError",
        "RequestEntityTooLargeError",
        "UnsupportedMediaTypeError",
        "ResourceVersionTooLargeError",
        "TransportError",
    ]:
        assert issubclass(getattr(errors, name), KubetypedError), name


def test_redact_removes_jwts_and_known_credentials_but_not_long_names() -> None:
    from kubetyped.errors import redact, register_secret

    jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    opaque = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH-held"
    register_secret(opaque)  # a credential this client holds
    long_name = "release-name-ingress-nginx-controller-admission-webhook-abc"
    text = redact(f'plugin said {jwt} and {opaque}; configmaps "{long_name}" not found')
    assert jwt not in text and opaque not in text
    assert f'configmaps "{long_name}" not found' in text  # not redacted by length (issue 18 4d)
