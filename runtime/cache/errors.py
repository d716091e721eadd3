"""Cache errors and the classification of REST errors the reflector reacts to.

Classification is by HTTP status code (``code``/``status_code`` attribute, or a wrapped
``response``) plus the class names the REST layer uses, so the cache does not depend on the
exact REST error hierarchy.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from kubetyped.errors import KubetypedError


class CacheError(KubetypedError):
    """Base class of cache errors."""


class NotCachedError(CacheError, KeyError):
    """A lister lookup found no object under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"object {key!r} is not in the cache")
        self.key = key

    def __str__(self) -> str:
        return str(self.args[0])


class TransformError(CacheError):
    """The informer's transform function raised for one object (``key``); the object was
    skipped. The original exception is ``__cause__`` (and ``error``)."""

    def __init__(self, key: str, error: BaseException) -> None:
        super().__init__(f"transform rejected object {key!r}: {type(error).__name__}: {error}")
        self.key = key
        self.error = error


class WatchErrorStatus(CacheError):
    """A watch stream delivered an ERROR event carrying a ``Status`` object."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(f"watch error {code} {reason}: {message}")
        self.code = code
        self.reason = reason
        self.message = message

    @classmethod
    def from_status(cls, status: Any) -> WatchErrorStatus:
        """From a ``Status`` (dict or model); a ``code`` that is not an integer reads as 0."""
        if isinstance(status, Mapping):
            code, reason, message = status.get("code"), status.get("reason"), status.get("message")
        else:
            code = getattr(status, "code", None)
            reason = getattr(status, "reason", None)
            message = getattr(status, "message", None)
        return cls(_int_code(code), str(reason or ""), str(message or ""))


def _int_code(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return 0


class ErrorKind(enum.Enum):
    EXPIRED = "expired"  # 410 Gone / Expired
    TOO_LARGE_RV = "too_large_resource_version"
    TOO_MANY_REQUESTS = "too_many_requests"  # 429
    CONNECTION = "connection"  # refused / reset / timeout
    INVALID = "invalid"  # 400 / 422: the server rejected the request parameters
    OTHER = "other"


_CLASS_KINDS = {
    "ExpiredError": ErrorKind.EXPIRED,
    "GoneError": ErrorKind.EXPIRED,
    "ResourceVersionTooLargeError": ErrorKind.TOO_LARGE_RV,
    "TooManyRequestsError": ErrorKind.TOO_MANY_REQUESTS,
}


def status_code(exc: BaseException) -> int | None:
    """The HTTP status code carried by an error, if any."""
    for attr in ("code", "status_code", "status"):
        value = getattr(exc, attr, None)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    response = getattr(exc, "response", None)
    value = getattr(response, "status_code", None)
    return value if isinstance(value, int) else None


def classify_error(exc: BaseException) -> ErrorKind:
    """Map a list/watch error to the reaction class the reflector needs."""
    for klass in type(exc).__mro__:
        if klass.__name__ in _CLASS_KINDS:
            return _CLASS_KINDS[klass.__name__]
    message = str(exc).lower()
    if "too large resource version" in message or "resourceversiontoolarge" in message:
        return ErrorKind.TOO_LARGE_RV
    code = status_code(exc)
    if code == 410:
        return ErrorKind.EXPIRED
    if code == 429:
        return ErrorKind.TOO_MANY_REQUESTS
    if code in (400, 422):
        return ErrorKind.INVALID
    if code is None and _is_connection_error(exc):
        return ErrorKind.CONNECTION
    return ErrorKind.OTHER


def _is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionError | TimeoutError | EOFError):
        return True
    names = {k.__name__ for k in type(exc).__mro__}
    # httpx transport errors, without importing httpx here
    return bool(
        names & {"TransportError", "NetworkError", "TimeoutException", "RemoteProtocolError"}
    )
