"""Pure request building: resource paths, query options and bodies → `httpx.Request`. No I/O.

Requests are built with a path relative to the server; the REST client resolves them against its
`httpx.Client` (base URL, default headers, auth). Watch and streaming requests are marked in
`request.extensions` so the transport skips the rate limiter (watches only, like client-go) and the
client drops the read timeout.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal, TypeAlias
from urllib.parse import quote

import httpx
import orjson

from kubetyped.errors import KubetypedError

JSON: Final = "application/json"

#: `request.extensions` keys understood by kubetyped's transport and REST client.
WATCH_EXTENSION: Final = "kubetyped.watch"
STREAM_EXTENSION: Final = "kubetyped.stream"
#: seconds without any byte after which a watch is abandoned (its read timeout); None: never
IDLE_TIMEOUT_EXTENSION: Final = "kubetyped.idle_timeout"

#: Idle timeout of a watch with bookmarks: the apiserver's watch cache sends a BOOKMARK to such
#: watchers about once a minute, so 2.5 minutes without a byte means the connection is dead.
BOOKMARK_WATCH_IDLE_TIMEOUT: Final = 150.0
#: Added to `timeoutSeconds` for the idle timeout: the server ends the watch by then.
WATCH_TIMEOUT_GRACE: Final = 30.0

#: Client-side request timeout when the config sets none.
DEFAULT_TIMEOUT: Final = 30.0
#: Page size of paginated lists when the caller sets no limit (client-go's pager default).
DEFAULT_PAGE_SIZE: Final = 500


class RequestBuildError(KubetypedError, ValueError):
    """A request cannot be built from the given path or options (names the field at fault)."""


class NamespaceRequiredError(RequestBuildError):
    """A per-object request of a namespaced resource has no namespace: the client is bound to
    none (typed clients: ALL_NAMESPACES), and the object names none where that counts."""


def _segment(value: str, what: str) -> str:
    if not value or value in (".", ".."):
        raise RequestBuildError(
            f"{what} must be a non-empty name other than '.' or '..': {value!r}"
        )
    return quote(value, safe="")


@dataclass(frozen=True)
class ResourcePath:
    """Where a resource lives: `/api/v1/...` for the core group (""), `/apis/<g>/<v>/...` otherwise.

    `namespace=None` on a namespaced resource addresses all namespaces (cluster-wide list/watch).
    """

    group: str
    version: str
    resource: str
    namespace: str | None = None
    name: str | None = None
    subresource: str | None = None

    @property
    def path(self) -> str:
        """The URL path (`/apis/apps/v1/namespaces/web/deployments/api/scale`), each segment checked
        and escaped. Raises `RequestBuildError` for an empty or unsafe segment and for a subresource
        without a name.
        """
        version = _segment(self.version, "version")
        parts = ["apis", _segment(self.group, "group"), version] if self.group else ["api", version]
        if self.namespace is not None:
            parts += ["namespaces", _segment(self.namespace, "namespace")]
        parts.append(_segment(self.resource, "resource"))
        if self.name is not None:
            parts.append(_segment(self.name, "name"))
        if self.subresource is not None:
            if self.name is None:
                raise RequestBuildError(
                    f"subresource {self.subresource!r} of {self.resource!r} needs a name"
                )
            parts.append(_segment(self.subresource, "subresource"))
        return "/" + "/".join(parts)

    def named(self, name: str, subresource: str | None = None) -> ResourcePath:
        """The same resource and namespace, addressing one object (and optionally a subresource)."""
        return ResourcePath(
            self.group, self.version, self.resource, self.namespace, name, subresource
        )

    def __str__(self) -> str:
        return self.path


PathLike = ResourcePath | str


def path_of(path: PathLike) -> str:
    """The URL path of a `ResourcePath`, or a string path as given (it must start with `/`, else
    `RequestBuildError`).
    """
    if isinstance(path, ResourcePath):
        return path.path
    if not path.startswith("/"):
        raise RequestBuildError(f"request path must start with '/': {path!r}")
    return path


def _bool(value: bool) -> str:
    return "true" if value else "false"


class ResourceVersionMatch(enum.StrEnum):
    """`resourceVersionMatch` of list and watch (API conventions, "resourceVersion semantics")."""

    NOT_OLDER_THAN = "NotOlderThan"
    EXACT = "Exact"


class FieldValidation(enum.StrEnum):
    """`fieldValidation` of writes: what the server does with unknown or duplicate fields
    (KEP-2885)."""

    STRICT = "Strict"
    WARN = "Warn"
    IGNORE = "Ignore"


class PropagationPolicy(enum.StrEnum):
    """`propagationPolicy` of delete: how dependents are garbage-collected (metav1
    `DeletionPropagation`)."""

    ORPHAN = "Orphan"
    BACKGROUND = "Background"
    FOREGROUND = "Foreground"


class PatchType(enum.StrEnum):
    """Patch flavours; the value is the request's Content-Type (client-go `types.PatchType`)."""

    JSON = "application/json-patch+json"
    MERGE = "application/merge-patch+json"
    STRATEGIC = "application/strategic-merge-patch+json"
    APPLY = "application/apply-patch+yaml"


