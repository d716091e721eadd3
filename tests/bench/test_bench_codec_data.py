"""The benchmark's data and read-all walkers (benchmarks/fixtures.py, benchmarks/walkers.py).

`decode + read all` compares libraries only if every walker reads every field: each walker
returns the non-None leaves it read, and on the same fixture every library must give the count
an independent walk of the JSON gives (a walker that skips a field, or a lazy model that hides
one, reads fewer). The fixtures must be JSON every library decodes, the same bytes on every
call (each benchmark process regenerates them), and kubetyped must write them back byte for
byte. Small counts; no timing. The peers (lightkube, kubernetes: `pip install -e '.[bench]'`)
are optional: their tests skip when they are missing (`make test`'s venv has only `[dev]`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from benchmarks import fixtures
from benchmarks.walkers import walk_kubetyped, walk_plain
from kubetyped.model import KubeModel
from kubetyped_kubernetes.models.apps_v1 import DeploymentList
from kubetyped_kubernetes.models.core_v1 import ConfigMapList, PodList

COUNT = 3
# fixture list body, kubetyped list model, lightkube resource, official client list type
KINDS: dict[str, tuple[Callable[[int], bytes], Any, str, str]] = {
    "Pod": (fixtures.pod_list, PodList, "core_v1:Pod", "V1PodList"),
    "Deployment": (
        fixtures.deployment_list,
        DeploymentList,
        "apps_v1:Deployment",
        "V1DeploymentList",
    ),
    "ConfigMap": (fixtures.config_map_list, ConfigMapList, "core_v1:ConfigMap", "V1ConfigMapList"),
}


def json_leaves(text: bytes) -> int:
    """Non-None scalars of the items of a list body, counted from the stdlib's parse without
    recursion (independent of `walkers._walk_container`)."""
    stack: list[Any] = [json.loads(text)["items"]]
    count = 0
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif value is not None:
            count += 1
    return count


def disagreeing(counts: dict[str, int], expected: int) -> dict[str, int]:
    """The walkers whose count differs from the JSON's."""
    return {name: count for name, count in counts.items() if count != expected}


def kubetyped_counts(data: bytes, model: Any) -> dict[str, int]:
    return {
        "plain dicts (orjson)": walk_plain(orjson.loads(data)["items"]),
        "kubetyped from_json": walk_kubetyped(model.from_json(data).items),
        "kubetyped model_validate_json": walk_kubetyped(model.model_validate_json(data).items),
    }


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kubetyped_walker_reads_every_leaf(kind: str) -> None:
    body, model, _, _ = KINDS[kind]
    data = body(COUNT)
    expected = json_leaves(data)
    assert expected > 50 * COUNT if kind != "ConfigMap" else expected > 20 * COUNT
    assert disagreeing(kubetyped_counts(data, model), expected) == {}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_library_reads_the_same_leaves(kind: str) -> None:
    pytest.importorskip("lightkube", reason="bench extra (lightkube) not installed")
    pytest.importorskip("kubernetes", reason="bench extra (kubernetes) not installed")
    from benchmarks.bench_codec import KINDS as BENCH_KINDS
    from benchmarks.bench_codec import decode_cases

    bench_kind = next(k for k in BENCH_KINDS if k.label == kind)
    data = bench_kind.body(COUNT)
    cases = decode_cases(bench_kind, data)
    assert {"lightkube decode_list (msgspec)", "official ApiClient.deserialize"} <= set(cases)
    counts = {}
    for name, (decode, walk) in cases.items():
        assert walk is not None, name
        counts[name] = walk(decode())
    assert disagreeing(counts, json_leaves(data)) == {}


def test_a_walker_that_skips_a_field_is_caught() -> None:
    """The check above fails for a walker that misses one field (`image`: two containers and
    two container statuses per Pod)."""

    def skips_image(value: Any) -> int:
        if isinstance(value, KubeModel):
            names = [n for n in type(value).__pydantic_fields__ if n != "image"]
            return sum(skips_image(getattr(value, n)) for n in names)
        if isinstance(value, list):
            return sum(skips_image(v) for v in value)
        if isinstance(value, dict):
            return sum(skips_image(v) for v in value.values())
        return value is not None

    data = fixtures.pod_list(COUNT)
    expected = json_leaves(data)
    pods = PodList.from_json(data).items
    found = disagreeing({"skips image": skips_image(pods), "all": walk_kubetyped(pods)}, expected)
    assert found == {"skips image": expected - 4 * COUNT}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_fixtures_are_deterministic_json(kind: str) -> None:
    body = KINDS[kind][0]
    data = body(COUNT)
    assert data == body(COUNT)  # every benchmark process regenerates the same bytes
    decoded = json.loads(data)
    assert decoded["kind"] == f"{kind}List" and len(decoded["items"]) == COUNT
    names = [item["metadata"]["name"] for item in decoded["items"]]
    assert len(set(names)) == COUNT
    assert all(item["kind"] == kind for item in decoded["items"])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kubetyped_writes_the_fixtures_back_byte_for_byte(kind: str) -> None:
    body, model, _, _ = KINDS[kind]
    data = body(COUNT)
    untouched = model.from_json(data)
    assert untouched.to_json() == data
    read = model.from_json(data)
    walk_kubetyped(read.items)  # every field materialised: encoded from the models
    assert read.to_json() == data
    # a validated model writes its fields in its own order: the same JSON, not the same bytes
    assert orjson.loads(model.model_validate_json(data).to_json()) == orjson.loads(data)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_library_decodes_the_fixtures(kind: str) -> None:
    pytest.importorskip("lightkube", reason="bench extra (lightkube) not installed")
    pytest.importorskip("kubernetes", reason="bench extra (kubernetes) not installed")
    import importlib

    from kubernetes.client import ApiClient
    from lightkube.core.decoders import decode_list

    body, model, lightkube_resource, official_list = KINDS[kind]
    data = body(COUNT)
    names = [item["metadata"]["name"] for item in json.loads(data)["items"]]
    module, name = lightkube_resource.split(":")
    resource = getattr(importlib.import_module(f"lightkube.resources.{module}"), name)
    lightkube_items = decode_list(data, resource)[2]
    official_items = ApiClient().deserialize(data.decode(), official_list, "application/json").items
    kubetyped_items = model.from_json(data).items
    for items in (lightkube_items, official_items, kubetyped_items):
        assert [item.metadata.name for item in items] == names
