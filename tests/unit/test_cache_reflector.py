"""The sans-IO reflector state machine: requests it asks for and how it applies results."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kubetyped import errors
from kubetyped.backoff import BackoffManager
from kubetyped.cache import ListResult, WatchEvent
from kubetyped.cache.reflector_core import ListCall, ReflectorCore, Sleep, WatchCall
from kubetyped.errors import ApiError, api_error_from_status


def ApiErr(code: int, message: str = "") -> ApiError:
    """The typed error the REST layer raises for a `Status` with this code and message."""
    return api_error_from_status({"kind": "Status", "code": code, "message": message})


def ExpiredError(message: str) -> ApiError:
    return api_error_from_status(
        {"kind": "Status", "code": 410, "reason": "Expired", "message": message}
    )


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Sink:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def replace(
        self,
        items: list[Any],
        resource_version: str,
        on_reject: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.calls.append(("replace", ([name(i) for i in items], resource_version)))

    def upsert(self, obj: Any) -> None:
        self.calls.append(("upsert", name(obj)))

    def remove(self, obj: Any) -> None:
        self.calls.append(("remove", name(obj)))


def name(obj: Any) -> str:
    return str(obj["metadata"]["name"])


def obj(n: str, rv: str) -> dict[str, Any]:
    return {"metadata": {"name": n, "namespace": "ns", "resourceVersion": rv}}


def bookmark(rv: str, end: bool = False) -> WatchEvent[Any]:
    meta: dict[str, Any] = {"resourceVersion": rv}
    if end:
        meta["annotations"] = {"k8s.io/initial-events-end": "true"}
    return WatchEvent("BOOKMARK", {"metadata": meta})


def make(rand: float = 0.5, **kw: Any) -> tuple[ReflectorCore, Sink, Clock]:
    sink, clock = Sink(), Clock()
    core = ReflectorCore(sink=sink, clock=clock, rand=lambda: rand, **kw)
    return core, sink, clock


def synced(core: ReflectorCore, rv: str = "10") -> None:
    core.next_action()
    core.list_succeeded(ListResult([obj("a", "5")], rv))


def test_initial_list_paginates_then_watches_with_bookmarks() -> None:
    core, sink, _ = make()
    first = core.next_action()
    assert first == ListCall(first.options)  # a list
    assert isinstance(first, ListCall)
    assert (first.options.resource_version, first.options.limit) == ("0", 500)
    core.list_succeeded(ListResult([obj("a", "3")], "10", "tok1"))
    page2 = core.next_action()
    assert isinstance(page2, ListCall)
    assert page2.options.continue_ == "tok1" and page2.options.resource_version is None
    assert sink.calls == []  # nothing visible before the list is complete
    core.list_succeeded(ListResult([obj("b", "4")], "10", None))
    assert sink.calls == [("replace", (["a", "b"], "10"))]
    watch = core.next_action()
    assert isinstance(watch, WatchCall) and not watch.streaming
    assert watch.options.resource_version == "10"
    assert watch.options.allow_watch_bookmarks is True
    assert core.last_sync_resource_version == "10"


@pytest.mark.parametrize("rand", [0.0, 0.5, 0.999999])
def test_watch_timeout_in_300_600(rand: float) -> None:
    core, _, _ = make(rand=rand)
    synced(core)
    action = core.next_action()
    assert isinstance(action, WatchCall)
    assert action.options.timeout_seconds is not None
    assert 300 <= action.options.timeout_seconds < 600


def test_expired_continue_token_falls_back_to_full_list() -> None:
    core, sink, _ = make()
    core.next_action()
    core.list_succeeded(ListResult([obj("a", "3")], "10", "tok1"))
    core.next_action()
    core.list_failed(ApiErr(410, "continue token expired"))
    full = core.next_action()
    assert isinstance(full, ListCall)
    assert full.options.limit is None and full.options.continue_ is None
    assert full.options.resource_version == "0"
    core.list_succeeded(ListResult([obj("a", "3"), obj("b", "4")], "12"))
    assert sink.calls == [("replace", (["a", "b"], "12"))]
    nxt = core.next_action()
    assert isinstance(nxt, WatchCall)
    core.watch_started(nxt)
    core.watch_ended(ApiErr(500))
    core.next_action()
    relist = core.next_action()  # the server paginated before: keep paginating
    assert isinstance(relist, ListCall) and relist.options.limit == 500


@pytest.mark.parametrize(
    "error",
    [ApiErr(410), ExpiredError("gone"), ApiErr(504, "Too large resource version: 99, current: 50")],
)
def test_list_expired_or_too_large_relists_with_empty_rv(error: Exception) -> None:
    core, _, _ = make()
    synced(core)
    core.next_action()
    core.watch_started(WatchCall(core._watch_options("10")))
    core.watch_ended(ApiErr(500))  # some watch failure: relist from last RV
    assert isinstance(core.next_action(), Sleep)
    relist = core.next_action()
    assert isinstance(relist, ListCall) and relist.options.resource_version == "10"
    assert relist.options.limit is None  # served "not older than", not "exact"
    core.list_failed(error)
    assert isinstance(core.next_action(), Sleep)
    again = core.next_action()
    assert isinstance(again, ListCall) and again.options.resource_version == ""
    assert again.options.limit == 500
    core.list_succeeded(ListResult([], "20"))
    core.next_action()
    core.watch_ended(ApiErr(500))
    core.next_action()
    later = core.next_action()
    assert isinstance(later, ListCall) and later.options.resource_version == "20"


def test_watch_events_and_bookmarks_track_resource_version() -> None:
    core, sink, clock = make()
    synced(core)
    call = core.next_action()
    assert isinstance(call, WatchCall)
    core.watch_started(call)
    core.watch_event(WatchEvent("ADDED", obj("b", "11")))
    core.watch_event(WatchEvent("MODIFIED", obj("b", "12")))
    core.watch_event(bookmark("15"))
    assert core.last_sync_resource_version == "15"
    core.watch_event(WatchEvent("DELETED", obj("b", "16")))
    assert sink.calls[1:] == [("upsert", "b"), ("upsert", "b"), ("remove", "b")]
    clock.now += 300
    core.watch_ended(None)  # server timeout: re-watch at once from the last RV
    rewatch = core.next_action()
    assert isinstance(rewatch, WatchCall) and rewatch.options.resource_version == "16"


def test_watch_410_relists_from_last_rv_after_backoff() -> None:
    core, _, _ = make()
    synced(core)
    call = core.next_action()
    assert isinstance(call, WatchCall)
    core.watch_started(call)
    with pytest.raises(errors.ExpiredError) as info:
        core.watch_event(
            WatchEvent(
                "ERROR", {"kind": "Status", "code": 410, "reason": "Expired", "message": "too old"}
            )
        )
    core.watch_ended(info.value)
    assert isinstance(core.next_action(), Sleep)
    relist = core.next_action()
    assert isinstance(relist, ListCall) and relist.options.resource_version == "10"


def test_watch_429_backs_off_and_rewatches() -> None:
    errors: list[BaseException] = []
    core, _, _ = make(on_error=errors.append)
    synced(core)
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    core.watch_ended(ApiErr(429))
    sleep = core.next_action()
    assert isinstance(sleep, Sleep) and sleep.seconds >= 0.8
    assert isinstance(core.next_action(), WatchCall)
    assert len(errors) == 1


def test_very_short_empty_watch_counts_as_failure() -> None:
    core, _, _ = make()
    synced(core)
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    core.watch_ended(None)
    assert isinstance(core.next_action(), Sleep)
    assert isinstance(core.next_action(), ListCall)


def test_backoff_sequence_with_jitter_bounds_and_reset() -> None:
    clock = Clock()
    for rand in (0.0, 0.999):
        b = BackoffManager(clock=clock, rand=lambda r=rand: r)
        bases = [0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 30.0, 30.0]
        for base in bases:
            delay = b.next_delay()
            assert base <= delay < 2 * base
            assert delay == pytest.approx(base * (1 + rand))
            clock.now += 1
        clock.now += 121  # two minutes of health reset the sequence
        assert b.next_delay() == pytest.approx(0.8 * (1 + rand))


def test_repeated_list_failures_follow_backoff() -> None:
    core, _, clock = make(rand=0.0)
    sleeps = []
    for _ in range(5):
        assert isinstance(core.next_action(), ListCall)
        core.list_failed(ApiErr(500))
        action = core.next_action()
        assert isinstance(action, Sleep)
        sleeps.append(action.seconds)
        clock.now += action.seconds
    assert sleeps == pytest.approx([0.8, 1.6, 3.2, 6.4, 12.8])


def test_streaming_list_completes_at_initial_events_end_bookmark() -> None:
    core, sink, _ = make(use_watch_list=True)
    call = core.next_action()
    assert isinstance(call, WatchCall) and call.streaming
    assert call.options.send_initial_events is True
    assert call.options.resource_version_match == "NotOlderThan"
    assert call.options.resource_version == ""
    assert call.options.allow_watch_bookmarks is True
    core.watch_started(call)
    core.watch_event(WatchEvent("ADDED", obj("a", "5")))
    core.watch_event(WatchEvent("ADDED", obj("b", "6")))
    core.watch_event(bookmark("7"))  # an ordinary bookmark does not finish the list
    assert sink.calls == []
    core.watch_event(bookmark("8", end=True))
    assert sink.calls == [("replace", (["a", "b"], "8"))]
    core.watch_event(WatchEvent("MODIFIED", obj("a", "9")))  # same stream goes on
    assert sink.calls[-1] == ("upsert", "a")
    assert core.last_sync_resource_version == "9"


def test_streaming_rejected_falls_back_to_list_then_watch() -> None:
    core, sink, _ = make(use_watch_list=True)
    call = core.next_action()
    assert isinstance(call, WatchCall)
    core.watch_started(call)
    core.watch_ended(ApiErr(422, "sendInitialEvents is forbidden"))
    listing = core.next_action()
    assert isinstance(listing, ListCall) and listing.options.resource_version == "0"
    core.list_succeeded(ListResult([obj("a", "1")], "3"))
    assert sink.calls == [("replace", (["a"], "3"))]
    core.next_action()
    core.watch_ended(ApiErr(500))
    core.next_action()
    # streaming stays off for good
    assert isinstance(core.next_action(), ListCall)


def test_streaming_interrupted_uses_one_list_round_then_streams_again() -> None:
    core, sink, _ = make(use_watch_list=True)
    call = core.next_action()
    assert isinstance(call, WatchCall)
    core.watch_started(call)
    core.watch_event(WatchEvent("ADDED", obj("a", "5")))
    core.watch_ended(ConnectionResetError("cut"))
    assert sink.calls == []  # partial initial events are discarded
    assert isinstance(core.next_action(), Sleep)
    assert isinstance(core.next_action(), ListCall)
    core.list_succeeded(ListResult([obj("a", "5")], "6"))
    core.next_action()
    core.watch_ended(ApiErr(500))
    core.next_action()
    again = core.next_action()
    assert isinstance(again, WatchCall) and again.streaming
    assert again.options.resource_version == "6"


def test_transform_applies_to_list_and_watch_objects() -> None:
    def tag(o: dict[str, Any]) -> dict[str, Any]:
        return {**o, "metadata": {**o["metadata"], "name": o["metadata"]["name"] + "!"}}

    core, sink, _ = make(transform=tag)
    core.next_action()
    core.list_succeeded(ListResult([obj("a", "1")], "2"))
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    core.watch_event(WatchEvent("ADDED", obj("b", "3")))
    assert sink.calls == [("replace", (["a!"], "2")), ("upsert", "b!")]


def test_list_objects_the_transform_rejects_are_reported_and_left_out() -> None:
    # newcomer review (session 2): one rejected object made the whole list fail, so the
    # informer never synced and a relist after 410 froze the cache.
    from kubetyped.cache import TransformError
    from kubetyped.cache.reflector_core import NeedsWatch

    def no_odd(o: dict[str, Any]) -> dict[str, Any]:
        if o["metadata"]["name"].startswith("odd"):
            raise ValueError("odd")
        return o

    errors: list[BaseException] = []
    core, sink, _ = make(transform=no_odd, on_error=errors.append)
    core.next_action()
    core.list_succeeded(ListResult([obj("a", "1"), obj("odd1", "2")], "5", "tok"))
    core.next_action()
    core.list_succeeded(ListResult([obj("odd2", "3"), obj("b", "4")], "5"))
    assert sink.calls == [("replace", (["a", "b"], "5"))]
    assert core.state == NeedsWatch() and core.last_sync_resource_version == "5"
    assert [(type(e), e.key) for e in errors] == [
        (TransformError, "ns/odd1"),
        (TransformError, "ns/odd2"),
    ]  # type: ignore[attr-defined]
    # a relist after 410 stores the new list too (it used to keep failing: a frozen cache)
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    core.watch_ended(ApiErr(410))
    assert isinstance(core.next_action(), Sleep)
    core.next_action()
    core.list_succeeded(ListResult([obj("odd1", "6"), obj("c", "7")], "8"))
    assert sink.calls[-1] == ("replace", (["c"], "8")) and core.state == NeedsWatch()


def test_list_objects_the_store_rejects_are_reported_through_on_reject() -> None:
    import time

    from kubetyped.cache.informer_core import InformerCore
    from kubetyped.cache.store import Indexer, IndexFuncError

    errors: list[BaseException] = []
    informer: InformerCore[Any] = InformerCore(
        Indexer({"team": lambda o: [o["metadata"]["labels"]["team"]]}), time.monotonic
    )
    core = ReflectorCore(sink=informer, on_error=errors.append)
    core.next_action()
    good = {**obj("a", "1"), "metadata": {**obj("a", "1")["metadata"], "labels": {"team": "x"}}}
    core.list_succeeded(ListResult([good, obj("bad", "2")], "3"))
    assert informer.has_synced() and informer.indexer.list_keys() == ["ns/a"]
    assert [type(e) for e in errors] == [IndexFuncError] and core.last_error is errors[0]


# ---- explicit states (issue 11 §2: kube-rs watcher State as the model) -----------------------


def test_states_follow_list_and_watch() -> None:
    from kubetyped.cache.reflector_core import Listing, NeedsList, NeedsWatch, Watching

    core, _, clock = make()
    assert core.state == NeedsList() and core.phase == "list"
    core.next_action()
    assert core.state == Listing("0", paginate=True)
    core.list_succeeded(ListResult([obj("a", "3")], "10", "tok1"))
    state = core.state
    assert isinstance(state, Listing) and state.continue_token == "tok1"
    assert state.resource_version == "0" and [name(i) for i in state.items] == ["a"]
    core.next_action()
    core.list_succeeded(ListResult([obj("b", "4")], "10"))
    assert core.state == NeedsWatch() and core.phase == "watch"
    call = core.next_action()
    assert isinstance(call, WatchCall)
    clock.now = 7.0
    core.watch_started(call)
    core.watch_event(WatchEvent("ADDED", obj("c", "11")))
    assert core.state == Watching(started=7.0, events=1)


@pytest.mark.parametrize(
    ("error", "then"), [(ApiErr(429), "NeedsWatch"), (ApiErr(500), "NeedsList")]
)
def test_failed_watch_backs_off_into_the_next_state(error: Exception, then: str) -> None:
    from kubetyped.cache.reflector_core import BackingOff

    core, _, _ = make()
    synced(core)
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    core.watch_ended(error)
    state = core.state
    assert isinstance(state, BackingOff) and type(state.then).__name__ == then
    sleep = core.next_action()
    assert isinstance(sleep, Sleep) and sleep.seconds == state.seconds
    assert type(core.state).__name__ == then


def test_streaming_list_state_holds_the_initial_items_until_the_end_bookmark() -> None:
    from kubetyped.cache.reflector_core import StreamingList, Watching

    core, sink, _ = make(use_watch_list=True)
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    core.watch_event(WatchEvent("ADDED", obj("a", "5")))
    state = core.state
    assert isinstance(state, StreamingList) and list(state.items) == ["ns/a"]
    core.watch_event(bookmark("8", end=True))
    assert core.state == Watching(state.started, events=2)
    assert sink.calls == [("replace", (["a"], "8"))]


def test_results_the_state_cannot_have_asked_for_are_refused() -> None:
    import dataclasses

    from kubetyped.cache.reflector_core import Listing, ReflectorStateError

    core, sink, _ = make()
    synced(core)
    core.watch_started(core.next_action())  # type: ignore[arg-type]
    with pytest.raises(ReflectorStateError, match="Watching"):
        core.list_succeeded(ListResult([obj("x", "1")], "99"))
    with pytest.raises(ReflectorStateError):
        core.list_failed(ApiErr(500))
    core.watch_ended(ApiErr(500))  # BackingOff: a watch outcome cannot arrive now
    with pytest.raises(ReflectorStateError, match="BackingOff"):
        core.watch_event(WatchEvent("ADDED", obj("y", "2")))
    assert sink.calls == [("replace", (["a"], "10"))]  # nothing applied
    with pytest.raises(dataclasses.FrozenInstanceError):
        Listing("0", paginate=True).continue_token = "t"  # type: ignore[misc]
