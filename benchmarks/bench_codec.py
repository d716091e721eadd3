"""Decode (bytes → typed objects, then reading every field) and encode (typed → JSON bytes)."""

from __future__ import annotations

import cProfile
import gc
import io
import json
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import orjson

from benchmarks import fixtures
from benchmarks.common import Ratio, Section, Table, fmt_seconds, log
from benchmarks.walkers import walk_kubetyped, walk_lightkube, walk_official, walk_plain

SLOW_RUN = 1.0  # seconds: a case whose warm-up run takes longer gets SLOW_RUNS runs
FAST_RUNS, SLOW_RUNS = 5, 3


@dataclass
class Timing:
    """Medians of one case; `stages` are cumulative times within one run (e.g. decode, +read)."""

    runs: int
    samples: list[list[float]] = field(default_factory=list)
    result: Any = None

    def median(self, stage: int = 0) -> float:
        return statistics.median(sample[stage] for sample in self.samples)


Stages = Callable[[], tuple[list[float], Any]]


def interleaved(cases: dict[str, Stages]) -> dict[str, Timing]:
    """Runs every case round-robin (so load drifts hit all alike): one warm-up, then
    FAST_RUNS runs, or SLOW_RUNS for cases whose warm-up exceeded SLOW_RUN seconds."""
    timings: dict[str, Timing] = {}
    for name, case in cases.items():
        log(f"  warm-up: {name}")
        stages, result = case()
        timings[name] = Timing(SLOW_RUNS if stages[-1] > SLOW_RUN else FAST_RUNS, result=result)
    for round_index in range(max(t.runs for t in timings.values())):
        for name, case in cases.items():
            if round_index < timings[name].runs:
                gc.collect()
                stages, _ = case()
                timings[name].samples.append(stages)
    return timings


def read_names(items: Any) -> int:
    """Reads `metadata.name` of every item (what a typical list consumer touches)."""
    count = 0
    for item in items:
        name = item["metadata"]["name"] if isinstance(item, dict) else item.metadata.name
        count += bool(name)
    return count


def staged(decode: Callable[[], Any], walk: Callable[[Any], int] | None = None) -> Stages:
    """One run, cumulative stage times: `decode()`; then (with `walk`) reading every item's
    name; then walking every field of the same objects."""

    def run() -> tuple[list[float], Any]:
        start = time.perf_counter()
        items = decode()
        decoded = time.perf_counter() - start
        if walk is None:
            return [decoded], items
        read_names(items)
        named = time.perf_counter() - start
        leaves = walk(items)
        return [decoded, named, time.perf_counter() - start], leaves

    return run


@dataclass(frozen=True)
class Kind:
    label: str
    count: int
    body: Callable[[int], bytes]
    kubetyped_list: str  # module:Class
    lightkube_resource: str
    official_list: str


KINDS = (
    Kind("Pod", 5000, fixtures.pod_list, "core_v1:PodList", "core_v1:Pod", "V1PodList"),
    Kind(
        "Deployment",
        1000,
        fixtures.deployment_list,
        "apps_v1:DeploymentList",
        "apps_v1:Deployment",
        "V1DeploymentList",
    ),
    Kind(
        "ConfigMap",
        5000,
        fixtures.config_map_list,
        "core_v1:ConfigMapList",
        "core_v1:ConfigMap",
        "V1ConfigMapList",
    ),
)


def _kubetyped_class(spec: str) -> Any:
    import importlib

    module, name = spec.split(":")
    return getattr(importlib.import_module(f"kubetyped_kubernetes.models.{module}"), name)


def _lightkube_class(spec: str) -> Any:
    import importlib

    module, name = spec.split(":")
    return getattr(importlib.import_module(f"lightkube.resources.{module}"), name)


def decode_cases(
    kind: Kind, data: bytes
) -> dict[str, tuple[Callable[[], Any], Callable[[Any], int] | None]]:
    """name → (decode function returning the items, walker for read-all or None)."""
    from kubernetes.client import ApiClient
    from lightkube.core.decoders import decode_list

    kt_list = _kubetyped_class(kind.kubetyped_list)
    lk_res = _lightkube_class(kind.lightkube_resource)
    api = ApiClient()

    def official() -> Any:
        # the official client hands `deserialize` the decoded response text
        return api.deserialize(data.decode(), kind.official_list, "application/json").items

    return {
        "orjson.loads (dicts, limit)": (lambda: orjson.loads(data)["items"], walk_plain),
        "msgspec.json.decode (dicts, limit)": (
            lambda: msgspec.json.decode(data)["items"],
            walk_plain,
        ),
        "kubetyped from_json (trusted, lazy)": (
            lambda: kt_list.from_json(data).items,
            walk_kubetyped,
        ),
        "kubetyped model_validate_json (validating)": (
            lambda: kt_list.model_validate_json(data).items,
            walk_kubetyped,
        ),
        "lightkube decode_list (msgspec)": (lambda: decode_list(data, lk_res)[2], walk_lightkube),
        "official ApiClient.deserialize": (official, walk_official),
    }


