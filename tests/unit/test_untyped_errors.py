"""Bad input gives typed errors (issue 18 item 5, the non-config parts).

Provenance: /work/shared/cases/reliability/case_untyped_errors.py — `selector_from_label_selector`
with wrong types raised AttributeError/TypeError; a watch ERROR event whose `code` is a string
raised ValueError in the reflector; on the trusted `from_json` path one malformed
`creationTimestamp` made every `metadata` field unreadable with a ValueError, and `metadata: []`
or `{"items":[null]}` gave AttributeError. (The kubeconfig/URL parts belong to the auth work.)
Also the reflector's reaction to the server answering again (backoff reset, issue 18 item 6).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kubetyped.backoff import BackoffManager as Backoff
from kubetyped.cache.protocols import ListResult
from kubetyped.cache.reflector_core import (
    CONNECTION_BACKOFF_CAP,
    ReflectorCore,
    Sleep,
)
from kubetyped.cache.selectors import SelectorParseError, selector_from_label_selector
from kubetyped.errors import ApiError
from kubetyped.model.jsonio import ModelDecodeError
from kubetyped.watch import decode_event
from kubetyped_kubernetes.models.core_v1 import ConfigMap, Pod, PodList


@pytest.mark.parametrize(
    "spec",
    [
        {"matchLabels": "a=b"},
        {"matchLabels": {"a": ["b"]}},
        {"matchLabels": {1: "b"}},
        {"matchExpressions": [1]},
        {"matchExpressions": "x"},
        {"matchExpressions": [{"key": "a", "operator": "In", "values": "b"}]},
        {"matchExpressions": [{"key": "a", "operator": "In"}]},
        {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["b"]}]},
        {"matchExpressions": [{"key": 3, "operator": "Exists"}]},
        {"matchExpressions": [{"key": "a", "operator": ["In"]}]},
        ["not", "a", "mapping"],
    ],
)
def test_label_selector_dicts_of_wrong_types_raise_selector_errors(spec: Any) -> None:
    with pytest.raises(SelectorParseError):
        selector_from_label_selector(spec)


def test_valid_label_selector_dict_still_matches() -> None:
    selector = selector_from_label_selector(
        {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]}
    )
    assert selector.matches({"app": "web", "tier": "x"}) and not selector.matches({"app": "web"})


class Sink:
    def __init__(self) -> None:
        self.items: list[Any] = []

    def replace(
        self,
        items: list[Any],
        resource_version: str,
        on_reject: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.items = items

    def upsert(self, obj: Any) -> None:
        pass

    def remove(self, obj: Any) -> None:
        pass


@pytest.mark.parametrize("code", [b'"oops"', b"{}", b'"410"', b"null", b"true"])
def test_watch_error_event_with_odd_code_raises_a_typed_api_error(code: bytes) -> None:
    event = decode_event(b'{"type":"ERROR","object":{"kind":"Status","code":' + code + b"}}")
    with pytest.raises(ApiError) as info:
        ReflectorCore(sink=Sink()).watch_event(event)
    assert isinstance(info.value.code, int)
    assert isinstance(event.error(), ApiError)  # the REST layer's typed error too


def test_a_bad_timestamp_poisons_only_its_own_field() -> None:
    cm = ConfigMap.from_json(
        b'{"metadata":{"name":"n","namespace":"d","creationTimestamp":"yesterday"},"data":{"k":"v"}}'
    )
    assert cm.metadata is not None
    assert cm.metadata.name == "n" and cm.metadata.namespace == "d" and cm.data == {"k": "v"}
    with pytest.raises(ModelDecodeError) as info:
        _ = cm.metadata.creation_timestamp
    assert info.value.path == "metadata.creationTimestamp" and "ObjectMeta" in str(info.value)
    assert cm.to_dict()["metadata"]["creationTimestamp"] == "yesterday"  # written back as it came
    with pytest.raises(ModelDecodeError):
        cm.model_dump()
    cm.metadata.creation_timestamp = None  # setting the field clears the error
    assert cm.metadata.creation_timestamp is None


@pytest.mark.parametrize(
    ("data", "read"),
    [
        (b'{"metadata":[]}', lambda o: o.metadata),
        (b'{"metadata":"x","kind":"ConfigMap"}', lambda o: o.metadata),
    ],
)
def test_an_object_field_of_the_wrong_shape_raises_typed(data: bytes, read: Any) -> None:
    obj = ConfigMap.from_json(data)
    with pytest.raises(ModelDecodeError) as info:
        read(obj)
    assert info.value.path == "metadata"


def test_list_items_that_are_not_objects_raise_typed() -> None:
    pods = PodList.from_json(b'{"items":[null,{"metadata":{"name":"b"}}]}')
    with pytest.raises(ModelDecodeError):
        _ = pods.items[0].metadata
    assert pods.items[1].metadata is not None and pods.items[1].metadata.name == "b"
    pod = Pod.from_json(b'{"metadata":{"name":"p"},"spec":{"containers":[5]}}')
    assert pod.metadata is not None and pod.metadata.name == "p"
    assert pod.spec is not None
    with pytest.raises(ModelDecodeError) as info:
        _ = pod.spec.containers
    assert info.value.path == "spec.containers[0]" and "Container" in str(info.value)


# ---- backoff once the server answers again (item 6) ---------------------------------------


def _core() -> ReflectorCore:
    clock = [0.0]
    core = ReflectorCore(sink=Sink(), clock=lambda: clock[0], rand=lambda: 0.0)
    core.backoff = Backoff(clock=lambda: clock[0], rand=lambda: 0.0)
    return core


def _sleeps(core: ReflectorCore) -> float:
    action = core.next_action()
    assert isinstance(action, Sleep)
    return action.seconds


def test_unreachable_server_backoff_is_capped_low_and_resets_on_success() -> None:
    core = _core()
    for _ in range(12):
        core.next_action()
        core.list_failed(ConnectionRefusedError("refused"))
        delay = _sleeps(core)
    assert delay == CONNECTION_BACKOFF_CAP  # not 30 s: recovery is noticed within seconds
    core.next_action()
    core.list_succeeded(ListResult(items=[], resource_version="5"))
    core.next_action()  # the watch
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    core.watch_ended(ConnectionResetError("cut"))
    assert _sleeps(core) == 0.8  # reset: the server had answered again


class ServerError(Exception):
    code = 500


def test_server_errors_back_off_to_30s_and_reset_after_the_first_watch_event() -> None:
    core = _core()
    for _ in range(10):
        core.next_action()
        core.list_failed(ServerError("boom"))
        delay = _sleeps(core)
    assert delay == 30.0
    core.next_action()
    core.list_succeeded(ListResult(items=[], resource_version="5"))
    call = core.next_action()
    core.watch_started(call)  # type: ignore[arg-type]
    core.watch_event(
        decode_event(b'{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"6"}}}')
    )
    core.watch_ended(ServerError("later"))
    assert _sleeps(core) == 0.8
