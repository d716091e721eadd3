"""The tombstone delivered for objects whose deletion the watch missed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DeletedFinalStateUnknown(Generic[T]):
    """An object deleted while disconnected; ``obj`` is the last state the cache knew."""

    key: str
    obj: T


def unwrap_tombstone(obj: Any) -> Any:
    """Return the last known object for a tombstone, or ``obj`` itself."""
    return obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
