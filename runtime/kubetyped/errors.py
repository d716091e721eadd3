"""The typed exception hierarchy shared by every layer of kubetyped.

Every error kubetyped raises on purpose derives from `KubetypedError`. This module defines the
shared ones: `ConfigError`, `TransportError`, the watch errors and `ApiError` with one subclass
per `Status` reason of the apiserver (apimachinery's ``pkg/api/errors``). The errors of a
subsystem are defined in its package and importable from it (`tests/unit/test_public_errors.py`
keeps this index exact):

- kubetyped.apply: ApplyError
- kubetyped.cache: CacheError, NotCachedError, TransformError, WatchClosedError,
  IndexFuncError, IndexConflictError, UnknownIndexError, InformerStateError,
  FactoryShutDownError, ReflectorStateError, ObjectMetaError, SelectorParseError
- kubetyped.config: KubeconfigNotFoundError, KubeconfigParseError, ContextNotFoundError,
  InvalidKubeconfigError, AuthMethodConflictError, NotInClusterError, CredentialError,
  TokenFileError, ExecPluginError, OIDCRefreshError
- kubetyped.discovery: DiscoveryError, DiscoveryDocumentError, NoKindMatchError,
  NoResourceMatchError, AmbiguousResourceError
- kubetyped.events: EventError
- kubetyped.fake: FakeSetupError
- kubetyped.leaderelection: LeaderElectionConfigError, LockConflictError
- kubetyped.manifests: ManifestError, YamlError
- kubetyped.model: ModelDecodeError, QuantityError, TimeParseError
- kubetyped.portforward: PortForwardError
- kubetyped.remotecommand: RemoteCommandError, StreamProtocolError, StreamClosedError,
  StreamTimeoutError
- kubetyped.request: RequestBuildError, NamespaceRequiredError
- kubetyped.retry_conflict: BackoffError
- kubetyped.scale: NoScaleSubresourceError
- kubetyped.wait: WaitTimeoutError, FieldPathError
- kubetyped.workqueue: QueueShutDown

The generator's (the ``codegen`` extra), raised by `kubetyped_codegen.pipeline`:

- kubetyped_codegen.pipeline: CodegenError, SpecError, CrdError, SnapshotError,
  GeneratedCodeError, HandwrittenFileError
"""

from __future__ import annotations


class KubetypedError(Exception):
    """Base class of every error kubetyped raises on purpose."""


class ConfigError(KubetypedError):
    """Bad client configuration: names the file, the entry and the field at fault."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        entry: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.entry = entry
        self.field = field


# --- API errors (REST layer) -------------------------------------------------------------------
# Appended by the REST layer. `api_error_from_response` maps a non-2xx answer of the apiserver to
# the most specific class: by the Status `reason` first, then by the HTTP code (like client-go's
# `k8s.io/apimachinery/pkg/api/errors`).

import base64 as _base64  # noqa: E402
import re as _re  # noqa: E402
import threading as _threading  # noqa: E402
from functools import cache as _cache  # noqa: E402
from typing import Any as _Any  # noqa: E402

import orjson as _orjson  # noqa: E402

_MAX_TEXT = 512

# Redaction knows where secrets are rather than guessing by length (a 52-character object name
# or a port must survive): (1) the credential values this process holds (`register_secret`,
# called by the auth flows), (2) the places credentials go (Authorization headers, `token=` /
# `"password": ...` fields, URL userinfo), (3) known token shapes (JWTs, EKS `k8s-aws-v1.`,
# Google `ya29.`, bootstrap tokens, PEM private keys).
_KEY_NAMES = (
    r"(?:access_?token|id_?token|refresh_?token|client_?secret|token|password|passwd|secret"
    r"|client-key-data|client_key_data|apikey|api_key)"
)


@_cache
def _secret_patterns() -> tuple[tuple[_re.Pattern[str], str], ...]:
    """The redaction patterns, compiled on the first `redact` (not at import: start-up time)."""
    return (
        # "Authorization: Bearer xyz", "authorization=xyz", "Proxy-Authorization: Basic xyz"
        (
            _re.compile(
                r"(?i)((?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?)([^\s\"',}]+(\s+[^\s\"',}]+)?)"
            ),
            r"\1<redacted>",
        ),
        (_re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 <redacted>"),
        # token=xyz, password: xyz, "id_token": "xyz", refresh_token='xyz' (any length)
        (
            _re.compile(
                r"(?i)((?<![\w/.-])" + _KEY_NAMES + r"[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}]+)"
            ),
            r"\1<redacted>",
        ),
        # user:password@ in URLs (proxy URLs, server URLs)
        (_re.compile(r"(?i)(\w+://)[^/@\s]+@"), r"\1<redacted>@"),
        # JWTs (service-account and OIDC tokens)
        (_re.compile(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "<redacted>"),
        # EKS (aws-iam-authenticator) and Google OAuth access tokens
        (_re.compile(r"\bk8s-aws-v1\.[A-Za-z0-9_=-]+"), "<redacted>"),
        (_re.compile(r"\bya29\.[A-Za-z0-9._-]+"), "<redacted>"),
        # bootstrap tokens: [a-z0-9]{6}.[a-z0-9]{16}
        (_re.compile(r"\b[a-z0-9]{6}\.[a-z0-9]{16}\b"), "<redacted>"),
        # PEM private keys
        (
            _re.compile(
                r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", _re.S
            ),
            "<redacted private key>",
        ),
    )


_MIN_SECRET = 8  # shorter values would redact ordinary words
_MAX_SECRETS = 256
_secrets: dict[str, None] = {}  # insertion-ordered set, newest last
_secrets_lock = _threading.Lock()


def register_secret(value: str | bytes | None) -> None:
    """Remember a credential this process holds (a token, a password, a basic-auth header
    value) so `redact` removes it, and its base64 form, wherever it shows up. Values shorter than
    8 characters are ignored (they would hide ordinary words; the field and header rules still
    apply); the newest 256 are kept."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not value or len(value) < _MIN_SECRET:
        return
    forms = {value, _base64.b64encode(value.encode()).decode("ascii")}
    with _secrets_lock:
        for form in forms:
            _secrets.pop(form, None)
            _secrets[form] = None
        while len(_secrets) > _MAX_SECRETS:
            del _secrets[next(iter(_secrets))]


