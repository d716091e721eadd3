"""Watch subscriptions: which changes a watcher sees and the event lines it is sent.

A `Change` is one committed write; a `Watcher` turns changes into newline-delimited JSON watch
events for its `sink` (a thread-safe callable; `None` ends the stream). Label and field
selectors are applied like the apiserver's watch cache: an object that starts matching arrives
as ADDED, one that stops matching as DELETED.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from kubetyped.fake.registry import GVR
from kubetyped.fake.selection import Selection

__all__: list[str] = []

Sink = Callable[[bytes | None], None]


@dataclass(frozen=True, slots=True)
class Change:
    """One change the tracker made: the resource, ADDED/MODIFIED/DELETED, its resourceVersion (an
    integer in the fake), the object after it and the object before it (None for ADDED).
    """

    gvr: GVR
    type: str  # ADDED, MODIFIED, DELETED
    resource_version: int
    object: dict[str, Any]
    old: dict[str, Any] | None


def event_line(event_type: str, obj: dict[str, Any]) -> bytes:
    """One watch event as a line of the watch stream: `{"type": ..., "object": ...}` JSON and a
    newline.
    """
    return orjson.dumps({"type": event_type, "object": obj}) + b"\n"


class Watcher:
    """One open watch on a resource with a selection; its events go to `sink` as stream lines (None
    ends the stream). `stopped` is set once the stream ended or the receiver went away.
    """

    def __init__(self, gvr: GVR, selection: Selection, sink: Sink) -> None:
        self.gvr = gvr
        self.selection = selection
        self._sink = sink
        self.stopped = False

    def event_type(self, change: Change) -> str | None:
        """The event this watcher sees for `change`, or None."""
        if change.gvr != self.gvr:
            return None
        now = self.selection.matches(change.object)
        if change.type == "DELETED":
            return "DELETED" if now else None
        before = change.old is not None and self.selection.matches(change.old)
        if now:
            return "MODIFIED" if before else "ADDED"
        return "DELETED" if before else None

    def offer(self, change: Change) -> None:
        """Send the event `change` makes for this watcher, if any (see `event_type`)."""
        event_type = self.event_type(change)
        if event_type is not None:
            self.send(event_line(event_type, change.object))

    def send(self, line: bytes | None) -> None:
        """Send one stream line (None: end the stream) unless stopped; a closed receiving event loop
        stops the watcher instead of raising.
        """
        if self.stopped:
            return
        try:
            self._sink(line)
        except RuntimeError:  # the receiving event loop is closed
            self.stopped = True
        if line is None:
            self.stopped = True