# What options take, as type checkers see them: the enum or its value as a `Literal`, so a typo
# is a type error. At run time a value outside the set is sent as is, for a newer server (one
# that does not know it either answers a typed `ApiError`).
ResourceVersionMatchArg: TypeAlias = ResourceVersionMatch | Literal["NotOlderThan", "Exact"]
FieldValidationArg: TypeAlias = FieldValidation | Literal["Strict", "Warn", "Ignore"]
PropagationPolicyArg: TypeAlias = PropagationPolicy | Literal["Orphan", "Background", "Foreground"]
#: `patch()` flavours: JSON, merge and strategic merge (server-side apply is `apply()`).
PatchTypeArg: TypeAlias = Literal[
    PatchType.JSON,
    PatchType.MERGE,
    PatchType.STRATEGIC,
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
]

# a value a newer server may define: a CamelCase word or a media type, no spaces or controls
_OPEN_VALUE = re.compile(r"[A-Za-z][A-Za-z0-9]*(/[A-Za-z0-9][A-Za-z0-9.+-]*)?")


def _enum_value(enum_cls: type[enum.StrEnum], value: str, field: str) -> str:
    """The wire value of an option: a known one, or an unknown word for a newer server.

    Raises `RequestBuildError` naming `field` for anything else (not a string, spaces, ...)."""
    if not isinstance(value, str):
        raise RequestBuildError(f"{field} must be a string, not {type(value).__name__}")
    if value in enum_cls._value2member_map_:
        return str(value)
    if _OPEN_VALUE.fullmatch(value):
        return value  # unknown here: the server decides (a newer one may know it)
    allowed = ", ".join(m.value for m in enum_cls)
    raise RequestBuildError(f"{field} must be one of {allowed}, not {value!r}")


#: A label or field selector: the string form (``"app=web,tier!=db"``) or an equality map
#: (``{"app": "web"}``, client-go ``labels.SelectorFromSet``/``fields.SelectorFromSet``).
SelectorArg = str | Mapping[str, str]


def selector_text(selector: SelectorArg | None, what: str = "label_selector") -> str | None:
    """The query-string form of a selector; a map becomes ``k1=v1,k2=v2`` (keys sorted).

    Raises ``RequestBuildError`` for a map key or value that cannot be spelled that way.
    """
    if selector is None or isinstance(selector, str):
        return selector or None
    parts = []
    for key, value in sorted(selector.items()):
        if not isinstance(key, str) or not key or not isinstance(value, str):
            raise RequestBuildError(f"{what}: {key!r}: {value!r} is not a string pair")
        if any(c in key + value for c in ",=! ") or any(c in key for c in "()"):
            raise RequestBuildError(
                f"{what}: {key!r}: {value!r} cannot be an equality requirement; use a string "
                "selector for set-based requirements"
            )
        parts.append(f"{key}={value}")
    return ",".join(parts) or None


