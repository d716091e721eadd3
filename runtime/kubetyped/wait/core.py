"""What `wait` waits for, and the decision on each listed object or watch event (sans-IO).

Conditions follow `kubectl wait --for`: `condition=Available` (`condition(...)`),
`jsonpath='{.status.phase}'=Running` (`field_equals(...)`), `create` (`exists()`) and
`delete` (`deleted()`). Source: kubectl `pkg/cmd/wait` (`ConditionalWait`, `JSONPathWait`,
`IsDeleted`, `IsCreated`) on client-go `tools/watch.UntilWithSync` semantics: list, then watch
from the listed resourceVersion, relist on 410 Gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kubetyped.errors import KubetypedError

__all__ = [
    "FieldPathError",
    "WaitFor",
    "WaitTimeoutError",
    "condition",
    "deleted",
    "exists",
    "field_equals",
]

Obj = dict[str, Any]


class WaitTimeoutError(KubetypedError, TimeoutError):
    """The condition did not hold within the timeout; `last` is the object last seen (None
    when it did not exist)."""

    def __init__(self, message: str, *, last: Obj | None = None) -> None:
        super().__init__(message)
        self.last = last


class FieldPathError(KubetypedError, ValueError):
    """A field path `wait` cannot read (`field_equals`)."""


_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_field_path(path: str) -> tuple[str | int, ...]:
    """`{.status.phase}`, `.status.phase`, `status.conditions[0].type` → path segments."""
    text = path.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    text = text.removeprefix(".")
    if not text:
        raise FieldPathError(f"empty field path {path!r}")
    segments: list[str | int] = []
    for part in text.split("."):
        if not part:
            raise FieldPathError(f"field path {path!r}: empty segment")
        end = 0
        for match in _SEGMENT.finditer(part):
            if match.start() != end:
                raise FieldPathError(f"field path {path!r}: cannot read {part!r}")
            end = match.end()
            name, index = match.groups()
            segments.append(int(index) if index is not None else name)
        if end != len(part):
            raise FieldPathError(f"field path {path!r}: cannot read {part!r}")
    return tuple(segments)


_MISSING = object()


def read_field(obj: Any, segments: tuple[str | int, ...]) -> Any:
    """The value at `segments` in a JSON object, or `_MISSING`."""
    value = obj
    for segment in segments:
        if isinstance(segment, int):
            if not isinstance(value, list) or segment >= len(value):
                return _MISSING
            value = value[segment]
        else:
            if not isinstance(value, dict) or segment not in value:
                return _MISSING
            value = value[segment]
    return value


@dataclass(frozen=True)
class WaitFor:
    """One thing to wait for. `kind` is `condition`, `field`, `exists` or `deleted`."""

    kind: str
    description: str
    condition_type: str = ""
    condition_status: str = "True"
    path: tuple[str | int, ...] = ()
    value: Any = None

    def holds(self, obj: Obj) -> bool:
        """Whether an existing object satisfies it (never true for `deleted`)."""
        if self.kind == "exists":
            return True
        if self.kind == "condition":
            status = obj.get("status")
            conditions = status.get("conditions") if isinstance(status, dict) else None
            for entry in conditions if isinstance(conditions, list) else []:
                if isinstance(entry, dict) and entry.get("type") == self.condition_type:
                    return str(entry.get("status")) == self.condition_status
            return False
        if self.kind == "field":
            found = read_field(obj, self.path)
            return found is not _MISSING and _same(found, self.value)
        return False


def _same(found: Any, expected: Any) -> bool:
    if isinstance(expected, str) and not isinstance(found, str):
        # kubectl compares the printed value: `=2` matches 2, `=true` matches True
        printed = "true" if found is True else "false" if found is False else str(found)
        return printed == expected
    return bool(found == expected)


def condition(condition_type: str, status: str = "True") -> WaitFor:
    """`kubectl wait --for=condition=TYPE[=STATUS]`: `status.conditions[type=TYPE].status`."""
    return WaitFor("condition", f"condition {condition_type}={status}", condition_type, status)


def field_equals(path: str, value: Any) -> WaitFor:
    """`kubectl wait --for=jsonpath='{PATH}'=VALUE` for simple paths (`.status.phase`,
    `status.containerStatuses[0].ready`); a string `value` matches the printed field."""
    return WaitFor("field", f"{path} == {value!r}", path=parse_field_path(path), value=value)


def exists() -> WaitFor:
    """`kubectl wait --for=create`: the object exists."""
    return WaitFor("exists", "the object exists")


def deleted() -> WaitFor:
    """`kubectl wait --for=delete`: the object is gone (or never existed)."""
    return WaitFor("deleted", "the object is deleted")


@dataclass
class Outcome:
    """Waiting is over: `obj` is the object that satisfied it (None for `deleted`)."""

    obj: Obj | None


class WaitState:
    """Decides, from the list and each watch event of the object `name`, when the wait is over.

    `last` is the object as last seen (None once deleted or before it exists)."""

    def __init__(self, name: str, wait_for: WaitFor) -> None:
        self.name = name
        self.wait_for = wait_for
        self.last: Obj | None = None

    def on_list(self, items: list[Any]) -> Outcome | None:
        """Decides on the listed items (the object is absent when not among them)."""
        found = next(
            (
                item
                for item in items
                if isinstance(item, dict) and item.get("metadata", {}).get("name") == self.name
            ),
            None,
        )
        self.last = found
        return self._decide(found)

    def on_event(self, event_type: str, obj: Any) -> Outcome | None:
        """Decides on one watch event (bookmarks and other objects change nothing)."""
        if event_type not in ("ADDED", "MODIFIED", "DELETED") or not isinstance(obj, dict):
            return None  # bookmarks
        if obj.get("metadata", {}).get("name") != self.name:
            return None
        current = None if event_type == "DELETED" else obj
        self.last = current
        return self._decide(current)

    def _decide(self, current: Obj | None) -> Outcome | None:
        if self.wait_for.kind == "deleted":
            return Outcome(None) if current is None else None
        if current is not None and self.wait_for.holds(current):
            return Outcome(current)
        return None

    def timeout_error(self, what: str, timeout: float) -> WaitTimeoutError:
        """The error for a wait on resource `what` that ran out of `timeout` seconds."""
        state = "it does not exist" if self.last is None else "last seen state kept"
        return WaitTimeoutError(
            f"{what} {self.name!r}: {self.wait_for.description} did not hold within "
            f"{timeout:g}s ({state})",
            last=self.last,
        )
