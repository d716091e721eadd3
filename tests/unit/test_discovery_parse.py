"""Sans-IO parsing of discovery documents recorded from a real v1.36.3 apiserver."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubetyped.discovery import DiscoveryDocumentError
from kubetyped.discovery.parse import (
    from_legacy_documents,
    is_aggregated,
    openapi_v3_key,
    parse_aggregated,
    parse_openapi_v3_root,
    parse_resource_list,
    parse_version,
    to_group_list,
    to_resource_list,
)
from tests.unit.discovery_fixtures import (
    aggregated_snapshot,
    document,
    legacy_resource_lists,
    legacy_snapshot,
)


def test_aggregated_and_legacy_discovery_describe_the_same_server() -> None:
    aggregated, legacy = aggregated_snapshot(), legacy_snapshot()
    assert aggregated.groups == legacy.groups
    assert aggregated.resources.keys() == legacy.resources.keys()
    for gv, resources in aggregated.resources.items():
        assert sorted(resources, key=lambda r: r.name) == sorted(
            legacy.resources[gv], key=lambda r: r.name
        ), gv


def test_aggregated_discovery_details() -> None:
    snapshot = aggregated_snapshot()
    assert snapshot.groups[0].name == ""  # core group first
    assert snapshot.group("autoscaling") is not None
    assert snapshot.group("autoscaling").versions == ("v2", "v1")  # type: ignore[union-attr]
    deployments = next(r for r in snapshot.resources["apps/v1"] if r.name == "deployments")
    assert (deployments.kind, deployments.singular, deployments.namespaced) == (
        "Deployment",
        "deployment",
        True,
    )
    assert deployments.short_names == ("deploy",)
    scale = next(s for s in deployments.subresources if s.name == "scale")
    assert (scale.group, scale.version, scale.kind) == ("autoscaling", "v1", "Scale")
    nodes = next(r for r in snapshot.resources["v1"] if r.name == "nodes")
    assert nodes.namespaced is False


def test_stale_group_versions_are_reported_not_parsed() -> None:
    doc = copy.deepcopy(document("aggregated_apis.json"))
    apps = next(item for item in doc["items"] if item["metadata"]["name"] == "apps")
    apps["versions"][0]["freshness"] = "Stale"
    groups, resources, failed = parse_aggregated(doc, "/apis")
    assert "apps/v1" in failed and "apps/v1" not in resources
    assert any(g.name == "apps" for g in groups)


def test_content_type_decides_the_document_kind() -> None:
    aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    assert is_aggregated(aggregated, {})
    assert not is_aggregated("application/json", document("legacy_apis.json"))


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d["items"][0].__setitem__("versions", "v1"), "items[0].versions"),
        (
            lambda d: d["items"][0]["versions"][0]["resources"][0].__setitem__("scope", "Global"),
            "items[0].versions[0].resources[0].scope",
        ),
        (
            lambda d: d["items"][0]["versions"][0]["resources"][0].pop("resource"),
            "items[0].versions[0].resources[0].resource",
        ),
    ],
)
def test_malformed_aggregated_documents_name_the_field(mutate: Any, where: str) -> None:
    doc = copy.deepcopy(document("aggregated_apis.json"))
    mutate(doc)
    with pytest.raises(DiscoveryDocumentError, match=rf"^/apis: {__import__('re').escape(where)}"):
        parse_aggregated(doc, "/apis")


def test_legacy_subresources_are_folded_into_their_resource() -> None:
    resources = parse_resource_list(legacy_resource_lists()["v1"], "/api/v1")
    names = {r.name for r in resources}
    assert "pods" in names and not any("/" in n for n in names)
    pods = next(r for r in resources if r.name == "pods")
    assert {"status", "log", "exec", "eviction"} <= {s.name for s in pods.subresources}


def test_disk_cache_documents_round_trip() -> None:
    snapshot = aggregated_snapshot()
    resource_lists = {gv: to_resource_list(gv, rs) for gv, rs in snapshot.resources.items()}
    restored = from_legacy_documents(to_group_list(snapshot), resource_lists, "cache")
    assert restored == snapshot


def test_version_document() -> None:
    version = parse_version({"major": "1", "minor": "36", "gitVersion": "v1.36.3"})
    assert (version.major, version.minor, version.git_version) == ("1", "36", "v1.36.3")
    with pytest.raises(DiscoveryDocumentError, match="gitVersion"):
        parse_version({"major": "1"})


def test_openapi_v3_root_and_keys() -> None:
    root = parse_openapi_v3_root(
        {"paths": {"apis/apps/v1": {"serverRelativeURL": "/openapi/v3/apis/apps/v1?hash=AB"}}}
    )
    assert root == {"apis/apps/v1": "/openapi/v3/apis/apps/v1?hash=AB"}
    assert [openapi_v3_key(k) for k in ("v1", "api/v1", "apps/v1", "/apis/apps/v1")] == [
        "api/v1",
        "api/v1",
        "apis/apps/v1",
        "apis/apps/v1",
    ]
    with pytest.raises(DiscoveryDocumentError, match="serverRelativeURL"):
        parse_openapi_v3_root({"paths": {"api/v1": {}}})
