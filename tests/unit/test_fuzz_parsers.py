"""Property-based fuzzing of every parser (issue 18): whatever the input, only typed kubetyped
errors escape (and decoding a watch stream does not depend on where it was split).

Parsers: kubeconfig documents, watch-stream chunking, Status bodies, Quantity, Time, label
selectors (string and LabelSelector dict), and the trusted model decode path (`from_json`, then
every field read, `to_dict`, `to_json`). The number of inputs tried is printed at the end.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kubetyped.cache.selectors import parse_selector, selector_from_label_selector
from kubetyped.config import load_kubeconfig_dict
from kubetyped.errors import KubetypedError, api_error_from_response
from kubetyped.model.base import KubeModel
from kubetyped.model.scalars import Quantity, Time, parse_quantity
from kubetyped.watch import WatchDecoder
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.core_v1 import ConfigMap, Pod, PodList, Service

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
COUNT: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        total = sum(COUNT.values())
        detail = ", ".join(f"{k} {v}" for k, v in COUNT.items())
        print(f"\nfuzzing: {total} inputs ({detail}), only typed errors escaped")


def tried(name: str) -> None:
    COUNT[name] = COUNT.get(name, 0) + 1


def only_typed(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except KubetypedError:
        return None


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)

# ---- kubeconfig ----------------------------------------------------------------------------

names = st.sampled_from(["c", "u", "x", ""]) | st.text(max_size=6)
field_values = json_values | st.sampled_from(
    ["https://127.0.0.1:6443", "https://[::1", "https://h:abc", "http://u:p@h:99999", "\x00", "-1"]
)
cluster = st.fixed_dictionaries(
    {},
    optional={
        "server": field_values,
        "certificate-authority-data": field_values,
        "insecure-skip-tls-verify": field_values,
        "tls-server-name": field_values,
        "proxy-url": field_values,
        "disable-compression": field_values,
    },
)
user = st.fixed_dictionaries(
    {},
    optional={
        "token": field_values,
        "username": field_values,
        "password": field_values,
        "client-key-data": field_values,
        "client-certificate-data": field_values,
        "as": field_values,
        "as-groups": field_values,
        "auth-provider": field_values,
    },
)
kubeconfigs = st.fixed_dictionaries(
    {
        "clusters": st.lists(
            st.fixed_dictionaries({"name": names, "cluster": cluster}) | json_values, max_size=2
        ),
        "users": st.lists(
            st.fixed_dictionaries({"name": names, "user": user}) | json_values, max_size=2
        ),
        "contexts": st.lists(
            st.fixed_dictionaries(
                {"name": names, "context": st.fixed_dictionaries({"cluster": names, "user": names})}
            )
            | json_values,
            max_size=2,
        ),
        "current-context": names | json_values,
    }
) | st.dictionaries(st.text(max_size=10), json_values, max_size=4)


@FUZZ
@given(kubeconfigs)
def test_kubeconfig_documents(doc: dict[str, Any]) -> None:
    tried("kubeconfig")
    config = only_typed(load_kubeconfig_dict, doc)
    if config is not None:
        repr(config)


# ---- watch chunking ------------------------------------------------------------------------

events = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]),
            "object": st.fixed_dictionaries(
                {"metadata": st.fixed_dictionaries({"resourceVersion": st.text(max_size=5)})}
            ),
        }
    ),
    max_size=6,
)


@FUZZ
@given(
    events, st.lists(st.integers(min_value=0, max_value=400), max_size=8), st.binary(max_size=40)
)
def test_watch_stream_chunking(evs: list[dict[str, Any]], cuts: list[int], junk: bytes) -> None:
    tried("watch chunking")
    data = b"".join(orjson.dumps(e) + b"\n" for e in evs)
    whole = WatchDecoder()
    expected = whole.feed(data) + whole.finish()
    points = sorted({min(c, len(data)) for c in cuts})
    decoder = WatchDecoder()
    got = []
    start = 0
    for point in [*points, len(data)]:
        got += decoder.feed(data[start:point])
        start = point
    got += decoder.finish()
    assert got == expected and decoder.resource_version == whole.resource_version
    garbage = WatchDecoder()
    only_typed(lambda: garbage.feed(junk + b"\n") + garbage.finish())


# ---- Status bodies -------------------------------------------------------------------------


@FUZZ
@given(
    st.integers(min_value=100, max_value=599),
    st.binary(max_size=60) | json_values.map(orjson.dumps),
    st.dictionaries(st.sampled_from(["Retry-After", "Content-Type"]), st.text(max_size=10)),
)
@example(429, b"", {"Retry-After": "\u00b2"})  # found by this test: "²".isdigit() is True
def test_status_bodies(code: int, body: bytes, headers: dict[str, str]) -> None:
    tried("Status bodies")
    error = api_error_from_response(code, body, headers)
    str(error), repr(error), error.causes, error.retry_after


# ---- scalars -------------------------------------------------------------------------------


@FUZZ
@given(
    st.text(max_size=24) | st.from_regex(r"[+-]?[0-9.]{1,8}(e[+-]?[0-9]{1,3}|[KMGTPE]i?|[mnuk])?")
)
def test_quantity(text: str) -> None:
    tried("Quantity")
    only_typed(parse_quantity, text)
    q = Quantity(text)
    q == "1", q == 1, hash(q)


@FUZZ
@given(st.text(max_size=32) | st.datetimes().map(lambda d: d.isoformat()) | json_values)
def test_time(value: Any) -> None:
    tried("Time")
    only_typed(Time.from_wire, value)


@FUZZ
@given(st.text(max_size=20) | json_values)
def test_int_or_string_fields_on_the_trusted_path(value: Any) -> None:
    tried("IntOrString")
    svc = Service.from_json(orjson.dumps({"spec": {"ports": [{"port": 1, "targetPort": value}]}}))
    read_everything(svc)


# ---- selectors -----------------------------------------------------------------------------

selector_text = st.text(
    alphabet=st.sampled_from(list("abc=!,() in notin xyz-./")), max_size=30
) | st.text(max_size=20)


@FUZZ
@given(selector_text, st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=3))
def test_selector_strings(text: str, labels: dict[str, str]) -> None:
    tried("selector strings")
    selector = only_typed(parse_selector, text)
    if selector is not None:
        selector.matches(labels)


@FUZZ
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "matchLabels": json_values,
            "matchExpressions": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "key": json_values,
                        "operator": st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist", "X"])
                        | json_values,
                        "values": json_values,
                    },
                )
                | json_values,
                max_size=3,
            )
            | json_values,
        },
    )
    | json_values
)
def test_label_selector_dicts(spec: Any) -> None:
    tried("LabelSelector dicts")
    selector = only_typed(selector_from_label_selector, spec)
    if selector is not None:
        selector.matches({"a": "b"})


# ---- trusted decode ------------------------------------------------------------------------


def read_everything(value: Any, depth: int = 0) -> None:
    """Read every field of a model tree; only typed errors may come out."""
    if depth > 12:
        return
    if isinstance(value, KubeModel):
        for name in type(value).model_fields:
            with contextlib.suppress(KubetypedError):
                read_everything(getattr(value, name), depth + 1)
        only_typed(value.to_dict)
        only_typed(value.to_json)
        only_typed(repr, value)
    elif isinstance(value, list):
        for item in value:
            read_everything(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            read_everything(item, depth + 1)


metadata = st.fixed_dictionaries(
    {},
    optional={
        "name": json_values,
        "creationTimestamp": st.text(max_size=25) | json_values,
        "labels": json_values,
        "ownerReferences": json_values,
        "managedFields": json_values,
    },
)
objects = st.fixed_dictionaries(
    {},
    optional={
        "metadata": metadata | json_values,
        "spec": json_values
        | st.fixed_dictionaries(
            {},
            optional={
                "containers": json_values,
                "replicas": json_values,
                "template": json_values,
                "selector": json_values,
            },
        ),
        "status": json_values,
        "data": json_values,
        "items": st.lists(
            st.none() | metadata.map(lambda m: {"metadata": m}) | json_values, max_size=3
        ),
    },
)


@FUZZ
@given(st.sampled_from([ConfigMap, Pod, PodList, Deployment]), objects | json_values)
def test_trusted_decode(model: type[KubeModel], doc: Any) -> None:
    tried("trusted decode")
    obj = only_typed(model.from_json, orjson.dumps(doc))
    if obj is not None:
        read_everything(obj)
