"""Typed clients as people write them: the context's namespace, ALL_NAMESPACES, selectors as
dicts, watch loops without bookmarks, quiet informer shutdown, a falsy cache-sync result,
`Clientset.load()`. Against the real test apiserver; kubectl is the oracle where it helps.
"""

# mypy: disable-error-code="union-attr, index"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kubetyped.errors import ForbiddenError
from kubetyped.typed import ALL_NAMESPACES, NamespaceRequiredError
from kubetyped_kubernetes import Clientset, SharedInformerFactory
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

pytestmark = pytest.mark.e2e


@pytest.fixture
def context_kubeconfig(kubeconfig_path: Path, namespace: str, tmp_path: Path) -> Path:
    """The test kubeconfig whose `admin` and `alice` contexts name the test's namespace."""
    document = yaml.safe_load(kubeconfig_path.read_text())
    for context in document["contexts"]:
        context["context"]["namespace"] = namespace
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(document))
    path.chmod(0o600)
    return path


@pytest.fixture
def cs(context_kubeconfig: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(context_kubeconfig, context="admin") as clientset:
        yield clientset


def _config_map(name: str, labels: dict[str, str] | None = None) -> ConfigMap:
    return ConfigMap(metadata=ObjectMeta(name=name, labels=labels), data={"k": "v"})


def test_accessor_without_namespace_uses_the_contexts(
    cs: Clientset, namespace: str, context_kubeconfig: Path
) -> None:
    assert cs.namespace == namespace
    cs.core_v1.config_maps().create(_config_map("here"))
    assert cs.core_v1.config_maps(namespace).get("here").metadata.namespace == namespace
    kubectl = shutil.which("kubectl")
    if kubectl is not None:  # the oracle: kubectl with the same context sees it without -n
        listed = subprocess.run(
            [kubectl, "--kubeconfig", str(context_kubeconfig), "--context", "admin",
             "get", "configmap", "here", "-o", "name"],
            capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        assert listed.stdout.strip() == "configmap/here"
    everywhere = cs.core_v1.config_maps(ALL_NAMESPACES).list()
    assert {(c.metadata.namespace, c.metadata.name) for c in everywhere.items} >= {
        (namespace, "here"),
        ("kube-system", "extension-apiserver-authentication"),
    }
    # an explicit namespace= overrides the context's, as kubectl's --namespace does
    with Clientset.from_kubeconfig(
        context_kubeconfig, context="admin", namespace="kube-system"
    ) as other:
        assert other.core_v1.config_maps().get("extension-apiserver-authentication")


@pytest.mark.parametrize("value", ["", None])
def test_empty_or_none_namespace_points_to_both_choices(cs: Clientset, value: object) -> None:
    with pytest.raises(NamespaceRequiredError) as caught:
        cs.core_v1.pods(value)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "leave the argument out" in message and "ALL_NAMESPACES" in message


def test_label_selectors_as_dicts(cs: Clientset, namespace: str) -> None:
    maps = cs.core_v1.config_maps()
    maps.create(_config_map("web", {"app": "web", "tier": "front"}))
    maps.create(_config_map("db", {"app": "db"}))
    names = [c.metadata.name for c in maps.list(label_selector={"app": "web"}).items]
    assert names == ["web"]
    assert [c.metadata.name for c in maps.iterate(label_selector={"app": "db"})] == ["db"]
    assert [c.metadata.name for c in maps.list(field_selector={"metadata.name": "db"}).items] == [
        "db"
    ]
    events = [
        e.object.metadata.name
        for e in maps.watch(label_selector={"app": "web"}, timeout_seconds=1, resource_version="0")
    ]
    assert events == ["web"]
    maps.delete_collection(label_selector={"app": "db"})
    assert [c.metadata.name for c in maps.list().items] == ["web"]
    # the lister takes the same dict
    factory = SharedInformerFactory(cs, namespace=namespace)
    lister = factory.core_v1.config_maps().lister()  # registers the informer (client-go)
    factory.start()
    try:
        assert factory.wait_for_cache_sync(timeout=30)
        listed = lister.namespaced(namespace).list({"app": "web", "tier": "front"})
        assert [c.metadata.name for c in listed] == ["web"]
    finally:
        factory.shutdown()


def test_watch_loop_without_bookmarks_unless_asked(cs: Clientset) -> None:
    maps = cs.core_v1.config_maps()
    maps.create(_config_map("seen"))
    # sendInitialEvents ends with a BOOKMARK: the loop gets it only when it asks for bookmarks
    stream = dict(
        send_initial_events=True, resource_version_match="NotOlderThan", timeout_seconds=2
    )
    plain = [e.type.value for e in maps.watch(**stream, allow_watch_bookmarks=True)]
    assert plain[0] == "ADDED" and "BOOKMARK" in plain
    default = [e.type.value for e in maps.watch(timeout_seconds=1, resource_version="0")]
    assert default and "BOOKMARK" not in default


def test_clean_informer_shutdown_is_silent(
    cs: Clientset, namespace: str, caplog: pytest.LogCaptureFixture
) -> None:
    factory = SharedInformerFactory(cs, namespace=namespace)
    factory.core_v1.config_maps().informer()
    factory.core_v1.secrets().informer()
    with caplog.at_level(logging.DEBUG, logger="kubetyped"):
        factory.start()
        assert factory.wait_for_cache_sync(timeout=30)
        factory.shutdown()
    noisy = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert noisy == []


def test_wait_for_cache_sync_is_false_and_names_the_unsynced(
    context_kubeconfig: Path, namespace: str
) -> None:
    """alice may not list Secrets: that informer never syncs, and the result says so."""
    with Clientset.from_kubeconfig(context_kubeconfig, context="alice") as alice:
        with pytest.raises(ForbiddenError):
            alice.core_v1.secrets().list()
        factory = SharedInformerFactory(alice, namespace=namespace)
        factory.core_v1.secrets().informer().set_watch_error_handler(lambda _: None)
        factory.start()
        try:
            result = factory.wait_for_cache_sync(timeout=2)
        finally:
            factory.shutdown()
    assert not result
    assert len(result.unsynced) == 1 and "secrets" in str(result.unsynced[0]).lower()
    assert list(result.values()) == [False]


def test_load_reads_kubeconfig_else_in_cluster(
    context_kubeconfig: Path, namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(context_kubeconfig))
    with Clientset.load("admin") as clientset:
        assert clientset.namespace == namespace
        assert clientset.core_v1.config_maps().list().items == []


def test_quantities_and_times_as_users_write_them_reach_the_server(cs: Clientset) -> None:
    """Strings and numbers for quantities, a `datetime` for a MicroTime: the server stores the
    values, and they read back as `Quantity`/`MicroTime` (equal by value)."""
    from datetime import UTC, datetime

    from kubetyped.model import MicroTime, Quantity
    from kubetyped_kubernetes.models.coordination_v1 import Lease, LeaseSpec
    from kubetyped_kubernetes.models.core_v1 import LimitRange, LimitRangeItem, LimitRangeSpec

    item = LimitRangeItem(type="Container", max={"cpu": 2}, default={"memory": "1Gi", "cpu": "1"})
    cs.core_v1.limit_ranges().create(
        LimitRange(metadata=ObjectMeta(name="limits"), spec=LimitRangeSpec(limits=[item]))
    )
    stored = cs.core_v1.limit_ranges().get("limits").spec.limits[0]
    assert type(stored.max["cpu"]) is Quantity and stored.max["cpu"] == 2
    assert stored.default == {"memory": Quantity("1024Mi"), "cpu": Quantity("1")}

    renewed = datetime(2026, 11, 30, 9, 0, 0, 250000, tzinfo=UTC)
    spec = LeaseSpec(holder_identity="me", renew_time=renewed, lease_duration_seconds=15)
    cs.coordination_v1.leases().create(Lease(metadata=ObjectMeta(name="lock"), spec=spec))
    lease = cs.coordination_v1.leases().get("lock").spec
    assert type(lease.renew_time) is MicroTime and lease.renew_time == renewed
