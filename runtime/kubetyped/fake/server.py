"""`FakeApiServer`: an HTTP request in, an answer out — sans-IO, shared by both transports.

The request becomes an `Action`, the reaction chain (user reactors, then the tracker) decides the
result, and the result becomes the JSON answer a real apiserver would send: the object, or a
`Status` for errors. Watches answer with a `WatchAnswer` the transport streams from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from kubetyped import yamlio
from kubetyped.errors import ApiError
from kubetyped.fake import errors
from kubetyped.fake.actions import Action, Reaction, ReactionChain
from kubetyped.fake.discovery import discovery_document
from kubetyped.fake.objects import wire
from kubetyped.fake.paths import parse_path
from kubetyped.fake.selection import Selection
from kubetyped.fake.tracker import ObjectTracker
from kubetyped.fake.watchers import Sink, event_line
from kubetyped.request import PatchType

__all__: list[str] = []

Stop = Callable[[], None]
_SUCCESS = orjson.dumps({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"})


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer of the fake: status code and JSON body."""

    status: int
    body: bytes


@dataclass(frozen=True)
class WatchAnswer:
    """`start(sink)` begins sending event lines to `sink` and returns how to stop."""

    start: Callable[[Sink], Stop]
    timeout: float | None


@dataclass(frozen=True)
class TrackerWatch:
    """The tracker reactor's answer to a watch: what to subscribe to."""

    selection: Selection
    resource_version: str | None
    send_initial_events: bool


def _status_answer(error: ApiError) -> Answer:
    return Answer(error.code, orjson.dumps(errors.status_body(error)))


class FakeApiServer:
    """The fake apiserver without I/O: turns an `httpx.Request` into an `Action`, runs the reaction
    chain (user reactors, then the `ObjectTracker`) and returns an `Answer` or a `WatchAnswer`.
    Discovery documents are answered from the tracker's registry. The transports wrap it for httpx.
    """

    def __init__(self, tracker: ObjectTracker) -> None:
        self.tracker = tracker
        self.reactions = ReactionChain(self._tracker_reaction)

    def handle(self, request: httpx.Request) -> Answer | WatchAnswer:
        """The answer to `request`: discovery for discovery paths, else the first reactor's result
        as the apiserver would send it (object JSON, a `Status` for an `ApiError` or for None, or a
        `WatchAnswer` for watches). Exceptions other than `ApiError` from a reactor propagate to the
        caller.
        """
        document = discovery_document(request.url.path, self.tracker.registry)
        if document is not None and request.method == "GET":
            return Answer(200, orjson.dumps(document))
        try:
            action = action_for(request, self.tracker)
            result = self.reactions.react(action)
        except ApiError as error:
            return _status_answer(error)
        if isinstance(result, ApiError):
            return _status_answer(result)
        if isinstance(result, BaseException):
            raise result
        if action.verb == "watch":
            return self._watch_answer(action, result)
        if result is None:
            return Answer(200, _SUCCESS)
        return Answer(201 if action.verb == "create" else 200, orjson.dumps(wire(result)))

    def _watch_answer(self, action: Action, result: Any) -> WatchAnswer:
        raw_timeout = action.params.get("timeoutSeconds")
        timeout = float(raw_timeout) if raw_timeout and raw_timeout.isdigit() else None
        if isinstance(result, TrackerWatch):
            info = _info(self.tracker, action)

            def subscribe(sink: Sink) -> Stop:
                watcher = self.tracker.watch(
                    info,
                    result.selection,
                    sink,
                    resource_version=result.resource_version,
                    send_initial_events=result.send_initial_events,
                )
                return lambda: self.tracker.stop_watch(watcher)

            return WatchAnswer(subscribe, timeout)
        events: Iterable[tuple[str, Any]] = result

        def replay(sink: Sink) -> Stop:
            for event_type, obj in events:
                sink(event_line(str(event_type), wire(obj)))
            sink(None)
            return lambda: None

        return WatchAnswer(replay, timeout)

    # --- the default reactor: the object tracker ---------------------------------------------

    def _tracker_reaction(self, action: Action) -> Reaction:
        info, tracker = _info(self.tracker, action), self.tracker
        namespace, name, sub = action.namespace, action.name or "", action.subresource
        dry_run = action.dry_run
        if sub not in (None, "status"):
            raise errors.method_not_allowed(
                f"the fake apiserver does not simulate the {sub!r} subresource of {info.plural}"
            )

        def selection() -> Selection:
            return Selection.parse(namespace, action.label_selector, action.field_selector)

        verb = action.verb
        if verb == "get":
            return True, tracker.get(info, namespace, name)
        if verb == "list":
            limit = action.params.get("limit")
            return True, tracker.list(
                info,
                selection(),
                limit=int(limit) if limit and limit.isdigit() else None,
                continue_=action.params.get("continue"),
            )
        if verb == "watch":
            send_initial = action.params.get("sendInitialEvents") == "true"
            return True, TrackerWatch(
                selection(), action.params.get("resourceVersion"), send_initial
            )
        if verb == "create":
            if sub is not None:
                raise errors.method_not_allowed(f"create is not supported on {info.plural}/{sub}")
            return True, tracker.create(info, namespace, action.object, dry_run=dry_run)
        if verb == "update":
            return True, tracker.update(
                info, namespace, name, action.object, subresource=sub, dry_run=dry_run
            )
        if verb == "patch":
            return True, tracker.patch(
                info,
                namespace,
                name,
                action.patch_type or "",
                action.patch,
                subresource=sub,
                field_manager=action.params.get("fieldManager"),
                force=action.params.get("force") == "true",
                dry_run=dry_run,
            )
        options = action.delete_options or {}
        if verb == "delete":
            return True, tracker.delete(
                info, namespace, name, preconditions=options.get("preconditions"), dry_run=dry_run
            )
        return True, tracker.delete_collection(info, selection(), dry_run=dry_run)


