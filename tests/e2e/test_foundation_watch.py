"""Watches against the real apiserver: events, bookmarks, and 410 Gone after etcd compaction."""

from __future__ import annotations

import pytest

from kubetyped.errors import ExpiredError
from kubetyped.request import ListOptions, ResourceVersionMatch
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.watch import EventType
from tests.cluster import ClusterInfo


def test_watch_sees_changes_in_order(rest: RESTClient, namespace: str) -> None:
    base = f"/api/v1/namespaces/{namespace}/configmaps"
    start = rest.create(base, {"metadata": {"name": "w"}, "data": {"n": "0"}})
    rest.patch(f"{base}/w", {"data": {"n": "1"}})
    rest.delete(f"{base}/w")
    options = ListOptions(resource_version=start["metadata"]["resourceVersion"], timeout_seconds=5)
    seen = []
    with rest.watch(base, options) as stream:
        for event in stream:
            seen.append((event.type, event.object["data"]["n"]))
            if event.type is EventType.DELETED:
                break
    assert seen == [(EventType.MODIFIED, "1"), (EventType.DELETED, "1")]


async def test_watch_list_ends_initial_events_with_a_bookmark(
    async_rest: AsyncRESTClient, namespace: str
) -> None:
    base = f"/api/v1/namespaces/{namespace}/configmaps"
    for name in ("a", "b"):
        await async_rest.create(base, {"metadata": {"name": name}})
    options = ListOptions(
        allow_watch_bookmarks=True,
        send_initial_events=True,
        resource_version_match=ResourceVersionMatch.NOT_OLDER_THAN,
        timeout_seconds=10,
    )
    added: list[str] = []
    async with async_rest.watch(base, options) as stream:
        async for event in stream:
            if event.type is EventType.BOOKMARK:
                bookmark = event
                break
            assert event.type is EventType.ADDED
            added.append(event.object["metadata"]["name"])
    assert sorted(added) == ["a", "b"]
    annotations = bookmark.object["metadata"].get("annotations", {})
    assert annotations.get("k8s.io/initial-events-end") == "true"
    assert bookmark.resource_version is not None
    assert stream.resource_version == bookmark.resource_version


def test_watch_from_a_compacted_revision_is_gone(
    cluster: ClusterInfo, rest: RESTClient, namespace: str
) -> None:
    if cluster.etcd_url is None:
        pytest.fail("this test compacts etcd: set KUBETYPED_TEST_ETCD for an external cluster")
    # podtemplates bypass the watch cache in the test cluster (--watch-cache-sizes), so the
    # watch goes to etcd, which has compacted the revision away.
    base = f"/api/v1/namespaces/{namespace}/podtemplates"
    template = {
        "template": {"spec": {"containers": [{"name": "c", "image": "registry.example/x:1"}]}}
    }
    first = rest.create(base, {"metadata": {"name": "pt-0"}, **template})
    for i in range(1, 4):
        rest.create(base, {"metadata": {"name": f"pt-{i}"}, **template})
    old = first["metadata"]["resourceVersion"]
    cluster.compact_etcd()
    with (
        pytest.raises(ExpiredError) as info,
        rest.watch(base, ListOptions(resource_version=old)) as stream,
    ):
        next(iter(stream))
    assert info.value.code == 410
    assert "too old" in info.value.message

    # Without raising, the same condition is an ERROR event carrying the Status.
    with rest.watch(base, ListOptions(resource_version=old), raise_errors=False) as stream:
        event = next(iter(stream))
    assert event.type is EventType.ERROR
    assert event.object["reason"] == "Expired"
