"""List pagination (client-go `tools/pager`), sans-IO: which page to ask for next, and when to relist.

Pages are asked for with `limit` and the `continue` token of the previous page; continue requests
carry no resourceVersion (the token pins it). If a continue token has expired (410), a pager made
with `full_list_if_expired` (client-go `ListPager.List`, which returns one joined list) falls back
once to a full list without `limit`, at the resourceVersion first asked for; without it (page and
item walkers, client-go `EachListItem`) the 410 is raised, so no item is yielded twice.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from kubetyped.errors import ExpiredError
from kubetyped.request import DEFAULT_PAGE_SIZE, ListOptions

__all__ = ["ListAccumulator", "Pager"]


def continue_token(page: dict[str, Any]) -> str | None:
    """`metadata.continue` of a list page, None when it is absent or "" (the last page)."""
    metadata = page.get("metadata")
    if isinstance(metadata, dict):
        token = metadata.get("continue")
        if isinstance(token, str) and token:
            return token
    return None


class Pager:
    """Which list request comes next: `limit` pages (client-go `tools/pager.ListPager`), sans-IO.

    `options` are the caller's list options (a `limit` there wins over `page_size`; `page_size` 0
    with no `limit` asks for one unpaged list); `full_list_if_expired` makes an expired continue token (410) fall back once to a
    full list (client-go `ListPager.List`) instead of raising (`EachListItem`). Drivers loop:
    `next_options()`, send, then `on_page(page)` or `on_expired(error)`; `done` is True after the
    last page.
    """

    def __init__(
        self,
        options: ListOptions | None = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        full_list_if_expired: bool = True,
    ) -> None:
        self._requested = options or ListOptions()
        self._limit = self._requested.limit or page_size or None
        self._continue = self._requested.continue_
        self._full_list_if_expired = full_list_if_expired
        self.done = False
        #: True once the pager gave up on paging and asked for one full list
        self.fell_back = False

    def next_options(self) -> ListOptions | None:
        """Options of the next request, or None when the list is complete."""
        if self.done:
            return None
        if self._continue:
            return replace(
                self._requested,
                limit=self._limit,
                continue_=self._continue,
                resource_version=None,
                resource_version_match=None,
            )
        return replace(self._requested, limit=self._limit, continue_=None)

    def on_page(self, page: dict[str, Any]) -> None:
        """Record a received page (plain JSON): its continue token is used next, and a page without one
        (or the fallback's full list) completes the list.
        """
        token = None if self.fell_back else continue_token(page)
        self._continue = token
        if token is None:
            self.done = True

    def on_expired(self, error: ExpiredError) -> bool:
        """A request failed with 410: True if the pager recovers (full list next), else re-raise."""
        if not self._continue or not self._full_list_if_expired or self.fell_back:
            return False
        self.fell_back = True
        self._limit = None
        self._continue = None
        return True


class ListAccumulator:
    """Joins pages into one list object (items of every page, metadata of the last)."""

    def __init__(self) -> None:
        self._result: dict[str, Any] | None = None
        self._items: list[Any] = []

    def reset(self) -> None:
        """Forget the pages so far (the pager fell back to a full list)."""
        self._result = None
        self._items = []

    def add(self, page: dict[str, Any]) -> None:
        """Add one page: its items are appended; the list's other fields come from the first page, its
        `metadata` from the latest.
        """
        items = page.get("items")
        if isinstance(items, list):
            self._items.extend(items)
        if self._result is None:
            self._result = {k: v for k, v in page.items() if k != "items"}
        else:
            metadata = page.get("metadata")
            if isinstance(metadata, dict):
                self._result["metadata"] = metadata

    def result(self) -> dict[str, Any]:
        """The joined list object: every page's items, with `continue` and `remainingItemCount` removed
        from `metadata` (a complete list has neither).
        """
        result = copy.copy(self._result) if self._result is not None else {}
        metadata = result.get("metadata")
        metadata = dict(metadata) if isinstance(metadata, dict) else {}
        metadata.pop("continue", None)
        metadata.pop("remainingItemCount", None)
        result["metadata"] = metadata
        result["items"] = self._items
        return result
