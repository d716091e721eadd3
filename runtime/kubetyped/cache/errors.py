"""Cache errors and the classification of the typed REST errors the reflector reacts to."""

from __future__ import annotations

import enum

from kubetyped.errors import (
    ApiError,
    BadRequestError,
    ExpiredError,
    InvalidError,
    KubetypedError,
    NotFoundError,
    ResourceVersionTooLargeError,
    TooManyRequestsError,
    TransportError,
)

__all__ = ["CacheError", "NotCachedError", "TransformError", "WatchClosedError"]


class CacheError(KubetypedError):
    """Base class of cache errors."""


class NotCachedError(NotFoundError, CacheError):
    """A lister lookup found no object under the key (a ``NotFoundError``, as client-go's
    listers return ``errors.NewNotFound``; ``key`` is the store key)."""

    def __init__(self, key: str) -> None:
        super().__init__(404, "NotFound", f"object {key!r} is not in the cache")
        self.key = key


class TransformError(CacheError):
    """The informer's transform function raised for one object (``key``); the object was
    skipped. The original exception is ``__cause__`` (and ``error``)."""

    def __init__(self, key: str, error: BaseException) -> None:
        super().__init__(f"transform rejected object {key!r}: {type(error).__name__}: {error}")
        self.key = key
        self.error = error


class WatchClosedError(CacheError):
    """A watch ended in a way that calls for a relist without a server error: it closed at once
    without any event (``VeryShortWatch``), or a streaming list ended before its initial-events
    bookmark (``InitialEventsIncomplete``). ERROR events raise the typed ``ApiError`` instead."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(f"{reason}: {message}")
        self.reason = reason


class ErrorKind(enum.Enum):
    """The classes of list/watch errors (`classify_error`) that decide the reflector's next step:
    relist without a resourceVersion (EXPIRED, TOO_LARGE_RV), keep watching after a backoff
    (TOO_MANY_REQUESTS), a shorter backoff cap (CONNECTION), giving up streaming lists (INVALID).
    client-go's `Reflector` makes the same cuts with `isExpiredError`,
    `isTooLargeResourceVersionError` and `apierrors.IsTooManyRequests`.
    """

    EXPIRED = "expired"  # 410 Gone / Expired
    TOO_LARGE_RV = "too_large_resource_version"
    TOO_MANY_REQUESTS = "too_many_requests"  # 429
    CONNECTION = "connection"  # refused / reset / timeout
    INVALID = "invalid"  # 400 / 422: the server rejected the request parameters
    OTHER = "other"


def classify_error(exc: BaseException) -> ErrorKind:
    """Map a list/watch error to the reaction the reflector needs, by its typed class (client-go
    ``isExpiredError``, ``isTooLargeResourceVersionError``, ``IsTooManyRequests``)."""
    if isinstance(exc, ResourceVersionTooLargeError) or (
        isinstance(exc, ApiError) and "too large resource version" in str(exc).lower()
    ):
        return ErrorKind.TOO_LARGE_RV
    if isinstance(exc, ExpiredError):
        return ErrorKind.EXPIRED
    if isinstance(exc, TooManyRequestsError):
        return ErrorKind.TOO_MANY_REQUESTS
    if isinstance(exc, BadRequestError | InvalidError):
        return ErrorKind.INVALID
    if isinstance(exc, TransportError | ConnectionError | TimeoutError | EOFError):
        return ErrorKind.CONNECTION
    return ErrorKind.OTHER
