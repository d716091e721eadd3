"""An expired continue token in the middle of `iterate()` (issue 18; client-go `tools/pager`).

Provenance: /work/shared/cases/pagination/continue_expired.py — `iterate(page_size=2)` over six
PodTemplates yielded the first page again (8 items, 6 distinct) after etcd was compacted
mid-way. client-go's item walker (`ListPager.EachListItem`) returns the 410 instead; `List`
falls back to one full list. PodTemplates are not served from the watch cache in the test
cluster (`--watch-cache-sizes=podtemplates#0`), so their continue tokens hit etcd.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kubetyped.errors import ExpiredError
from kubetyped_kubernetes import AsyncClientset, Clientset


def _templates(namespace: str) -> list[dict[str, Any]]:
    return [
        {
            "metadata": {"name": f"pt-{i}", "namespace": namespace},
            "template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}},
        }
        for i in range(6)
    ]


def _expire(cs: Clientset, cluster: Any, namespace: str) -> None:
    cs.core_v1.config_maps(namespace).create({"metadata": {"generateName": "bump-"}})
    cluster.compact_etcd()


def test_iterate_raises_expired_instead_of_yielding_items_twice(
    kubeconfig_path: Path, cluster: Any, namespace: str
) -> None:
    with Clientset.from_kubeconfig(kubeconfig_path) as cs:
        templates = cs.core_v1.pod_templates(namespace)
        for body in _templates(namespace):
            templates.create(body)
        names: list[str] = []
        with pytest.raises(ExpiredError):
            for i, pt in enumerate(templates.iterate(page_size=2)):
                names.append(pt.metadata.name)  # type: ignore[union-attr]
                if i == 1:
                    _expire(cs, cluster, namespace)
        assert names == ["pt-0", "pt-1"]  # nothing twice
        # the page walker raises too (client-go eachListChunk)
        rest_path = f"/api/v1/namespaces/{namespace}/podtemplates"
        pages = cs.rest.list_pages(rest_path, page_size=2)
        next(pages)
        _expire(cs, cluster, namespace)
        with pytest.raises(ExpiredError):
            next(pages)
        assert len(templates.list().items) == 6


async def test_async_iterate_raises_expired_instead_of_yielding_items_twice(
    kubeconfig_path: Path, cluster: Any, namespace: str
) -> None:
    with Clientset.from_kubeconfig(kubeconfig_path) as sync_cs:
        async with AsyncClientset.from_kubeconfig(kubeconfig_path) as cs:
            templates = cs.core_v1.pod_templates(namespace)
            for body in _templates(namespace):
                await templates.create(body)
            names: list[str] = []
            with pytest.raises(ExpiredError):
                i = 0
                async for pt in templates.iterate(page_size=2):
                    names.append(pt.metadata.name)  # type: ignore[union-attr]
                    if i == 1:
                        _expire(sync_cs, cluster, namespace)
                    i += 1
            assert names == ["pt-0", "pt-1"]
