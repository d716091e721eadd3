"""Listers like client-go's: a namespaced resource's lister gets through `namespaced(ns)` only,
a cluster-scoped one's gets directly, and a miss raises `NotFoundError`."""

from __future__ import annotations

import pytest

from kubetyped.cache import ClusterLister, NamespacedLister, NamespaceLister, NotCachedError
from kubetyped.errors import NotFoundError
from kubetyped_kubernetes import FakeClientset, SharedInformerFactory


def _synced_factory() -> tuple[SharedInformerFactory, FakeClientset]:
    fake = FakeClientset(
        objects=[
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "n"}},
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}},
        ]
    )
    return SharedInformerFactory(fake), fake


def test_namespaced_and_cluster_listers() -> None:
    factory, _ = _synced_factory()
    config_maps = factory.core_v1.config_maps()
    namespaces = factory.core_v1.namespaces()
    config_maps.informer()
    namespaces.informer()
    factory.start()
    try:
        assert factory.wait_for_cache_sync(10)
        cm_lister = config_maps.lister()
        assert isinstance(cm_lister, NamespacedLister) and not hasattr(cm_lister, "get")
        in_n = cm_lister.namespaced("n")
        assert isinstance(in_n, NamespaceLister)
        assert in_n.get("a").metadata.name == "a"
        assert [c.metadata.name for c in cm_lister.list()] == ["a"]
        with pytest.raises(NotFoundError) as info:  # client-go: errors.NewNotFound
            in_n.get("missing")
        assert isinstance(info.value, NotCachedError) and info.value.code == 404
        assert not isinstance(info.value, KeyError)

        ns_lister = namespaces.lister()
        assert isinstance(ns_lister, ClusterLister) and not hasattr(ns_lister, "namespaced")
        assert ns_lister.get("n").metadata.name == "n"
        with pytest.raises(NotFoundError):
            ns_lister.get("other")
    finally:
        factory.shutdown(timeout=5)