def _ratio(times: dict[str, float], a: str, b: str) -> float:
    return times[a] / times[b]


def run_decode() -> Section:
    section = Section("Decode: JSON bytes → typed objects")
    section.notes.append(
        "`decode` = bytes → the list of typed items (for kubetyped that includes `.items`). "
        "kubetyped's trusted path is lazy all the way down: `from_json` of a list does not even "
        "parse the items' JSON until an item is read, so its `decode` figure excludes parsing "
        "and is not comparable on its own; compare the next two columns. `+ read every name` "
        "adds reading `metadata.name` of every item (a typical list consumer), cumulative "
        "with decode. `decode + read all` additionally reads every attribute "
        "recursively with a generic walker (`benchmarks/walkers.py`); its cost includes the "
        "walker's own Python overhead, the same for all libraries (see the dict rows). Both "
        "columns come from the same runs (decode timed, then the walk over its result). "
        f"Median of {FAST_RUNS} runs, or {SLOW_RUNS} for cases whose warm-up took over "
        f"{SLOW_RUN:.0f} s; cases run round-robin so load changes on the shared machine hit all "
        "alike; one warm-up run first (not counted)."
    )
    for kind in KINDS:
        log(f"decode: generating {kind.count} {kind.label}s")
        data = kind.body(kind.count)
        table = Table(
            f"{kind.count:,} {kind.label}s ({len(data) / 1e6:.1f} MB JSON)",
            [
                "library / path",
                "decode",
                "+ read every name",
                "decode + read all",
                "leaves read",
                "runs",
            ],
        )
        cases = decode_cases(kind, data)
        log(f"decode: {kind.label}")
        timings = interleaved(
            {name: staged(decode, walk) for name, (decode, walk) in cases.items()}
        )
        decode_times = {name: t.median(0) for name, t in timings.items()}
        named_times = {name: t.median(1) for name, t in timings.items()}
        full_times = {name: t.median(2) for name, t in timings.items()}
        for name, timing in timings.items():
            table.add(
                name,
                fmt_seconds(decode_times[name]),
                fmt_seconds(named_times[name]),
                fmt_seconds(full_times[name]),
                timing.result,
                timing.runs,
            )
        section.tables.append(table)
        kt, lk, off = (
            "kubetyped from_json (trusted, lazy)",
            "lightkube decode_list (msgspec)",
            "official ApiClient.deserialize",
        )
        strict = kind.label == "Pod"
        section.ratios += [
            Ratio(
                f"decode {kind.count} {kind.label}s (items unparsed, see notes): kubetyped / lightkube",
                _ratio(decode_times, kt, lk),
                "<= 1.5" if strict else "",
            ),
            Ratio(
                f"decode {kind.count} {kind.label}s (items unparsed): official / kubetyped (speed-up)",
                _ratio(decode_times, off, kt),
                ">= 8" if strict else "",
            ),
            Ratio(
                f"decode+read names {kind.count} {kind.label}s: kubetyped / lightkube",
                _ratio(named_times, kt, lk),
                "<= 1.5" if kind.label == "Deployment" else "",
            ),
            Ratio(
                f"decode+read names {kind.count} {kind.label}s: official / kubetyped (speed-up)",
                _ratio(named_times, off, kt),
            ),
            Ratio(
                f"decode+read-all {kind.count} {kind.label}s: kubetyped / lightkube",
                _ratio(full_times, kt, lk),
                "<= 2" if strict else "",
            ),
            Ratio(
                f"decode+read-all {kind.count} {kind.label}s: official / kubetyped (speed-up)",
                _ratio(full_times, off, kt),
                ">= 8" if strict else "",
            ),
            Ratio(
                f"decode {kind.count} {kind.label}s (items unparsed): kubetyped / orjson.loads (limit)",
                _ratio(decode_times, kt, "orjson.loads (dicts, limit)"),
            ),
            Ratio(
                f"decode+read-all {kind.count} {kind.label}s: kubetyped / orjson dicts (limit)",
                _ratio(full_times, kt, "orjson.loads (dicts, limit)"),
            ),
        ]
    return section


def fresh(setup: Callable[[], Any], encode: Callable[[Any], bytes]) -> Stages:
    """One run: `setup()` (not timed), then `encode` of its result (timed)."""

    def run() -> tuple[list[float], Any]:
        obj = setup()
        gc.collect()
        start = time.perf_counter()
        out = encode(obj)
        return [time.perf_counter() - start], out

    return run


