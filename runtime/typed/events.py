"""Typed watch events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from kubetyped.watch import EventType

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Event(Generic[T]):
    """One watch event. For BOOKMARK, `object` carries only `metadata.resourceVersion`."""

    type: EventType
    object: T
    resource_version: str | None