@dataclass(frozen=True)
class ListOptions:
    """Query options of list, watch and deletecollection; selectors as strings or maps."""

    label_selector: SelectorArg | None = None
    field_selector: SelectorArg | None = None
    limit: int | None = None
    continue_: str | None = None
    resource_version: str | None = None
    resource_version_match: ResourceVersionMatchArg | None = None
    timeout_seconds: int | None = None
    allow_watch_bookmarks: bool | None = None
    send_initial_events: bool | None = None
    watch: bool | None = None
    #: client side, watches only: seconds without any byte before the watch is abandoned with
    #: `WatchIdleTimeoutError`; 0 disables; None: `watch_idle_timeout`'s default
    idle_timeout: float | None = None

    def params(self) -> dict[str, str]:
        """The query parameters of a list or watch (`labelSelector`, `fieldSelector`, `limit`,
        `continue`, `resourceVersion`, `resourceVersionMatch`, `timeoutSeconds` in seconds,
        `allowWatchBookmarks`, `sendInitialEvents`), only those that are set (metav1 `ListOptions`).
        Raises `RequestBuildError` for a negative `limit` or `timeout_seconds`, a malformed selector
        or an unusable `resource_version_match`.
        """
        params: dict[str, str] = {}
        label_selector = selector_text(self.label_selector)
        if label_selector:
            params["labelSelector"] = label_selector
        field_selector = selector_text(self.field_selector, "field_selector")
        if field_selector:
            params["fieldSelector"] = field_selector
        if self.limit is not None:
            if self.limit < 0:
                raise RequestBuildError(f"limit must not be negative: {self.limit}")
            if self.limit:
                params["limit"] = str(self.limit)
        if self.continue_:
            params["continue"] = self.continue_
        if self.resource_version is not None:
            params["resourceVersion"] = self.resource_version
        if self.resource_version_match is not None:
            params["resourceVersionMatch"] = _enum_value(
                ResourceVersionMatch, self.resource_version_match, "resource_version_match"
            )
        if self.timeout_seconds is not None:
            if self.timeout_seconds < 0:
                raise RequestBuildError(
                    f"timeout_seconds must not be negative: {self.timeout_seconds}"
                )
            params["timeoutSeconds"] = str(self.timeout_seconds)
        if self.allow_watch_bookmarks is not None:
            params["allowWatchBookmarks"] = _bool(self.allow_watch_bookmarks)
        if self.send_initial_events is not None:
            params["sendInitialEvents"] = _bool(self.send_initial_events)
        if self.watch is not None:
            params["watch"] = _bool(self.watch)
        return params


@dataclass(frozen=True)
class GetOptions:
    """Query options of get (metav1 `GetOptions`): `resource_version` None or "" for the latest (a
    quorum read), "0" for any cached version.
    """

    resource_version: str | None = None

    def params(self) -> dict[str, str]:
        """`{"resourceVersion": ...}` when one is set, else {}."""
        if self.resource_version is None:
            return {}
        return {"resourceVersion": self.resource_version}


@dataclass(frozen=True)
class WriteOptions:
    """Query options of create, update and patch."""

    dry_run: bool = False
    field_manager: str | None = None
    field_validation: FieldValidationArg | None = None

    def params(self) -> dict[str, str]:
        """The query parameters of create, update and patch: `dryRun=All`, `fieldManager`,
        `fieldValidation`, only those that are set (metav1
        `CreateOptions`/`UpdateOptions`/`PatchOptions`).
        """
        params: dict[str, str] = {}
        if self.dry_run:
            params["dryRun"] = "All"
        if self.field_manager:
            params["fieldManager"] = self.field_manager
        if self.field_validation is not None:
            params["fieldValidation"] = _enum_value(
                FieldValidation, self.field_validation, "field_validation"
            )
        return params


@dataclass(frozen=True)
class ApplyOptions:
    """Server-side apply: `field_manager` is required; `force` takes fields from other managers."""

    field_manager: str
    force: bool = False
    dry_run: bool = False
    field_validation: FieldValidationArg | None = None

    def params(self) -> dict[str, str]:
        """The query parameters of a server-side apply: `fieldManager` (required, else
        `RequestBuildError`), `force=true` when forcing, `dryRun`, `fieldValidation` (metav1
        `PatchOptions`).
        """
        if not self.field_manager:
            raise RequestBuildError("server-side apply needs a field_manager")
        params = WriteOptions(self.dry_run, self.field_manager, self.field_validation).params()
        if self.force:
            params["force"] = "true"
        return params


@dataclass(frozen=True)
class Preconditions:
    """`DeleteOptions.preconditions`: the delete happens only if the object still has this `uid`
    and/or `resourceVersion` (else 409 `ConflictError`).
    """

    uid: str | None = None
    resource_version: str | None = None


