"""Informer memory: retained bytes per cached object, each variant in a fresh process."""

from __future__ import annotations

import json
import subprocess

from benchmarks.common import PYTHON, REPO, Ratio, Section, Table, fmt_bytes, fmt_seconds, log
from tests.cluster import ClusterInfo

VARIANTS = (
    ("dicts", "plain dicts (orjson.loads of list pages)"),
    ("lightkube", "lightkube objects (list, msgspec Structs)"),
    ("kubetyped", "kubetyped informer"),
    ("kubetyped-drop-managed-fields", "kubetyped informer + drop_managed_fields transform"),
    ("kubetyped-read-all", "kubetyped informer, after reading every field"),
)


def _measure(variant: str, kind: str, info: ClusterInfo, mode: str) -> dict[str, float]:
    result = subprocess.run(
        [PYTHON, "-m", "benchmarks.memory_child", variant, kind, str(info.kubeconfig_path), mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{variant} {kind} {mode} failed:\n{result.stderr[-1500:]}")
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("{")][-1]
    data: dict[str, float] = json.loads(line)
    return data


def run(info: ClusterInfo, kinds: dict[str, int]) -> Section:
    section = Section("Informer memory: retained bytes per cached object")
    per_object: dict[tuple[str, str, str], float] = {}
    for kind, expected in kinds.items():
        table = Table(
            f"{expected:,} {kind}s (all namespaces)",
            ["holder", "objects", "tracemalloc / object", "RSS delta / object", "load time"],
        )
        for variant, label in VARIANTS:
            log(f"informer memory: {kind} {variant}")
            try:
                traced = _measure(variant, kind, info, "tracemalloc")
                rss = _measure(variant, kind, info, "rss")
            except RuntimeError as exc:
                section.notes.append(f"{label} ({kind}): {exc}")
                continue
            objects = traced["objects"] or 1
            per_object[(kind, variant, "traced")] = traced["bytes"] / objects
            if "json_bytes" in traced:
                per_object[(kind, "json", "size")] = traced["json_bytes"] / objects
            per_object[(kind, variant, "rss")] = rss["bytes"] / (rss["objects"] or 1)
            table.add(
                label,
                int(traced["objects"]),
                fmt_bytes(per_object[(kind, variant, "traced")]),
                fmt_bytes(per_object[(kind, variant, "rss")]),
                fmt_seconds(rss["seconds"]),
            )
        section.tables.append(table)
        json_size = per_object.get((kind, "json", "size"))
        if json_size:
            table.title += f"; their JSON: {fmt_bytes(json_size)} / object"
            for variant in ("kubetyped", "kubetyped-drop-managed-fields"):
                if (kind, variant, "traced") in per_object:
                    section.ratios.append(
                        Ratio(
                            f"memory per cached {kind}, nothing read (tracemalloc): {variant} / "
                            "its JSON size",
                            per_object[(kind, variant, "traced")] / json_size,
                            "<= 2" if kind == "Pod" and variant == "kubetyped" else "",
                        )
                    )
        for variant in ("kubetyped", "kubetyped-drop-managed-fields", "kubetyped-read-all"):
            for peer in ("lightkube", "dicts"):
                key, peer_key = (kind, variant, "traced"), (kind, peer, "traced")
                if key in per_object and peer_key in per_object:
                    section.ratios.append(
                        Ratio(
                            f"memory per cached {kind} (tracemalloc): {variant} / {peer}",
                            per_object[key] / per_object[peer_key],
                            "<= 1.5"
                            if kind == "Pod" and variant == "kubetyped" and peer == "lightkube"
                            else "",
                        )
                    )
    section.notes.append(
        "Each cell is one fresh process (one run: retained memory is deterministic up to "
        "allocator noise). tracemalloc counts Python allocations still alive after the cache is "
        "loaded and `gc.collect()` (measured in its own process, since tracemalloc itself costs "
        "memory); RSS delta is measured in another process without tracemalloc and includes "
        "allocator fragmentation from the transient list pages. The kubetyped rows hold the "
        "informer's whole cache (store + namespace index + reflector); the peers have no "
        "informer, so their rows are a dict keyed by namespace/name filled from paginated lists "
        "(pages of 500). Model classes are warmed before the baseline."
    )
    return section
