"""Label and field selectors of list."""

from __future__ import annotations

import pytest

from kubetyped.typed import ALL_NAMESPACES
from tests.behaviour.support import Backend


@pytest.fixture
def labelled(backend: Backend) -> Backend:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    for name, labels in (
        ("red", {"colour": "red", "size": "s", "suite": "sel"}),
        ("blue", {"colour": "blue", "size": "m", "suite": "sel"}),
        ("green", {"colour": "green", "suite": "sel"}),
    ):
        cms.create({"metadata": {"name": name, "labels": labels}})
    return backend


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("colour=red", ["red"]),
        ("colour==blue", ["blue"]),
        ("suite=sel,colour!=red", ["blue", "green"]),
        ("colour in (red,green)", ["green", "red"]),
        ("suite=sel,colour notin (red,green)", ["blue"]),
        ("size", ["blue", "red"]),
        ("suite=sel,!size", ["green"]),
        ("colour=red,size=m", []),
    ],
)
def test_label_selectors(labelled: Backend, selector: str, expected: list[str]) -> None:
    cms = labelled.cs.core_v1.config_maps(labelled.namespace)
    names = sorted(c.metadata.name or "" for c in cms.list(label_selector=selector).items)
    assert names == expected


def test_field_selector_on_name(labelled: Backend) -> None:
    cms = labelled.cs.core_v1.config_maps(labelled.namespace)
    assert [c.metadata.name for c in cms.list(field_selector="metadata.name=blue").items] == [
        "blue"
    ]
    others = cms.list(field_selector="metadata.name!=blue", label_selector="suite=sel").items
    assert sorted(c.metadata.name or "" for c in others) == ["green", "red"]


def test_field_selector_on_namespace_across_namespaces(labelled: Backend) -> None:
    everywhere = labelled.cs.core_v1.config_maps(ALL_NAMESPACES)
    listed = everywhere.list(
        field_selector=f"metadata.namespace={labelled.namespace}", label_selector="suite=sel"
    )
    assert sorted(c.metadata.name or "" for c in listed.items) == ["blue", "green", "red"]
    assert {c.metadata.namespace for c in listed.items} == {labelled.namespace}


def test_list_resource_version_is_the_latest(labelled: Backend) -> None:
    cms = labelled.cs.core_v1.config_maps(labelled.namespace)
    listed = cms.list(label_selector="suite=sel")
    newest = max(int(c.metadata.resource_version or 0) for c in listed.items)
    assert int(listed.metadata.resource_version or 0) >= newest