def _info(tracker: ObjectTracker, action: Action) -> Any:
    info = tracker.registry.by_gvr(action.group, action.version, action.resource)
    if info is None:
        raise errors.no_such_resource()
    return info


def _decode(request: httpx.Request, *, yaml_body: bool = False) -> Any:
    content = request.content
    if not content:
        return None
    try:
        return yamlio.load(content, source="body") if yaml_body else orjson.loads(content)
    except (orjson.JSONDecodeError, yamlio.YamlError) as exc:
        raise errors.bad_request(
            f"the request body is not valid {'YAML' if yaml_body else 'JSON'}: {exc}"
        ) from None


#: Values the apiserver accepts for closed option sets ("": unset), per options kind and field.
_OPTION_VALUES: dict[str, tuple[str, str, frozenset[str]]] = {
    "list": ("ListOptions", "resourceVersionMatch", frozenset({"", "Exact", "NotOlderThan"})),
    "write": ("CreateOptions", "fieldValidation", frozenset({"", "Ignore", "Strict", "Warn"})),
    "delete": (
        "DeleteOptions",
        "propagationPolicy",
        frozenset({"Foreground", "Background", "Orphan"}),
    ),
}


def _check_option_values(verb: str, params: dict[str, str], delete_options: Any) -> None:
    """422 Invalid for a value outside a closed option set, as the apiserver's option
    validation answers (`FieldValueNotSupported` on the option's field)."""
    if verb in ("list", "watch", "delete-collection"):
        found = [("list", params.get("resourceVersionMatch"))]
    elif verb in ("create", "update", "patch"):
        found = [("write", params.get("fieldValidation"))]
    else:
        found = []
    if verb.startswith("delete") and isinstance(delete_options, dict):
        found.append(("delete", delete_options.get("propagationPolicy")))
    for options, value in found:
        kind, field, allowed = _OPTION_VALUES[options]
        if value is not None and value not in allowed:
            supported = ", ".join(f'"{v}"' for v in sorted(allowed))
            message = f'Unsupported value: "{value}": supported values: {supported}'
            raise errors.invalid(
                "meta.k8s.io", kind, "", [(field, "FieldValueNotSupported", message)]
            )


def action_for(request: httpx.Request, tracker: ObjectTracker) -> Action:
    """The `Action` a request asks for (404 for unknown resources, 405 for impossible verbs)."""
    info, target = parse_path(request.url.path, tracker.registry)
    if info.namespaced and target.name is not None and target.namespace is None:
        raise errors.no_such_resource()
    params = dict(request.url.params)
    method, named = request.method, target.name is not None
    body: Any = None
    patch_type: str | None = None
    if method == "GET":
        verb = "get" if named else ("watch" if params.get("watch") in ("true", "1") else "list")
    elif method == "POST" and (not named or target.subresource is not None):
        verb = "create"
    elif method == "PUT" and named:
        verb = "update"
    elif method == "PATCH" and named:
        verb = "patch"
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type not in {p.value for p in PatchType}:
            raise errors.unsupported_media_type(content_type)
        patch_type = content_type
    elif method == "DELETE":
        verb = "delete" if named else "delete-collection"
    else:
        raise errors.method_not_allowed(f"{method} is not allowed on {request.url.path}")
    if verb in ("create", "update", "patch"):
        body = _decode(request, yaml_body=patch_type == PatchType.APPLY)
        if verb != "patch" and not isinstance(body, dict):
            raise errors.bad_request(f"{verb} needs a JSON object body")
    delete_options = _decode(request) if verb.startswith("delete") else None
    _check_option_values(verb, params, delete_options)
    return Action(
        verb=verb,
        group=info.group,
        version=info.version,
        resource=info.plural,
        subresource=target.subresource,
        namespace=target.namespace,
        name=target.name,
        object=body if verb in ("create", "update") else None,
        patch=body if verb == "patch" else None,
        patch_type=patch_type,
        label_selector=params.get("labelSelector"),
        field_selector=params.get("fieldSelector"),
        params=params,
        delete_options=delete_options if isinstance(delete_options, dict) else None,
    )
