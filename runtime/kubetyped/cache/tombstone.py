"""The tombstone delivered for objects whose deletion the watch missed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["DeletedFinalStateUnknown", "unwrap_tombstone"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class DeletedFinalStateUnknown(Generic[T_co]):
    """An object deleted while disconnected; ``obj`` is the last state the cache knew
    (client-go ``cache.DeletedFinalStateUnknown``)."""

    key: str
    obj: T_co


def unwrap_tombstone(obj: T | DeletedFinalStateUnknown[T]) -> T:
    """The last known object for a tombstone, or ``obj`` itself (what an ``on_delete`` handler
    usually wants first)."""
    if isinstance(obj, DeletedFinalStateUnknown):
        last: T = obj.obj
        return last
    return obj
