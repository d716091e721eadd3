"""Pure request building: paths, query options, bodies, request marks."""

from __future__ import annotations

from typing import Any, cast

import httpx
import orjson
import pytest

from kubetyped.request import (
    STREAM_EXTENSION,
    WATCH_EXTENSION,
    ApplyOptions,
    DeleteOptions,
    GetOptions,
    ListOptions,
    PatchType,
    Preconditions,
    RequestBuildError,
    ResourcePath,
    WriteOptions,
    apply_request,
    build_request,
    delete_request,
    get_request,
    is_stream_request,
    is_watch_request,
    patch_request,
    watch_request,
    write_request,
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            ResourcePath("", "v1", "pods", "default", "web-0"),
            "/api/v1/namespaces/default/pods/web-0",
        ),
        (ResourcePath("", "v1", "pods"), "/api/v1/pods"),
        (ResourcePath("", "v1", "nodes", name="n1"), "/api/v1/nodes/n1"),
        (
            ResourcePath("apps", "v1", "deployments", "kube-system"),
            "/apis/apps/v1/namespaces/kube-system/deployments",
        ),
        (ResourcePath("apps", "v1", "deployments"), "/apis/apps/v1/deployments"),
        (
            ResourcePath("apps", "v1", "deployments", "ns", "d", "scale"),
            "/apis/apps/v1/namespaces/ns/deployments/d/scale",
        ),
        (ResourcePath("", "v1", "pods", "ns", "p", "log"), "/api/v1/namespaces/ns/pods/p/log"),
        (
            ResourcePath("rbac.authorization.k8s.io", "v1", "clusterroles", name="system:admin"),
            "/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aadmin",
        ),
        (
            ResourcePath("", "v1", "namespaces", name="kube-system", subresource="status"),
            "/api/v1/namespaces/kube-system/status",
        ),
    ],
)
def test_resource_paths(path: ResourcePath, expected: str) -> None:
    assert path.path == expected
    assert str(path) == expected


def test_names_are_quoted_so_they_cannot_escape_their_segment() -> None:
    path = ResourcePath("", "v1", "configmaps", "ns", "a/../b")
    assert path.path == "/api/v1/namespaces/ns/configmaps/a%2F..%2Fb"
    request = get_request(path)
    assert request.url.raw_path == b"/api/v1/namespaces/ns/configmaps/a%2F..%2Fb"


@pytest.mark.parametrize("bad", ["", ".", ".."])
def test_empty_or_dot_names_are_rejected(bad: str) -> None:
    with pytest.raises(RequestBuildError, match="name"):
        _ = ResourcePath("", "v1", "pods", "ns", bad).path


def test_subresource_without_name_is_rejected() -> None:
    with pytest.raises(RequestBuildError, match="needs a name"):
        _ = ResourcePath("", "v1", "pods", "ns", subresource="log").path


def test_named_keeps_group_and_namespace() -> None:
    base = ResourcePath("apps", "v1", "deployments", "ns")
    assert base.named("d", "scale").path == "/apis/apps/v1/namespaces/ns/deployments/d/scale"


def test_string_paths_must_be_absolute() -> None:
    assert get_request("/version").url.path == "/version"
    with pytest.raises(RequestBuildError, match="must start with '/'"):
        get_request("api/v1/pods")


def test_list_options_use_camel_case_wire_names() -> None:
    options = ListOptions(
        label_selector="app=web,tier in (a,b)",
        field_selector="status.phase=Running",
        limit=50,
        continue_="tok",
        resource_version="123",
        resource_version_match="NotOlderThan",
        timeout_seconds=30,
        allow_watch_bookmarks=True,
        send_initial_events=False,
        watch=True,
    )
    assert options.params() == {
        "labelSelector": "app=web,tier in (a,b)",
        "fieldSelector": "status.phase=Running",
        "limit": "50",
        "continue": "tok",
        "resourceVersion": "123",
        "resourceVersionMatch": "NotOlderThan",
        "timeoutSeconds": "30",
        "allowWatchBookmarks": "true",
        "sendInitialEvents": "false",
        "watch": "true",
    }
    request = build_request("GET", "/api/v1/pods", params=options.params())
    assert request.url.params["labelSelector"] == "app=web,tier in (a,b)"


def test_empty_list_options_send_nothing() -> None:
    assert ListOptions().params() == {}
    assert ListOptions(limit=0).params() == {}
    assert str(get_request("/api/v1/pods").url) == "/api/v1/pods"


def test_bad_option_values_name_the_field() -> None:
    with pytest.raises(RequestBuildError, match="resource_version_match"):
        ListOptions(resource_version_match=cast(Any, "Not Older")).params()
    with pytest.raises(RequestBuildError, match="limit"):
        ListOptions(limit=-1).params()
    with pytest.raises(RequestBuildError, match="field_validation"):
        WriteOptions(field_validation=cast(Any, "")).params()
    with pytest.raises(RequestBuildError, match="field_validation must be a string"):
        WriteOptions(field_validation=cast(Any, 3)).params()
    with pytest.raises(RequestBuildError, match="propagation_policy"):
        DeleteOptions(propagation_policy=cast(Any, "Orphan\r\nX-Evil: 1")).body()


