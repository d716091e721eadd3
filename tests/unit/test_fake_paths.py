"""Request paths and discovery documents of the fake apiserver."""

from __future__ import annotations

import pytest

from kubetyped.errors import NotFoundError
from kubetyped.fake import FakeSetupError, ResourceRegistry, fake_clientset
from kubetyped.fake.discovery import discovery_document
from kubetyped.fake.paths import parse_path
from kubetyped_kubernetes import FakeClientset
from kubetyped_kubernetes.clients.apps_v1 import DEPLOYMENTS
from kubetyped_kubernetes.clients.core_v1 import CONFIGMAPS, NAMESPACES

REGISTRY = ResourceRegistry([CONFIGMAPS, NAMESPACES, DEPLOYMENTS])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/namespaces", ("namespaces", None, None, None)),
        ("/api/v1/namespaces/ns", ("namespaces", None, "ns", None)),
        ("/api/v1/namespaces/ns/status", ("namespaces", None, "ns", "status")),
        ("/api/v1/namespaces/ns/configmaps", ("configmaps", "ns", None, None)),
        ("/api/v1/namespaces/ns/configmaps/a%3Ab", ("configmaps", "ns", "a:b", None)),
        ("/api/v1/configmaps", ("configmaps", None, None, None)),
        (
            "/apis/apps/v1/namespaces/ns/deployments/web/status",
            ("deployments", "ns", "web", "status"),
        ),
    ],
)
def test_parse_path(path: str, expected: tuple[object, ...]) -> None:
    info, target = parse_path(path, REGISTRY)
    assert (info.plural, target.namespace, target.name, target.subresource) == expected
    assert target.path == path  # the inverse of the clients' ResourcePath


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/configmaps",
        "/apis/apps/v1/widgets",
        "/api/v1/namespaces/ns/namespaces",
        "/apis/apps/v1/namespaces/ns/deployments/web/nope",
        "/api/v1/namespaces/ns/configmaps/a/status/extra",
        "/healthz",
    ],
)
def test_unknown_paths_are_not_found(path: str) -> None:
    with pytest.raises(NotFoundError, match="could not find the requested resource"):
        parse_path(path, REGISTRY)


def test_cluster_scoped_and_namespace_objects() -> None:
    fake = FakeClientset()
    namespaces = fake.core_v1.namespaces()
    created = namespaces.create({"metadata": {"name": "team"}})
    assert created.metadata.namespace is None
    assert namespaces.get("team").metadata.uid == created.metadata.uid
    assert [n.metadata.name for n in namespaces.list().items] == ["team"]


def test_discovery_documents() -> None:
    core = discovery_document("/api/v1", REGISTRY)
    assert core is not None and core["groupVersion"] == "v1"
    names = {r["name"]: r["namespaced"] for r in core["resources"]}
    assert names["configmaps"] is True and names["namespaces"] is False
    assert {n for n in names if "/" in n} == {f"namespaces/{s}" for s in NAMESPACES.subresources}
    groups = discovery_document("/apis", REGISTRY)
    assert groups is not None and [g["name"] for g in groups["groups"]] == ["apps"]
    assert discovery_document("/api", REGISTRY) == {"kind": "APIVersions", "versions": ["v1"]}
    assert discovery_document("/apis/apps/v2", REGISTRY) is None
    assert discovery_document("/api/v1/namespaces", REGISTRY) is None


def test_fake_clientset_needs_a_generated_clientset_class() -> None:
    with pytest.raises(FakeSetupError):
        fake_clientset(dict)  # type: ignore[type-var]