def redact(text: str) -> str:
    """Remove credentials from a message: values registered with `register_secret` (and their
    base64), Authorization values, `token=`/`password:`-style fields, URL userinfo, JWTs, EKS and
    Google tokens, bootstrap tokens and PEM private keys. Object names, ports and paths stay."""
    if not isinstance(text, str):
        text = str(text)
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, "<redacted>")
    for pattern, replacement in _secret_patterns():
        text = pattern.sub(replacement, text)
    return text


def redact_object(value: _Any) -> _Any:
    """`redact` applied to every string in a JSON-like value (a `Status` body); a copy."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_object(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_object(v) for v in value]
    return value


class TransportError(KubetypedError):
    """The request did not get an HTTP answer (connection refused/reset, TLS, timeout, EOF).

    The httpx exception is kept as `__cause__`; `previous` is the failure of the attempt before the
    last one (an exception or a description of a retried response) when the request was retried.
    """

    def __init__(self, message: str, *, previous: BaseException | str | None = None) -> None:
        super().__init__(redact(message))
        self.previous = previous


class WatchIdleTimeoutError(TransportError):
    """A watch received no byte for `idle_timeout` seconds (see
    `kubetyped.request.watch_idle_timeout`): the connection is presumed dead and was closed.
    Resume with a new watch from the last resourceVersion (or relist)."""

    def __init__(self, message: str, *, idle_timeout: float | None) -> None:
        super().__init__(message)
        self.idle_timeout = idle_timeout


class ResponseDecodeError(KubetypedError):
    """A 2xx answer whose body is not the JSON that was asked for."""


class WatchDecodeError(KubetypedError):
    """A watch stream carried a line that is not a watch event."""


class ApiError(KubetypedError):
    """A non-2xx answer of the apiserver, decoded from its `Status` body where there is one."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        *,
        status: dict[str, _Any] | None = None,
        retry_after: float | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.code = code
        self.reason = reason
        self.message = redact(message)
        self.status: dict[str, _Any] = redact_object(status) if status is not None else {}
        details = self.status.get("details")
        self.details: dict[str, _Any] = details if isinstance(details, dict) else {}
        causes = self.details.get("causes")
        self.causes: list[dict[str, _Any]] = (
            [c for c in causes if isinstance(c, dict)] if isinstance(causes, list) else []
        )
        if retry_after is None:
            seconds = self.details.get("retryAfterSeconds")
            if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
                retry_after = float(seconds)
        self.retry_after = retry_after
        self.method = method
        self.path = path
        where = f"{method} {path}: " if method and path else ""
        super().__init__(f"{where}{code} {reason}: {self.message}")

    def __reduce__(self) -> tuple[_Any, ...]:
        # keyword-only fields survive pickling (multiprocessing, concurrent.futures)
        kwargs = {
            "status": self.status,
            "retry_after": self.retry_after,
            "method": self.method,
            "path": self.path,
        }
        return (_rebuild_api_error, (type(self), self.code, self.reason, self.message, kwargs))

    @property
    def name(self) -> str | None:
        """`details.name`: the object the error is about, if the server said."""
        value = self.details.get("name")
        return value if isinstance(value, str) else None

    @property
    def kind(self) -> str | None:
        """`details.kind`: the kind (or resource) of the object the error is about, if the server said."""
        value = self.details.get("kind")
        return value if isinstance(value, str) else None

    @property
    def group(self) -> str | None:
        """`details.group`: the API group of that object ("" is the core group), if the server said."""
        value = self.details.get("group")
        return value if isinstance(value, str) else None