def test_option_values_a_newer_server_may_know_are_sent_as_they_are() -> None:
    """Type checkers see `Literal` sets; at run time the server decides (tests/e2e/
    test_request_option_values.py: the apiserver and the fake answer 422/415 for unknown ones)."""
    newer: Any = "Newest"
    assert ListOptions(resource_version="1", resource_version_match=newer).params() == {
        "resourceVersion": "1",
        "resourceVersionMatch": "Newest",
    }
    assert WriteOptions(field_validation=cast(Any, "Loose")).params() == {
        "fieldValidation": "Loose"
    }
    assert DeleteOptions(propagation_policy=cast(Any, "Sideways")).body()["propagationPolicy"] == (
        "Sideways"
    )
    cbor = cast(Any, "application/apply-patch+cbor")
    assert patch_request("/api/v1/pods/x", {}, cbor).headers["content-type"] == cbor


def test_get_and_write_options() -> None:
    assert GetOptions("42").params() == {"resourceVersion": "42"}
    assert GetOptions().params() == {}
    assert WriteOptions(dry_run=True, field_manager="me", field_validation="Strict").params() == {
        "dryRun": "All",
        "fieldManager": "me",
        "fieldValidation": "Strict",
    }


def test_write_request_encodes_json_and_passes_bytes_through() -> None:
    request = write_request(
        "POST", "/api/v1/namespaces/ns/configmaps", {"a": 1}, WriteOptions(True)
    )
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert orjson.loads(request.content) == {"a": 1}
    assert request.url.params["dryRun"] == "All"
    raw = write_request("PUT", "/x", b'{"raw":true}', content_type="application/vnd.custom")
    assert raw.content == b'{"raw":true}'
    assert raw.headers["Content-Type"] == "application/vnd.custom"


def test_unserialisable_body_is_a_typed_error() -> None:
    with pytest.raises(RequestBuildError, match="JSON"):
        write_request("POST", "/x", {"a": object()})


@pytest.mark.parametrize(
    ("patch_type", "content_type"),
    [
        (PatchType.JSON, "application/json-patch+json"),
        (PatchType.MERGE, "application/merge-patch+json"),
        (PatchType.STRATEGIC, "application/strategic-merge-patch+json"),
        ("application/merge-patch+json", "application/merge-patch+json"),
    ],
)
def test_patch_content_types(patch_type: PatchType | str, content_type: str) -> None:
    request = patch_request("/api/v1/nodes/n", [{"op": "remove", "path": "/x"}], patch_type)
    assert request.method == "PATCH"
    assert request.headers["Content-Type"] == content_type


def test_patch_refuses_apply_and_malformed_types() -> None:
    with pytest.raises(RequestBuildError, match="apply"):
        patch_request("/x", {}, cast(Any, PatchType.APPLY))
    with pytest.raises(RequestBuildError, match="patch_type"):
        patch_request("/x", {}, cast(Any, "text/plain; charset=utf-8"))


def test_apply_request_is_server_side_apply() -> None:
    request = apply_request(
        "/api/v1/namespaces/ns/configmaps/c",
        {"kind": "ConfigMap"},
        ApplyOptions("kubetyped-test", force=True),
    )
    assert request.method == "PATCH"
    assert request.headers["Content-Type"] == "application/apply-patch+yaml"
    assert dict(request.url.params) == {"fieldManager": "kubetyped-test", "force": "true"}
    assert orjson.loads(request.content) == {"kind": "ConfigMap"}


def test_apply_needs_a_field_manager() -> None:
    with pytest.raises(RequestBuildError, match="field_manager"):
        apply_request("/x", {}, ApplyOptions(""))


def test_delete_options_body() -> None:
    options = DeleteOptions(
        propagation_policy="Foreground",
        grace_period_seconds=0,
        preconditions=Preconditions(uid="u-1", resource_version="9"),
        dry_run=True,
    )
    request = delete_request("/api/v1/namespaces/ns/pods/p", options)
    assert request.method == "DELETE"
    assert orjson.loads(request.content) == {
        "kind": "DeleteOptions",
        "apiVersion": "v1",
        "propagationPolicy": "Foreground",
        "gracePeriodSeconds": 0,
        "preconditions": {"uid": "u-1", "resourceVersion": "9"},
        "dryRun": ["All"],
    }
    assert delete_request("/x").content == b""


def test_delete_collection_carries_list_options_as_query() -> None:
    request = delete_request(
        "/api/v1/namespaces/ns/pods", DeleteOptions(), ListOptions(label_selector="app=x")
    )
    assert request.url.params["labelSelector"] == "app=x"
    assert orjson.loads(request.content)["kind"] == "DeleteOptions"


def test_watch_requests_are_marked() -> None:
    request = watch_request(
        "/api/v1/pods", ListOptions(resource_version="5", allow_watch_bookmarks=True)
    )
    assert request.url.params["watch"] == "true"
    assert request.url.params["resourceVersion"] == "5"
    assert is_watch_request(request) and is_stream_request(request)
    plain = get_request("/api/v1/pods")
    assert not is_watch_request(plain) and not is_stream_request(plain)
    logs = build_request("GET", "/api/v1/namespaces/n/pods/p/log", stream=True)
    assert is_stream_request(logs) and not is_watch_request(logs)
    assert request.extensions[WATCH_EXTENSION] is True
    assert logs.extensions[STREAM_EXTENSION] is True


def test_explicit_timeout_becomes_a_request_extension() -> None:
    request = build_request("GET", "/x", timeout=3.0)
    assert request.extensions["timeout"] == httpx.Timeout(3.0).as_dict()
    assert "timeout" not in build_request("GET", "/x").extensions
