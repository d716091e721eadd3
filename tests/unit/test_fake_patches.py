"""JSON patch, merge patch and strategic merge patch as pure functions."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubetyped.fake.patches import (
    PatchError,
    PatchFormatError,
    json_patch,
    merge_patch,
    strategic_merge_patch,
)
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.core_v1 import Pod


def test_json_patch_six_operations() -> None:
    doc = {"a": {"b": 1}, "l": [1, 2, 3]}
    before = copy.deepcopy(doc)
    result = json_patch(
        doc,
        [
            {"op": "add", "path": "/a/c", "value": 2},
            {"op": "add", "path": "/l/-", "value": 4},
            {"op": "add", "path": "/l/0", "value": 0},
            {"op": "remove", "path": "/l/1"},
            {"op": "replace", "path": "/a/b", "value": 10},
            {"op": "copy", "from": "/a/b", "path": "/copied"},
            {"op": "move", "from": "/a/c", "path": "/moved"},
            {"op": "test", "path": "/moved", "value": 2},
            {"op": "add", "path": "/a~1b", "value": "slash"},
        ],
    )
    assert result == {"a": {"b": 10}, "l": [0, 2, 3, 4], "copied": 10, "moved": 2, "a/b": "slash"}
    assert doc == before  # the input is not mutated


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "test", "path": "/a", "value": 2},
        {"op": "remove", "path": "/missing"},
        {"op": "replace", "path": "/missing", "value": 1},
        {"op": "add", "path": "/l/9", "value": 1},
        {"op": "add", "path": "/missing/x", "value": 1},
        {"op": "move", "from": "/m", "path": "/m/x"},
    ],
)
def test_json_patch_failures_are_patch_errors(operation: dict[str, Any]) -> None:
    with pytest.raises(PatchError):
        json_patch({"a": 1, "l": [], "m": {}}, [operation])


@pytest.mark.parametrize("patch", [{"op": "add"}, [{"path": "/a"}], [{"op": "nope", "path": "/a"}]])
def test_json_patch_malformed(patch: Any) -> None:
    with pytest.raises(PatchFormatError):
        json_patch({"a": 1}, patch)


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [  # RFC 7386 appendix A
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_merge_patch_rfc7386_examples(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


def _pod() -> dict[str, Any]:
    return {
        "metadata": {"name": "p", "finalizers": ["a", "b"], "labels": {"x": "1"}},
        "spec": {
            "containers": [
                {"name": "main", "image": "nginx:1", "args": ["-v"]},
                {"name": "side", "image": "busybox"},
            ],
            "tolerations": [{"key": "k", "operator": "Exists"}],
        },
    }


def test_strategic_merge_merges_containers_by_name() -> None:
    patch = {
        "spec": {
            "containers": [{"name": "main", "image": "nginx:2"}, {"name": "new", "image": "x"}]
        }
    }
    result = strategic_merge_patch(_pod(), patch, Pod)
    assert result["spec"]["containers"] == [
        {"name": "main", "image": "nginx:2", "args": ["-v"]},
        {"name": "side", "image": "busybox"},
        {"name": "new", "image": "x"},
    ]


def test_strategic_merge_replaces_lists_without_merge_strategy() -> None:
    # tolerations have no patch strategy: replaced whole; container args are atomic too
    patch = {
        "spec": {"tolerations": [{"key": "other"}], "containers": [{"name": "main", "args": []}]}
    }
    result = strategic_merge_patch(_pod(), patch, Pod)
    assert result["spec"]["tolerations"] == [{"key": "other"}]
    assert result["spec"]["containers"][0]["args"] == []


def test_strategic_merge_directives() -> None:
    patch = {
        "metadata": {
            "$deleteFromPrimitiveList/finalizers": ["a"],
            "labels": {"$patch": "replace", "y": "2"},
        },
        "spec": {
            "containers": [{"name": "side", "$patch": "delete"}],
            "$setElementOrder/containers": [{"name": "main"}],
        },
    }
    result = strategic_merge_patch(_pod(), patch, Pod)
    assert result["metadata"]["finalizers"] == ["b"]
    assert result["metadata"]["labels"] == {"y": "2"}
    assert [c["name"] for c in result["spec"]["containers"]] == ["main"]


def test_strategic_merge_list_replace_directive_and_null_deletes() -> None:
    patch = {
        "spec": {"containers": [{"$patch": "replace"}, {"name": "only"}]},
        "metadata": {"labels": None},
    }
    result = strategic_merge_patch(_pod(), patch, Pod)
    assert result["spec"]["containers"] == [{"name": "only"}]
    assert "labels" not in result["metadata"]


def test_strategic_merge_retain_keys() -> None:
    # Deployment.spec.strategy has patch strategy retainKeys
    original = {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}}}
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    result = strategic_merge_patch(original, patch, Deployment)
    assert result["spec"]["strategy"] == {"type": "Recreate"}


def test_strategic_merge_scalar_merge_list_is_a_union() -> None:
    # metadata.finalizers has patch strategy merge and no merge key
    result = strategic_merge_patch(_pod(), {"metadata": {"finalizers": ["b", "c"]}}, Pod)
    assert result["metadata"]["finalizers"] == ["a", "b", "c"]