def _rebuild_api_error(
    cls: type[ApiError], code: int, reason: str, message: str, kwargs: dict[str, _Any]
) -> ApiError:
    return cls(code, reason, message, **kwargs)


class BadRequestError(ApiError):
    """400 BadRequest."""


class UnauthorizedError(ApiError):
    """401 Unauthorized: no or bad credentials."""


class ForbiddenError(ApiError):
    """403 Forbidden: RBAC denied the request."""


class NotFoundError(ApiError):
    """404 NotFound."""


class NotServedError(NotFoundError):
    """404 for a path the cluster does not serve: its group-version is not enabled (an alpha or
    beta API without ``--runtime-config``, one removed in this release) or its CRD is not
    installed. A missing object is a plain `NotFoundError` (its `Status` names the object).

    `group_version` (``"resource.k8s.io/v1alpha3"``, ``"v1"``) and `resource` (the plural, with
    ``/subresource``) come from the request path.
    """

    @property
    def group_version(self) -> str | None:
        """The group-version of the request path (`"apps/v1"`, `"v1"`), None for a non-API path."""
        return _path_parts(self.path)[0]

    @property
    def resource(self) -> str | None:
        """The resource of the request path (plural, `"pods/log"` for a subresource), None when the
        path names only a group-version.
        """
        return _path_parts(self.path)[1]


_NOT_SERVED_MESSAGE = "the server could not find the requested resource"


def _path_parts(path: str | None) -> tuple[str | None, str | None]:
    """``(group-version, resource[/subresource])`` of an API path, ``(None, None)`` otherwise."""
    parts = [p for p in (path or "").split("/") if p]
    if parts[:1] == ["api"] and len(parts) >= 2:
        group_version, rest = parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        return None, None
    if len(rest) >= 3 and rest[0] == "namespaces":
        rest = rest[2:]  # namespaces/<ns>/<resource>/...
    if not rest:
        return group_version, None
    resource = rest[0] if len(rest) < 3 else f"{rest[0]}/{rest[2]}"
    return group_version, resource


def _not_served_message(path: str | None) -> str | None:
    group_version, resource = _path_parts(path)
    if group_version is None:
        return None
    what = f"{resource} in {group_version}" if resource else group_version
    return (
        f"the cluster does not serve {what} (the group-version is not enabled in this "
        "cluster, or its CRD is not installed; `kubectl api-resources` lists what it serves)"
    )


class MethodNotAllowedError(ApiError):
    """405 MethodNotAllowed."""


class NotAcceptableError(ApiError):
    """406 NotAcceptable: the server cannot produce the requested `Accept` type."""


class AlreadyExistsError(ApiError):
    """409 AlreadyExists: create of an object whose name is taken."""


class ConflictError(ApiError):
    """409 Conflict: stale resourceVersion on update, or an apply conflict."""


class ApplyConflictError(ConflictError):
    """409 from a server-side apply that would take fields other field managers own.

    `conflicts` lists ``(manager, field)`` pairs from the `Status` causes
    (``FieldManagerConflict``); the message names them and the two ways out: re-apply with
    ``force=True`` to take ownership, or leave those fields out of the applied object
    (https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts).
    """

    @property
    def conflicts(self) -> list[tuple[str, str]]:
        """`(manager, field)` pairs parsed from the `FieldManagerConflict` causes of the `Status`
        (field as the server wrote it, e.g. `.spec.replicas`); [] when the server listed none.
        """
        return _apply_conflicts(self.causes)


