"""What the fake records and reacts to: `Action`s and client-go style reactors.

Every request the fake clientset sends becomes an `Action`; reactors see it in order and the
first that handles it decides the answer. The tracker's reactor comes last, so by default the
fake behaves like an apiserver; prepend a reactor to inject errors or canned answers:

    def fail(action):
        return True, errors.conflict("apps", "deployments", action.name, "injected")
    fake.prepend_reactor("update", "deployments", fail)

A reaction is `(handled, result)`; `result` is an object (dict or model) to answer with, an
exception (an `ApiError` becomes its `Status` answer; any other exception is raised to the caller
unchanged), or None (a `Status` Success). A handled `watch` may return an iterable of
`(event_type, object)` pairs: the watch stream sends them and ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Action", "Reaction", "ReactionFunc"]


@dataclass(frozen=True)
class Action:
    """One request the fake clientset received, as client-go's `testing.Action`: `verb` (get, list,
    watch, create, update, patch, delete, deletecollection), the resource and subresource, the
    namespace and name it addresses, and what it carried (body, patch, selectors, query parameters,
    `DeleteOptions`).
    """

    verb: str
    group: str
    version: str
    resource: str
    subresource: str | None = None
    namespace: str | None = None
    name: str | None = None
    #: the body of create and update (wire form)
    object: dict[str, Any] | None = None
    #: the decoded body of patch (and apply), and its content type
    patch: Any = None
    patch_type: str | None = None
    label_selector: str | None = None
    field_selector: str | None = None
    #: query parameters as sent (dryRun, fieldManager, force, resourceVersion, limit, ...)
    params: dict[str, str] = field(default_factory=dict)
    #: the DeleteOptions body of delete and delete-collection
    delete_options: dict[str, Any] | None = None

    def matches(self, verb: str, resource: str) -> bool:
        """`verb` and `resource` match, `"*"` matching anything; `resource` may name a
        subresource as `"deployments/status"`."""
        if verb not in ("*", self.verb):
            return False
        return resource in ("*", self.resource) or (
            self.subresource is not None and resource == f"{self.resource}/{self.subresource}"
        )

    @property
    def dry_run(self) -> bool:
        """True when the request asked for a dry run (`dryRun=All` in the query, or in the
        `DeleteOptions` body).
        """
        return self.params.get("dryRun") == "All" or bool(
            self.delete_options and self.delete_options.get("dryRun")
        )


Reaction = tuple[bool, Any]
ReactionFunc = Callable[[Action], Reaction]


@dataclass(frozen=True)
class Reactor:
    """A reaction function for requests of `verb` on `resource` (`"*"` matches any; `"pods/status"`
    names a subresource), client-go's `testing.SimpleReactor`.
    """

    verb: str
    resource: str
    react: ReactionFunc

    def handles(self, action: Action) -> bool:
        """True when this reactor is meant for `action` (see `Action.matches`)."""
        return action.matches(self.verb, self.resource)


class ReactionChain:
    """Reactors in order, and the log of actions (thread-safe)."""

    def __init__(self, fallback: ReactionFunc) -> None:
        self._lock = threading.Lock()
        self._reactors: list[Reactor] = []
        self._fallback = fallback
        self._actions: list[Action] = []

    def prepend(self, verb: str, resource: str, react: ReactionFunc) -> None:
        """Put a reactor first: it sees each matching action before every other reactor (client-go
        `Fake.PrependReactor`).
        """
        with self._lock:
            self._reactors.insert(0, Reactor(verb, resource, react))

    def append(self, verb: str, resource: str, react: ReactionFunc) -> None:
        """Runs after the reactors already added, but still before the tracker."""
        with self._lock:
            self._reactors.append(Reactor(verb, resource, react))

    def react(self, action: Action) -> Any:
        """Log `action`, then ask the reactors in order; the first that handles it gives the result,
        else the tracker (the fallback) answers. Reactors run outside the lock, so they may call the
        fake.
        """
        with self._lock:
            self._actions.append(action)
            reactors = list(self._reactors)
        for reactor in reactors:
            if reactor.handles(action):
                handled, result = reactor.react(action)
                if handled:
                    return result
        return self._fallback(action)[1]

    def actions(self) -> list[Action]:
        """A copy of the actions received so far, oldest first (client-go `Fake.Actions`)."""
        with self._lock:
            return list(self._actions)

    def clear_actions(self) -> None:
        """Forget the logged actions (client-go `Fake.ClearActions`)."""
        with self._lock:
            self._actions.clear()
