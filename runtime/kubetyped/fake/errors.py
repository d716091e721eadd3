"""`Status` failures the fake apiserver answers with, as the real one words them.

Each builder returns the typed `ApiError` a real client would raise, with a complete `status`
dict, so the fake transport can send it back as a `Status` body and the client decodes the same
typed error again.
"""

from __future__ import annotations

from typing import Any

from kubetyped.errors import (
    AlreadyExistsError,
    ApiError,
    BadRequestError,
    ConflictError,
    ExpiredError,
    InternalError,
    InvalidError,
    KubetypedError,
    MethodNotAllowedError,
    NotFoundError,
    UnsupportedMediaTypeError,
)

__all__ = ["FakeSetupError", "conflict"]


class FakeSetupError(KubetypedError, ValueError):
    """The fake cannot be set up as asked (an object of an unknown kind, no clientset class)."""


def failure_status(
    code: int, reason: str, message: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A `Status` of a failed request, as the apiserver sends it (empty details left out)."""
    status: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if details:
        status["details"] = details
    return status


def status_body(error: ApiError) -> dict[str, Any]:
    """The `Status` JSON of an error (its own `status` when it carries one)."""
    if error.status.get("kind") == "Status":
        return error.status
    return failure_status(error.code, error.reason, error.message, error.details)


def _error(
    cls: type[ApiError], code: int, reason: str, message: str, details: dict[str, Any] | None
) -> ApiError:
    return cls(code, reason, message, status=failure_status(code, reason, message, details))


def _details(group: str, plural: str, name: str | None) -> dict[str, Any]:
    details: dict[str, Any] = {"kind": plural}
    if name is not None:
        details["name"] = name
    if group:
        details["group"] = group
    return details


def qualified(group: str, plural: str) -> str:
    """`plural.group` (client-go `schema.GroupResource.String`), the bare plural for the core group:
    how apiserver messages name a resource.
    """
    return f"{plural}.{group}" if group else plural


def not_found(group: str, plural: str, name: str) -> ApiError:
    """A 404 `NotFoundError` whose `Status` says `<resource> "<name>" not found`, as apimachinery's
    `errors.NewNotFound` builds it.
    """
    return _error(
        NotFoundError,
        404,
        "NotFound",
        f'{qualified(group, plural)} "{name}" not found',
        _details(group, plural, name),
    )


def no_such_resource() -> ApiError:
    """A 404 `NotFoundError` for a path the fake does not serve (the apiserver's "the server could
    not find the requested resource").
    """
    return _error(
        NotFoundError, 404, "NotFound", "the server could not find the requested resource", None
    )


def already_exists(group: str, plural: str, name: str) -> ApiError:
    """A 409 `AlreadyExistsError` whose `Status` says `<resource> "<name>" already exists`
    (apimachinery `errors.NewAlreadyExists`).
    """
    return _error(
        AlreadyExistsError,
        409,
        "AlreadyExists",
        f'{qualified(group, plural)} "{name}" already exists',
        _details(group, plural, name),
    )


def conflict(group: str, plural: str, name: str, why: str, *, on: str | None = None) -> ApiError:
    """409 Conflict; the message names `on` (default: the qualified resource)."""
    what = on or qualified(group, plural)
    return _error(
        ConflictError,
        409,
        "Conflict",
        f'Operation cannot be fulfilled on {what} "{name}": {why}',
        _details(group, plural, name),
    )


def apply_conflict(
    group: str, plural: str, name: str, conflicts: list[tuple[str, str]]
) -> ApiError:
    """409 of a server-side apply; `conflicts` are (manager, field path), worded like the
    apiserver (structured-merge-diff)."""
    if len(conflicts) == 1:
        manager, path = conflicts[0]
        text = f'Apply failed with 1 conflict: conflict with "{manager}": {path}'
    else:
        lines = [f"Apply failed with {len(conflicts)} conflicts:"]
        managers = sorted({m for m, _ in conflicts})
        for manager in managers:
            lines.append(f'conflicts with "{manager}":')
            lines.extend(f"- {p}" for m, p in conflicts if m == manager)
        text = " ".join(lines[:2]) + "\n" + "\n".join(lines[2:])
    details = _details(group, plural, name)
    details["causes"] = [
        {"reason": "FieldManagerConflict", "message": f'conflict with "{m}"', "field": p}
        for m, p in conflicts
    ]
    return _error(ConflictError, 409, "Conflict", text, details)


STALE = (
    "the object has been modified; please apply your changes to the latest version and try again"
)


def invalid(group: str, kind: str, name: str, causes: list[tuple[str, str, str]]) -> ApiError:
    """422 Invalid; `causes` are (field, reason, message)."""
    summary = "; ".join(f"{field}: {message}" for field, _, message in causes)
    details: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "causes": [{"field": f, "reason": r, "message": m} for f, r, m in causes],
    }
    if group:
        details["group"] = group
    return _error(InvalidError, 422, "Invalid", f'{kind} "{name}" is invalid: {summary}', details)


def unprocessable(message: str) -> ApiError:
    """A 422 `InvalidError` with `message` and no field causes."""
    return _error(InvalidError, 422, "Invalid", message, None)


def bad_request(message: str) -> ApiError:
    """A 400 `BadRequestError` with `message` (apimachinery `errors.NewBadRequest`)."""
    return _error(BadRequestError, 400, "BadRequest", message, None)


def method_not_allowed(message: str) -> ApiError:
    """A 405 `MethodNotAllowedError` with `message`: the resource does not grant the verb."""
    return _error(MethodNotAllowedError, 405, "MethodNotAllowed", message, None)


def unsupported_media_type(content_type: str) -> ApiError:
    """A 415 `UnsupportedMediaTypeError` for a body in `content_type`, worded like the apiserver's
    answer.
    """
    return _error(
        UnsupportedMediaTypeError,
        415,
        "UnsupportedMediaType",
        f"the body of the request was in an unknown format - accepted media types include: "
        f"application/json, not {content_type!r}",
        None,
    )


def expired(message: str) -> ApiError:
    """A 410 `ExpiredError` with `message` (expired resourceVersion or continue token)."""
    return _error(ExpiredError, 410, "Expired", message, None)


def internal(message: str) -> ApiError:
    """A 500 `InternalError` with `message` (apimachinery `errors.NewInternalError`)."""
    return _error(InternalError, 500, "InternalError", message, None)