def _apply_conflicts(causes: list[dict[str, _Any]]) -> list[tuple[str, str]]:
    found = []
    for cause in causes:
        if cause.get("reason") != "FieldManagerConflict":
            continue
        text = str(cause.get("message", ""))
        match = _re.search(r'conflict with "([^"]*)"', text)
        manager = match.group(1) if match else text
        found.append((manager, str(cause.get("field", ""))))
    return found


def _apply_conflict_message(conflicts: list[tuple[str, str]]) -> str:
    by_manager: dict[str, list[str]] = {}
    for manager, field in conflicts:
        by_manager.setdefault(manager, []).append(field)
    owners = "; ".join(
        f'"{manager}" owns {", ".join(fields)}' for manager, fields in by_manager.items()
    )
    return (
        f"apply conflicts with other field managers: {owners}. Re-apply with force=True to take "
        "these fields over, or leave them out of the applied object"
    )


class ExpiredError(ApiError):
    """410 Expired/Gone: the resourceVersion or continue token is too old; relist."""


GoneError = ExpiredError


class RequestEntityTooLargeError(ApiError):
    """413 RequestEntityTooLarge."""


class UnsupportedMediaTypeError(ApiError):
    """415 UnsupportedMediaType: wrong Content-Type (e.g. patch type) for this request."""


class InvalidError(ApiError):
    """422 Invalid: the object failed validation; `causes` lists field, reason and message."""

    @property
    def field_causes(self) -> list[tuple[str, str, str]]:
        """(field, reason, message) of each cause."""
        return [
            (str(c.get("field", "")), str(c.get("reason", "")), str(c.get("message", "")))
            for c in self.causes
        ]


class TooManyRequestsError(ApiError):
    """429 TooManyRequests: API priority and fairness or an eviction budget said wait."""


class InternalError(ApiError):
    """500 InternalError."""


class ServerTimeoutError(ApiError):
    """Reason ServerTimeout (500): the server could not finish in time; retry."""


class ServiceUnavailableError(ApiError):
    """503 ServiceUnavailable."""


class GatewayTimeoutError(ApiError):
    """504 / reason Timeout: the request did not complete in the time allowed."""


class ResourceVersionTooLargeError(ServerTimeoutError, GatewayTimeoutError):
    """The requested resourceVersion is newer than the server's cache (cause ResourceVersionTooLarge)."""


_BY_REASON: dict[str, type[ApiError]] = {
    "BadRequest": BadRequestError,
    "Unauthorized": UnauthorizedError,
    "Forbidden": ForbiddenError,
    "NotFound": NotFoundError,
    "MethodNotAllowed": MethodNotAllowedError,
    "NotAcceptable": NotAcceptableError,
    "AlreadyExists": AlreadyExistsError,
    "Conflict": ConflictError,
    "Gone": ExpiredError,
    "Expired": ExpiredError,
    "RequestEntityTooLarge": RequestEntityTooLargeError,
    "UnsupportedMediaType": UnsupportedMediaTypeError,
    "Invalid": InvalidError,
    "TooManyRequests": TooManyRequestsError,
    "InternalError": InternalError,
    "ServerTimeout": ServerTimeoutError,
    "ServiceUnavailable": ServiceUnavailableError,
    "Timeout": GatewayTimeoutError,
}

_BY_CODE: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    406: NotAcceptableError,
    409: ConflictError,
    410: ExpiredError,
    413: RequestEntityTooLargeError,
    415: UnsupportedMediaTypeError,
    422: InvalidError,
    429: TooManyRequestsError,
    500: InternalError,
    503: ServiceUnavailableError,
    504: GatewayTimeoutError,
}

_REASON_PHRASES: dict[int, str] = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Expired",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
}


def _header(headers: _Any, name: str) -> str | None:
    if headers is None:
        return None
    value = headers.get(name)
    if value is None:
        value = headers.get(name.lower())
    return value if isinstance(value, str) else None


def parse_retry_after(value: str | None) -> int | None:
    """Integer seconds of a `Retry-After` header (HTTP dates are not honoured, like client-go)."""
    if value is None:
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()):  # "²".isdigit() is True, int("²") fails
        return None
    return int(value)


