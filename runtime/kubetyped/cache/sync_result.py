"""What ``wait_for_cache_sync`` returns: a key -> synced map that is false when any is not."""

from __future__ import annotations

from collections.abc import Hashable

__all__ = ["CacheSyncResult"]


class CacheSyncResult(dict[Hashable, bool]):
    """``{informer key: synced}`` whose truth is "every informer synced".

    client-go's ``WaitForCacheSync`` returns the same map; a plain dict is true whenever it is
    not empty, so ``assert factory.wait_for_cache_sync()`` passed with unsynced informers.
    `unsynced` names the keys that did not sync in time.
    """

    def __bool__(self) -> bool:
        return all(self.values())

    @property
    def unsynced(self) -> list[Hashable]:
        """The keys of the informers that had not synced when the wait ended."""
        return [key for key, synced in self.items() if not synced]

    def __repr__(self) -> str:
        state = "all synced" if self else f"unsynced: {self.unsynced!r}"
        return f"CacheSyncResult({dict.__repr__(self)}, {state})"