@dataclass(frozen=True)
class DeleteOptions:
    """The `DeleteOptions` body of delete and deletecollection."""

    propagation_policy: PropagationPolicyArg | None = None
    grace_period_seconds: int | None = None
    preconditions: Preconditions | None = None
    dry_run: bool = False

    def body(self) -> dict[str, Any]:
        """The JSON body (`kind: DeleteOptions`, `apiVersion: v1`) with only the fields that are
        set; `gracePeriodSeconds` in seconds (0: at once). Raises `RequestBuildError` for a negative
        grace period or an unusable `propagation_policy`.
        """
        body: dict[str, Any] = {"kind": "DeleteOptions", "apiVersion": "v1"}
        if self.propagation_policy is not None:
            body["propagationPolicy"] = _enum_value(
                PropagationPolicy, self.propagation_policy, "propagation_policy"
            )
        if self.grace_period_seconds is not None:
            if self.grace_period_seconds < 0:
                raise RequestBuildError(
                    f"grace_period_seconds must not be negative: {self.grace_period_seconds}"
                )
            body["gracePeriodSeconds"] = self.grace_period_seconds
        if self.preconditions is not None:
            pre: dict[str, str] = {}
            if self.preconditions.uid is not None:
                pre["uid"] = self.preconditions.uid
            if self.preconditions.resource_version is not None:
                pre["resourceVersion"] = self.preconditions.resource_version
            body["preconditions"] = pre
        if self.dry_run:
            body["dryRun"] = ["All"]
        return body


def encode_json(body: Any) -> bytes:
    """JSON bytes of a dict/list (orjson); bytes pass through untouched."""
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    try:
        return orjson.dumps(body)
    except TypeError as exc:
        raise RequestBuildError(f"request body is not JSON-serialisable: {exc}") from None


def build_request(
    method: str,
    path: PathLike,
    *,
    params: Mapping[str, str] | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
    accept: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float | httpx.Timeout | None = None,
    is_watch: bool = False,
    stream: bool = False,
) -> httpx.Request:
    """One apiserver request, relative to the server; `timeout=None` keeps the client's default.

    `is_watch` skips the rate limiter; watches and `stream` requests get no read timeout (the
    transport drops it), the server ends them (`timeoutSeconds`) or the caller closes them.
    """
    all_headers = httpx.Headers(headers)
    if accept is not None:
        all_headers["Accept"] = accept
    if body is not None:
        all_headers["Content-Type"] = content_type or JSON
    extensions: dict[str, Any] = {}
    if is_watch:
        extensions[WATCH_EXTENSION] = True
    if is_watch or stream:
        extensions[STREAM_EXTENSION] = True
    if timeout is not None:
        extensions["timeout"] = httpx.Timeout(timeout).as_dict()
    return httpx.Request(
        method,
        path_of(path),
        params=dict(params) if params else None,
        content=body,
        headers=all_headers,
        extensions=extensions,
    )


def is_watch_request(request: httpx.Request) -> bool:
    """True for a request built as a watch (`build_request(is_watch=True)`): not rate limited, read
    timeout replaced by its idle timeout.
    """
    return bool(request.extensions.get(WATCH_EXTENSION))


def is_stream_request(request: httpx.Request) -> bool:
    """True for a watch or a streaming request (logs, follow): the transport does not apply the
    ordinary read timeout.
    """
    return bool(request.extensions.get(STREAM_EXTENSION))


# --- one builder per verb (shared by the sync and async REST clients) --------------------------


def _merge(*parts: Mapping[str, str] | None) -> dict[str, str]:
    merged: dict[str, str] = {}
    for part in parts:
        if part:
            merged.update(part)
    return merged


def get_request(
    path: PathLike, options: GetOptions | None = None, *, accept: str | None = JSON
) -> httpx.Request:
    """GET of one object or collection path with `options`' query; `accept` sets the `Accept` header
    (JSON by default).
    """
    return build_request("GET", path, params=options.params() if options else None, accept=accept)


def list_request(
    path: PathLike, options: ListOptions | None = None, *, accept: str | None = JSON
) -> httpx.Request:
    """GET of a collection with the list query of `options` (selectors, paging, resourceVersion);
    `accept` sets the `Accept` header.
    """
    return build_request("GET", path, params=options.params() if options else None, accept=accept)


def watch_request(
    path: PathLike, options: ListOptions | None = None, *, accept: str | None = JSON
) -> httpx.Request:
    """A watch; its idle timeout (`watch_idle_timeout`) becomes the read timeout."""
    params = _merge(options.params() if options else None, {"watch": "true"})
    request = build_request("GET", path, params=params, accept=accept, is_watch=True)
    request.extensions[IDLE_TIMEOUT_EXTENSION] = watch_idle_timeout(options)
    return request