def _decode_status(body: bytes) -> dict[str, _Any] | None:
    try:
        decoded = _orjson.loads(body)
    except _orjson.JSONDecodeError:
        return None
    if isinstance(decoded, dict) and decoded.get("kind") == "Status":
        return decoded
    return None


def _error_class(code: int, reason: str, status: dict[str, _Any]) -> type[ApiError]:
    details = status.get("details")
    causes = details.get("causes") if isinstance(details, dict) else None
    if isinstance(causes, list) and any(
        isinstance(c, dict) and c.get("reason") == "FieldManagerConflict" for c in causes
    ):
        return ApplyConflictError
    if isinstance(causes, list) and any(
        isinstance(c, dict) and c.get("type") == "ResourceVersionTooLarge" for c in causes
    ):
        return ResourceVersionTooLargeError
    if reason in _BY_REASON:
        return _BY_REASON[reason]
    if code in _BY_CODE:
        return _BY_CODE[code]
    return ApiError


def api_error_from_status(status: _Any) -> ApiError:
    """The typed `ApiError` a `Status` object stands for (a dict or a model), as client-go's
    `apierrors.FromObject` does for a watch ERROR event: 410 → `ExpiredError`, and so on.

    A `code` that is not an integer reads as 500.
    """
    if not isinstance(status, dict):
        to_dict = getattr(status, "to_dict", None)
        status = to_dict() if callable(to_dict) else {}
    raw_code = status.get("code")
    code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else 500
    return api_error_from_response(code, _orjson.dumps(status, default=str))


def api_error_from_response(
    code: int,
    body: bytes,
    headers: _Any = None,
    *,
    method: str | None = None,
    path: str | None = None,
) -> ApiError:
    """The typed `ApiError` for a non-2xx answer: `Status.reason` first, then the HTTP code.

    `headers` is any mapping with `.get` (e.g. `httpx.Headers`); only `Retry-After` is read, so
    request credentials can never leak into the error. A body that is not a `Status` still yields
    the typed error, carrying the start of its text.
    """
    status = _decode_status(body)
    retry_after_header = parse_retry_after(_header(headers, "Retry-After"))
    retry_after = float(retry_after_header) if retry_after_header is not None else None
    if status is not None:
        raw_code = status.get("code")
        code = raw_code if isinstance(raw_code, int) and raw_code >= 400 else code
        reason = status.get("reason")
        reason = reason if isinstance(reason, str) and reason else ""
        message = status.get("message")
        message = message if isinstance(message, str) else ""
    else:
        status = {}
        reason = ""
        text = body[:_MAX_TEXT].decode("utf-8", errors="replace").strip()
        if len(body) > _MAX_TEXT:
            text += "…"
        message = text or "(empty body)"
    cls = _error_class(code, reason, status)
    if cls is NotFoundError and message == _NOT_SERVED_MESSAGE and not status.get("details"):
        # the apiserver's answer for a path nothing serves (no object named in `details`)
        not_served = _not_served_message(path)
        if not_served is not None:
            cls, message = NotServedError, not_served
    if cls is ApplyConflictError:
        details = status.get("details") or {}
        causes = [c for c in details.get("causes", ()) if isinstance(c, dict)]
        message = _apply_conflict_message(_apply_conflicts(causes))
    reason = reason or _REASON_PHRASES.get(code, "Unknown")
    return cls(
        code,
        reason,
        message,
        status=status,
        retry_after=retry_after,
        method=method,
        path=path,
    )


__all__ = [
    "AlreadyExistsError",
    "ApiError",
    "ApplyConflictError",
    "BadRequestError",
    "ConfigError",
    "ConflictError",
    "ExpiredError",
    "ForbiddenError",
    "GatewayTimeoutError",
    "GoneError",
    "InternalError",
    "InvalidError",
    "KubetypedError",
    "MethodNotAllowedError",
    "NotAcceptableError",
    "NotFoundError",
    "NotServedError",
    "RequestEntityTooLargeError",
    "ResourceVersionTooLargeError",
    "ResponseDecodeError",
    "ServerTimeoutError",
    "ServiceUnavailableError",
    "TooManyRequestsError",
    "TransportError",
    "UnauthorizedError",
    "UnsupportedMediaTypeError",
    "WatchDecodeError",
    "WatchIdleTimeoutError",
    "api_error_from_response",
    "api_error_from_status",
    "redact",
    "redact_object",
    "register_secret",
]
