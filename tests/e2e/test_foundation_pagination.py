"""Pagination over 1,200 ConfigMaps created concurrently (client-side rate limit disabled)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from kubetyped.request import ListOptions
from kubetyped.rest import AsyncRESTClient, RESTClient

COUNT = 1200
PAGE = 500


async def test_1200_configmaps_in_pages_of_500(
    admin_config: Any, rest: RESTClient, namespace: str
) -> None:
    base = f"/api/v1/namespaces/{namespace}/configmaps"
    unlimited = dataclasses.replace(admin_config, qps=-1)
    async with AsyncRESTClient.from_config(unlimited) as client:
        semaphore = asyncio.Semaphore(32)

        async def create(i: int) -> None:
            async with semaphore:
                body = {
                    "metadata": {"name": f"cm-{i:04d}", "labels": {"page": "test"}},
                    "data": {"i": str(i)},
                }
                await client.create(base, body)

        await asyncio.gather(*(create(i) for i in range(COUNT)))

        pages = [page async for page in client.list_pages(base, ListOptions(limit=PAGE))]
    assert [len(page["items"]) for page in pages] == [500, 500, 200]
    assert pages[0]["metadata"].get("continue") and pages[1]["metadata"].get("continue")
    assert not pages[2]["metadata"].get("continue")
    assert pages[0]["metadata"].get("remainingItemCount") == COUNT - PAGE
    names = [item["metadata"]["name"] for page in pages for item in page["items"]]
    assert names == [f"cm-{i:04d}" for i in range(COUNT)]  # etcd key order, no gaps or repeats

    # The sync client, through the pager: same set, one joined list.
    everything = rest.list_all(base, ListOptions(label_selector="page=test"), page_size=PAGE)
    assert len(everything["items"]) == COUNT