ENCODED_AGAIN = "kubetyped to_json, validated, encoded before (model_validate_json)"
VALIDATED_FIRST = "kubetyped to_json, validated, first encode (model_validate_json)"
READ_ALL = "kubetyped to_json, decoded + every field read"
READ_ALL_CHANGED = "kubetyped to_json, decoded + every field read + one change per Pod"


def run_encode() -> Section:
    from kubernetes.client import ApiClient
    from lightkube.core.decoders import decode_list
    from lightkube.resources.core_v1 import Pod as LightkubePod

    from kubetyped_kubernetes.models.core_v1 import PodList

    section = Section("Encode: typed objects → JSON bytes (5,000 Pods)")
    data = fixtures.pod_list(5000)
    raw = orjson.loads(data)
    validated = PodList.model_validate_json(data)
    decoded = PodList.from_json(data)
    touched = PodList.from_json(data)
    walk_kubetyped(touched.items)  # every field materialised: encodes from the model, not the raw

    def read_all_then_change() -> Any:  # the get → modify → update path, 5,000 times
        pods = PodList.from_json(data)
        walk_kubetyped(pods.items)
        for pod in pods.items:
            assert pod.spec is not None and pod.metadata is not None  # every fixture Pod has both
            pod.spec.containers[0].image = "registry.example.com/team/app:2.0.0"
            pod.metadata.labels = {**(pod.metadata.labels or {}), "rollout": "2"}
        return pods

    lightkube_items = decode_list(data, LightkubePod)[2]
    api: Any = ApiClient()
    official = api.deserialize(data.decode(), "V1PodList", "application/json")
    cases: dict[str, Stages] = {
        "orjson.dumps of dicts (limit)": staged(lambda: orjson.dumps(raw)),
        "kubetyped to_json, decoded (untouched)": staged(decoded.to_json),
        READ_ALL: staged(touched.to_json),
        READ_ALL_CHANGED: fresh(read_all_then_change, lambda pods: pods.to_json()),
        VALIDATED_FIRST: fresh(
            lambda: PodList.model_validate_json(data), lambda pods: pods.to_json()
        ),
        ENCODED_AGAIN: staged(validated.to_json),
        "lightkube msgspec.json.encode (its request path)": staged(
            lambda: msgspec.json.encode(lightkube_items)
        ),
        "official sanitize_for_serialization + json.dumps": staged(
            lambda: json.dumps(api.sanitize_for_serialization(official)).encode()
        ),
    }
    table = Table("encode 5,000 Pods", ["library / path", "encode", "output bytes", "runs"])
    log("encode: 5000 Pods")
    timings = interleaved(cases)
    times = {name: t.median() for name, t in timings.items()}
    for name, timing in timings.items():
        table.add(name, fmt_seconds(times[name]), f"{len(timing.result):,}", timing.runs)
    section.tables.append(table)
    lk = "lightkube msgspec.json.encode (its request path)"
    off = "official sanitize_for_serialization + json.dumps"
    targets = {READ_ALL: "<= 3", VALIDATED_FIRST: "<= 3", ENCODED_AGAIN: "<= 3"}
    for name in (
        "kubetyped to_json, decoded (untouched)",
        READ_ALL,
        READ_ALL_CHANGED,
        VALIDATED_FIRST,
        ENCODED_AGAIN,
    ):
        section.ratios.append(
            Ratio(
                f"encode 5000 Pods: {name.removeprefix('kubetyped ')} / lightkube",
                times[name] / times[lk],
                targets.get(name, ""),
            )
        )
        section.ratios.append(
            Ratio(
                f"encode 5000 Pods: official / {name.removeprefix('kubetyped ')} (speed-up)",
                times[off] / times[name],
            )
        )
    section.notes.append(
        "The lightkube row encodes a list of its Structs (what `msgspec.json.encode` does for a "
        "request body); output sizes differ because libraries omit or keep null/default fields "
        "differently. kubetyped `to_json` of an untouched decoded object writes back the bytes "
        "it received, so that row is a pass-through. A decoded model keeps its JSON after it is "
        "read and every assignment writes through to it, so `every field read` encodes with one "
        "`orjson.dumps` plus a hook call per changed list; `one change per Pod` changes an image "
        "and replaces the labels of every Pod before encoding (decode, read and change not "
        "timed). A model built by validation gets that wire form on its first encode (built in "
        "Python from its fields, the `first encode` row: freshly validated objects each run, "
        "validation not timed) and keeps it current afterwards (`encoded before`)."
    )
    return section


