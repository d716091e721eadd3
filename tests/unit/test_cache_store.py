"""Indexer, selectors, listers and metadata helpers."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from kubetyped.cache import (
    NAMESPACE_INDEX,
    Indexer,
    Lister,
    NotCachedError,
    SelectorParseError,
    drop_managed_fields,
    meta_namespace_key,
    object_meta,
    parse_selector,
)
from kubetyped.cache.selectors import selector_from_label_selector
from kubetyped.cache.store import UnknownIndexError


def cm(name: str, ns: str = "default", rv: str = "1", **labels: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": ns, "resourceVersion": rv, "labels": labels}}


def by_app(obj: Any) -> list[str]:
    app = object_meta(obj).labels.get("app")
    return [app] if app else []


def test_keys_for_dicts_models_and_cluster_scope() -> None:
    model = SimpleNamespace(
        metadata=SimpleNamespace(name="n1", namespace=None, resource_version="7", uid="u")
    )
    assert meta_namespace_key(cm("a", "ns")) == "ns/a"
    assert meta_namespace_key({"metadata": {"name": "node1"}}) == "node1"
    assert meta_namespace_key(model) == "n1"
    assert object_meta(model).resource_version == "7"


def test_indexer_crud_and_indexes() -> None:
    idx: Indexer[dict[str, Any]] = Indexer({"app": by_app})
    idx.add(cm("a", "ns1", app="web"))
    idx.add(cm("b", "ns1", app="db"))
    idx.add(cm("c", "ns2", app="web"))
    assert idx.index_keys("app", "web") == ["ns1/a", "ns2/c"]
    assert [object_meta(o).name for o in idx.by_index(NAMESPACE_INDEX, "ns1")] == ["a", "b"]
    assert idx.list_index_func_values("app") == ["db", "web"]
    # an update moves the object between index values
    idx.update(cm("a", "ns1", rv="2", app="db"))
    assert idx.index_keys("app", "web") == ["ns2/c"]
    assert idx.index_keys("app", "db") == ["ns1/a", "ns1/b"]
    assert [object_meta(o).name for o in idx.index("app", cm("x", app="db"))] == ["a", "b"]
    idx.delete(cm("c", "ns2"))
    assert idx.list_index_func_values("app") == ["db"]
    with pytest.raises(UnknownIndexError):
        idx.by_index("nope", "x")


def test_replace_is_atomic_for_concurrent_readers() -> None:
    idx: Indexer[dict[str, Any]] = Indexer()
    gen_a = [cm(f"o{i}", rv="a") for i in range(2000)]
    gen_b = [cm(f"o{i}", rv="b") for i in range(2000)]
    idx.replace(gen_a)
    stop = threading.Event()
    torn: list[set[str]] = []

    def reader() -> None:
        while not stop.is_set():
            objs = idx.list()
            rvs = {object_meta(o).resource_version for o in objs}
            if len(rvs) != 1 or len(objs) != 2000:
                torn.append(rvs)

    t = threading.Thread(target=reader)
    t.start()
    for i in range(30):
        idx.replace(gen_b if i % 2 else gen_a)
    stop.set()
    t.join()
    assert torn == []


def test_replace_returns_old_contents_and_reindexes() -> None:
    idx: Indexer[dict[str, Any]] = Indexer({"app": by_app})
    idx.add(cm("a", app="web"))
    old = idx.replace([cm("b", app="db")])
    assert list(old) == ["default/a"]
    assert idx.list_index_func_values("app") == ["db"]


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        ("app=web", {"app": "web"}, True),
        ("app==web", {"app": "db"}, False),
        ("app!=web", {}, True),
        ("app!=web", {"app": "web"}, False),
        ("env in (prod, staging)", {"env": "staging"}, True),
        ("env in (prod,staging)", {}, False),
        ("env notin (prod)", {}, True),
        ("env notin (prod)", {"env": "prod"}, False),
        ("tier", {"tier": "x"}, True),
        ("!tier", {"tier": "x"}, False),
        ("!tier", {}, True),
        ("app=web,!canary,env in (a,b)", {"app": "web", "env": "b"}, True),
        ("example.com/team=a", {"example.com/team": "a"}, True),
        ("", {"x": "y"}, True),
    ],
)
def test_selector_matching(selector: str, labels: dict[str, str], expected: bool) -> None:
    assert parse_selector(selector).matches(labels) is expected


@pytest.mark.parametrize("bad", ["app=", "=x", "a in b", "a in (x", "a b", "a,,b", "a=b c"])
def test_selector_errors(bad: str) -> None:
    if bad == "app=":  # empty value is valid
        assert parse_selector(bad).matches({"app": ""})
        return
    with pytest.raises(SelectorParseError, match="invalid label selector"):
        parse_selector(bad)


def test_selector_roundtrip_and_structured_form() -> None:
    sel = parse_selector("b in (y,x),a=1,!c")
    assert str(parse_selector(str(sel))) == str(sel)
    structured = selector_from_label_selector(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}],
        }
    )
    assert structured.matches({"app": "web", "env": "dev"})
    assert not structured.matches({"app": "web", "env": "prod"})
    with pytest.raises(SelectorParseError, match="Bogus"):
        selector_from_label_selector({"matchExpressions": [{"key": "k", "operator": "Bogus"}]})


def test_lister_queries() -> None:
    idx: Indexer[dict[str, Any]] = Indexer({"app": by_app})
    idx.replace([cm("a", "ns1", app="web"), cm("b", "ns2", app="web"), cm("c", "ns1")])
    lister = Lister(idx)
    assert {object_meta(o).name for o in lister.list("app=web")} == {"a", "b"}
    ns1 = lister.namespaced("ns1")
    assert {object_meta(o).name for o in ns1.list()} == {"a", "c"}
    assert object_meta(ns1.get("a")).name == "a"
    with pytest.raises(NotCachedError, match="ns1/b"):
        ns1.get("b")
    assert ns1.get_or_none("b") is None
    assert [object_meta(o).name for o in ns1.by_index("app", "web")] == ["a"]


def test_drop_managed_fields_does_not_mutate_input() -> None:
    obj = {"metadata": {"name": "a", "managedFields": [{"manager": "x"}]}, "data": {}}
    out = drop_managed_fields(obj)
    assert "managedFields" not in out["metadata"]
    assert "managedFields" in obj["metadata"]
    assert drop_managed_fields(out) is out