def watch_idle_timeout(options: ListOptions | None) -> float | None:
    """Seconds a watch may go without receiving any byte before it is abandoned.

    `options.idle_timeout` when set (0: never). Otherwise the smallest of
    `BOOKMARK_WATCH_IDLE_TIMEOUT` (with `allow_watch_bookmarks`: the apiserver sends a bookmark
    about every minute) and `timeout_seconds + WATCH_TIMEOUT_GRACE` (the server closes the watch
    by then); None (no limit) for a watch with neither, which the server may keep silent for as
    long as nothing changes. This stands in for client-go's HTTP/2 health pings
    (`ReadIdleTimeout`), which httpx does not send: a connection that stays open but forwards
    nothing is otherwise never noticed.
    """
    if options is None:
        return None
    if options.idle_timeout is not None:
        if options.idle_timeout < 0:
            raise RequestBuildError(f"idle_timeout must not be negative: {options.idle_timeout}")
        return float(options.idle_timeout) or None
    candidates: list[float] = []
    if options.allow_watch_bookmarks:
        candidates.append(BOOKMARK_WATCH_IDLE_TIMEOUT)
    if options.timeout_seconds:
        candidates.append(options.timeout_seconds + WATCH_TIMEOUT_GRACE)
    return min(candidates) if candidates else None


def watch_bookmarks(options: ListOptions) -> tuple[ListOptions, bool]:
    """The one bookmark rule of every client family's watch: (the options to send, whether
    BOOKMARK events reach the caller).

    Bookmarks reach the caller only when it asked for them: `allow_watch_bookmarks=True`, or
    `send_initial_events=True` with `allow_watch_bookmarks` left None (the end of the initial
    events is a bookmark). Left None, they are still requested (and dropped before the caller)
    so that a silent connection is noticed (`watch_idle_timeout`); False neither requests nor
    delivers them. A reflector asks for them and consumes them. Source: client-go delivers
    bookmarks only to watchers that set `allowWatchBookmarks` (`watch.Bookmark`).
    """
    asked = options.allow_watch_bookmarks
    if asked is None:
        return replace(options, allow_watch_bookmarks=True), bool(options.send_initial_events)
    return options, asked


def write_request(
    method: str,
    path: PathLike,
    body: Any,
    options: WriteOptions | ApplyOptions | None = None,
    *,
    content_type: str = JSON,
    accept: str | None = JSON,
) -> httpx.Request:
    """POST (create), PUT (update) or PATCH with a JSON (or pre-encoded bytes) body."""
    return build_request(
        method,
        path,
        params=options.params() if options else None,
        body=encode_json(body),
        content_type=content_type,
        accept=accept,
    )


def patch_request(
    path: PathLike,
    body: Any,
    patch_type: PatchTypeArg,
    options: WriteOptions | None = None,
    *,
    accept: str | None = JSON,
) -> httpx.Request:
    """PATCH of `path` with `body` (a JSON patch list, a merge or strategic-merge patch object, or
    pre-encoded bytes); `patch_type` is the Content-Type (client-go `types.PatchType`). Raises
    `RequestBuildError` for the apply type (use `apply_request`, it needs a field manager) or an
    unknown type.
    """
    content_type = _enum_value(PatchType, patch_type, "patch_type")
    if content_type == PatchType.APPLY.value:
        raise RequestBuildError("use apply() for server-side apply: it needs ApplyOptions")
    return write_request("PATCH", path, body, options, content_type=content_type, accept=accept)


def apply_request(
    path: PathLike, body: Any, options: ApplyOptions, *, accept: str | None = JSON
) -> httpx.Request:
    """Server-side apply: a PATCH of `body` (the applied configuration, sent as JSON, which is YAML)
    with Content-Type `application/apply-patch+yaml` and `options` (field manager, force).
    """
    # JSON is valid YAML, so the apply-patch+yaml body is sent as JSON.
    return write_request(
        "PATCH", path, body, options, content_type=PatchType.APPLY.value, accept=accept
    )


def delete_request(
    path: PathLike,
    options: DeleteOptions | None = None,
    list_options: ListOptions | None = None,
    *,
    accept: str | None = JSON,
) -> httpx.Request:
    """DELETE of one object, or of a collection when `list_options` selects what to delete."""
    body = encode_json(options.body()) if options is not None else None
    return build_request(
        "DELETE",
        path,
        params=list_options.params() if list_options else None,
        body=body,
        accept=accept,
    )


# The rest (transport extension keys, per-verb builders) is shared by the REST clients only.
__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TIMEOUT",
    "ApplyOptions",
    "DeleteOptions",
    "FieldValidation",
    "GetOptions",
    "ListOptions",
    "NamespaceRequiredError",
    "PatchType",
    "PathLike",
    "Preconditions",
    "PropagationPolicy",
    "RequestBuildError",
    "ResourcePath",
    "ResourceVersionMatch",
    "SelectorArg",
    "WriteOptions",
    "build_request",
]