def run_profile() -> Section:
    """cProfile of kubetyped decode + read-all of 5,000 Pods, top 15 by tottime."""
    from kubetyped_kubernetes.models.core_v1 import PodList

    data = fixtures.pod_list(5000)
    walk_kubetyped(PodList.from_json(data).items)  # warm-up
    profiler = cProfile.Profile()
    profiler.enable()
    walk_kubetyped(PodList.from_json(data).items)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(15)
    section = Section(
        "Profile: kubetyped decode + read every field, 5,000 Pods (cProfile, top 15 by tottime)"
    )
    section.extra_markdown = "```\n" + out.getvalue().strip() + "\n```"
    section.notes.append(
        "cProfile adds per-call overhead, so absolute times are inflated; read it for shares. "
        "Time spent in the cyclic garbage collector is charged to whichever function happens to "
        "allocate when a collection triggers, so a builtin can look expensive here; the table "
        "below measures the collector's share directly."
    )
    section.tables.append(_gc_share(data))
    section.tables.append(_gc_anatomy(data))
    section.notes.append(
        "Where the collector's time goes: CPython 3.11 runs a full (generation 2) collection "
        "each time the objects that survived younger collections since the last full one "
        "exceed a quarter of the long-lived heap, and a full collection visits every tracked "
        "object alive. Its total cost while a cache of N objects is built therefore grows with "
        "the tracked objects each object keeps (the second table). A kubetyped model is a "
        "pydantic instance plus its attribute dict, and a materialised model also keeps its "
        "wire dict (for the byte-exact `to_json`); msgspec Structs are one object each and "
        "are not tracked when they hold only scalars."
    )
    return section


def _with_collections(
    decode: Callable[[], Any], walk: Callable[[Any], int]
) -> tuple[Any, list[int], float]:
    """`decode()` walked by `walk`; the collections per generation run meanwhile, and their
    time in generation 2."""
    counts = [0, 0, 0]
    full_time = 0.0
    started = 0.0

    def on_collect(phase: str, info: dict[str, int]) -> None:
        nonlocal full_time, started
        if phase == "start":
            started = time.perf_counter()
            return
        counts[info["generation"]] += 1
        if info["generation"] == 2:
            full_time += time.perf_counter() - started

    gc.callbacks.append(on_collect)
    try:
        result = decode()
        walk(result)
    finally:
        gc.callbacks.remove(on_collect)
    return result, counts, full_time


def _gc_anatomy(data: bytes) -> Table:
    """GC-tracked objects each decoded + fully read Pod keeps, and the collections run meanwhile."""
    from lightkube.core.decoders import decode_list
    from lightkube.resources.core_v1 import Pod as LightkubePod

    from kubetyped_kubernetes.models.core_v1 import PodList

    cases: dict[str, Callable[[], Any]] = {
        "kubetyped from_json": lambda: PodList.from_json(data).items,
        "lightkube decode_list": lambda: decode_list(data, LightkubePod)[2],
    }
    walks: dict[str, Callable[[Any], int]] = {
        "kubetyped from_json": walk_kubetyped,
        "lightkube decode_list": walk_lightkube,
    }
    table = Table(
        "decode + read all, 5,000 Pods: GC-tracked objects kept per Pod, and collections run",
        ["library", "tracked objects / Pod", "collections (gen 0 / 1 / 2)", "time in gen 2"],
    )
    for name, decode in cases.items():
        gc.collect()
        before = len(gc.get_objects())
        items, counts, full_time = _with_collections(decode, walks[name])
        gc.collect()
        kept = len(gc.get_objects()) - before
        table.add(
            name,
            f"{kept / len(items):.0f}",
            " / ".join(str(c) for c in counts),
            fmt_seconds(full_time),
        )
        del items
    return table


def _gc_share(data: bytes) -> Table:
    """decode + read-all of the same Pods with the cyclic GC on and off (median of 3 each)."""
    from lightkube.core.decoders import decode_list
    from lightkube.resources.core_v1 import Pod as LightkubePod

    from kubetyped_kubernetes.models.core_v1 import PodList

    cases: dict[str, Callable[[], Any]] = {
        "kubetyped from_json": lambda: walk_kubetyped(PodList.from_json(data).items),
        "lightkube decode_list": lambda: walk_lightkube(decode_list(data, LightkubePod)[2]),
    }
    table = Table(
        "decode + read all, 5,000 Pods, cyclic GC on vs off (median of 3)",
        ["library", "GC on", "GC off", "GC share"],
    )
    for name, fn in cases.items():
        on: list[float] = []
        off: list[float] = []
        for _ in range(3):
            for samples, enabled in ((on, True), (off, False)):
                gc.collect()
                if not enabled:
                    gc.disable()
                try:
                    start = time.perf_counter()
                    fn()
                    samples.append(time.perf_counter() - start)
                finally:
                    gc.enable()
        with_gc, without_gc = statistics.median(on), statistics.median(off)
        table.add(
            name, fmt_seconds(with_gc), fmt_seconds(without_gc), f"{1 - without_gc / with_gc:.0%}"
        )
    return table
