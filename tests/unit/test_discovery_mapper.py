"""RESTMapper over a recorded v1.36.3 discovery snapshot."""

from __future__ import annotations

import pytest

from kubetyped.discovery import (
    AmbiguousResourceError,
    APIGroup,
    APIResource,
    Discovery,
    GroupKind,
    GroupVersionKind,
    GroupVersionResource,
    NoKindMatchError,
    NoResourceMatchError,
    RESTMapper,
)
from tests.unit.discovery_fixtures import aggregated_snapshot


@pytest.fixture(scope="module")
def mapper() -> RESTMapper:
    return RESTMapper(aggregated_snapshot())


@pytest.mark.parametrize(
    ("partial", "expected"),
    [
        ("pods", GroupVersionResource("", "v1", "pods")),
        ("pod", GroupVersionResource("", "v1", "pods")),
        ("po", GroupVersionResource("", "v1", "pods")),
        ("Pods", GroupVersionResource("", "v1", "pods")),
        ("deploy", GroupVersionResource("apps", "v1", "deployments")),
        ("deployments.apps", GroupVersionResource("apps", "v1", "deployments")),
        ("deployments.v1.apps", GroupVersionResource("apps", "v1", "deployments")),
        ("hpa", GroupVersionResource("autoscaling", "v2", "horizontalpodautoscalers")),
        (
            "horizontalpodautoscalers.v1.autoscaling",
            GroupVersionResource("autoscaling", "v1", "horizontalpodautoscalers"),
        ),
        ("events", GroupVersionResource("", "v1", "events")),  # core wins over events.k8s.io
        ("events.events.k8s.io", GroupVersionResource("events.k8s.io", "v1", "events")),
        ("pc", GroupVersionResource("scheduling.k8s.io", "v1", "priorityclasses")),
    ],
)
def test_resource_for_partial_names(mapper: RESTMapper, partial: str, expected: object) -> None:
    assert mapper.resource_for(partial) == expected


def test_kind_and_scope(mapper: RESTMapper) -> None:
    assert mapper.kind_for("cm") == GroupVersionKind("", "v1", "ConfigMap")
    assert mapper.resource_mapping("nodes").namespaced is False
    assert mapper.resource_mapping("configmaps").scope == "Namespaced"


def test_rest_mapping_prefers_the_groups_preferred_version(mapper: RESTMapper) -> None:
    preferred = mapper.rest_mapping(GroupKind("autoscaling", "HorizontalPodAutoscaler"))
    assert preferred.resource.version == "v2"
    assert mapper.rest_mapping("HorizontalPodAutoscaler.autoscaling", "v1").resource.version == "v1"
    versions = [m.gvk.version for m in mapper.rest_mappings("HorizontalPodAutoscaler.autoscaling")]
    assert versions == ["v2", "v1"]
    assert mapper.rest_mapping_for("apps/v1", "Deployment").resource.resource == "deployments"
    assert mapper.rest_mapping_for("v1", "Namespace").namespaced is False


def test_unknown_kinds_and_resources_raise_typed_errors(mapper: RESTMapper) -> None:
    with pytest.raises(NoKindMatchError, match="'Deployment' in group 'core'") as info:
        mapper.rest_mapping("Deployment")
    assert (info.value.group, info.value.kind) == ("", "Deployment")
    with pytest.raises(NoKindMatchError, match="versions v9"):
        mapper.rest_mapping("Deployment.apps", "v9")
    with pytest.raises(NoResourceMatchError, match="'widgets'"):
        mapper.resource_for("widgets")
    with pytest.raises(NoResourceMatchError):
        mapper.resource_for("deployments.v1.batch")


def _crd(group: str) -> APIResource:
    return APIResource(group, "v1", "widgets", "Widget", True, "widget", ("get",), ("wd",))


def test_same_resource_in_two_groups_is_ambiguous() -> None:
    snapshot = Discovery(
        (APIGroup("a.example.com", ("v1",)), APIGroup("b.example.com", ("v1",))),
        {
            "a.example.com/v1": (_crd("a.example.com"),),
            "b.example.com/v1": (_crd("b.example.com"),),
        },
    )
    mapper = RESTMapper(snapshot)
    with pytest.raises(AmbiguousResourceError) as info:
        mapper.resource_for("wd")
    assert info.value.candidates == ("widgets.a.example.com", "widgets.b.example.com")
    assert mapper.resource_for("widgets.b.example.com").group == "b.example.com"
