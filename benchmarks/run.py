"""`make bench`: every benchmark, printed as tables and written to benchmarks/results.md.

    python benchmarks/run.py [--only import,decode,...] [--output PATH]

Figures are medians over several runs; comparisons are ratios measured in the same run.
This is a measurement, not a test: nothing here fails on a threshold.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    PYTHON,
    REPO,
    Ratio,
    Section,
    Table,
    fmt_ratio,
    log,
    machine,
    package_versions,
    render_table,
)

_START_LOAD = os.getloadavg() if hasattr(os, "getloadavg") else ()
SECTIONS = ("import", "decode", "encode", "profile", "codegen", "cluster", "metadata", "scale")
LIST_NS, EXTRA_CM_NS, POD_NS = "bench-list", "bench-cm", "bench-pods"
METADATA_TIMEOUT = 180

# The rows of issue 16's table, each with the ratios of this run that measure it.
ISSUE_16_ROWS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    (
        "informer memory per cached Pod, nothing read: <= 2x its JSON",
        lambda m: (
            m == "memory per cached Pod, nothing read (tracemalloc): kubetyped / its JSON size"
        ),
    ),
    (
        "informer sync time: <= 2x client-go",
        lambda m: m.startswith("informer sync, ") and m.endswith("kubetyped / client-go"),
    ),
    (
        "encode after reading every field, 5,000 Pods: <= 3x lightkube",
        lambda m: m == "encode 5000 Pods: to_json, decoded + every field read / lightkube",
    ),
    (
        "encode of user-built validated models: <= 3x lightkube",
        lambda m: (
            m.startswith("encode 5000 Pods: to_json, validated") and m.endswith("/ lightkube")
        ),
    ),
    (
        "decode + read every field, 5,000 Pods: <= 2x lightkube",
        lambda m: m == "decode+read-all 5000 Pods: kubetyped / lightkube",
    ),
    (
        "decode + read every name, 1,000 Deployments: <= 1.5x lightkube",
        lambda m: m == "decode+read names 1000 Deployments: kubetyped / lightkube",
    ),
    (
        "import + client + Pod: <= 1.15x lightkube",
        lambda m: m == "import+client+Pod: kubetyped / lightkube",
    ),
)


def issue_rows(ratios: list[Ratio]) -> list[str]:
    """Markdown rows: each row of issue 16's table with the ratios of this run that measure it
    (`not measured in this run` when a section did not run or failed)."""
    lines = []
    for row, matches in ISSUE_16_ROWS:
        found = [r for r in ratios if matches(r.measure)]
        if not found:
            lines.append(f"| {row} | not measured in this run | | |")
        for r in found:
            lines.append(
                f"| {row} | {r.measure}: {fmt_ratio(r.value)} | {r.target} | {r.verdict()} |"
            )
    return lines


LIST_COUNT, EXTRA_CM_COUNT, POD_COUNT, WATCH_EVENTS = 5000, 5000, 5000, 2000


def _cluster_sections(selected: set[str], args: argparse.Namespace) -> list[Section]:
    from benchmarks import bench_scale, cluster_env

    with cluster_env.cluster() as info:
        if info is None:
            skipped = Section("Cluster benchmarks")
            skipped.notes.append(
                "kube-apiserver/etcd binaries missing (`make cluster-binaries`): skipped"
            )
            return [skipped]
        sections = _peer_sections(info) if "cluster" in selected else []
        if "scale" in selected:
            sizes = bench_scale.parse_sizes(args.scale_sizes)
            done = list(sections)

            def progress(partial: Section) -> None:  # partial results survive an interrupted run
                Path(args.output).write_text(_markdown([*done, partial], 0.0, ["(partial)"]))
                if args.save_sections:
                    _save_sections(args.save_sections, [*done, partial])

            sections.append(
                _guarded("scale", lambda: bench_scale.run(info, sizes, args.churn_events, progress))
            )
        return sections


def _peer_sections(info: Any) -> list[Section]:
    from benchmarks import bench_cluster, bench_informer, cluster_env

    started = time.perf_counter()
    for namespace in (LIST_NS, EXTRA_CM_NS, POD_NS):
        cluster_env.create_namespace(info, namespace)
    cluster_env.populate_config_maps(info, LIST_NS, LIST_COUNT)
    cluster_env.populate_config_maps(info, EXTRA_CM_NS, EXTRA_CM_COUNT, start=LIST_COUNT)
    sender = cluster_env.populate_pods(info, POD_NS, POD_COUNT)
    for namespace, plural in ((LIST_NS, "configmaps"), (EXTRA_CM_NS, "configmaps")):
        cluster_env.wait_for_watch_cache(info, namespace, plural)
    cluster_env.wait_for_watch_cache(info, POD_NS, "pods")
    populate = Section("Cluster set-up")
    populate.notes.append(
        f"Created {LIST_COUNT + EXTRA_CM_COUNT:,} ConfigMaps and {POD_COUNT:,} Pods (+ a status "
        f"write each) through the apiserver with {sender}, {cluster_env.CONCURRENCY} requests "
        f"in flight, in {time.perf_counter() - started:.1f} s. Test cluster flags: etcd "
        f"{' '.join(cluster_env.ETCD_ARGS)}; kube-apiserver with its defaults (tests/cluster)."
    )
    sections = [populate]
    for name, fn in (
        ("list", lambda: bench_cluster.run_list(info, LIST_NS, LIST_COUNT)),
        (
            "informer",
            lambda: bench_informer.run(
                info, {"ConfigMap": LIST_COUNT + EXTRA_CM_COUNT, "Pod": POD_COUNT}
            ),
        ),
        ("watch", lambda: bench_cluster.run_watch(info, LIST_NS, WATCH_EVENTS)),
        ("rate limiter", lambda: bench_cluster.run_rate_limiter(info, LIST_NS)),
    ):
        sections.append(_guarded(name, fn))
    sections.append(_guarded("metadata", lambda: _metadata_memory(str(info.kubeconfig_path))))
    return sections


def _metadata_memory(kubeconfig: str) -> Section:
    """Runs the tools engineer's `benchmarks/metadata_memory.py` when it exists; output verbatim."""
    section = Section("Metadata-only informer memory (`benchmarks/metadata_memory.py`)")
    script = Path(REPO) / "benchmarks" / "metadata_memory.py"
    if not script.exists():
        section.notes.append("benchmarks/metadata_memory.py does not exist yet: not run")
        return section
    env = {**os.environ, "KUBETYPED_TEST_KUBECONFIG": kubeconfig}
    argv = [PYTHON, "-m", "benchmarks.metadata_memory", "--kubeconfig", kubeconfig]
    # its own session, so a hang can be ended with every grandchild it started
    child = subprocess.Popen(
        argv,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = child.communicate(timeout=METADATA_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        stdout, stderr = child.communicate()
        section.notes.append(f"killed after {METADATA_TIMEOUT} s without finishing")
    result = subprocess.CompletedProcess(argv, child.returncode, stdout, stderr)
    section.extra_markdown = "```\n" + (result.stdout.strip() or "(no output)") + "\n```"
    if result.returncode != 0:
        section.notes.append(f"exited {result.returncode}: {result.stderr.strip()[-800:]}")
    return section


def _guarded(name: str, fn: Callable[[], Section]) -> Section:
    """A failing benchmark becomes a section that says so; the others still run."""
    started = time.perf_counter()
    try:
        section = fn()
    except Exception:
        section = Section(f"{name}: FAILED")
        section.extra_markdown = "```\n" + traceback.format_exc()[-3000:] + "\n```"
        log(f"{name} failed:\n{traceback.format_exc()}")
    section.notes.append(f"(section time {time.perf_counter() - started:.0f} s)")
    return section


def _run_selected(selected: set[str], args: argparse.Namespace) -> list[Section]:
    from benchmarks import bench_codec, bench_codegen, bench_import

    plan: list[tuple[str, Callable[[], list[Section]]]] = [
        ("import", lambda: [_guarded("import", bench_import.run)]),
        ("decode", lambda: [_guarded("decode", bench_codec.run_decode)]),
        ("encode", lambda: [_guarded("encode", bench_codec.run_encode)]),
        (
            "profile",
            lambda: [
                _guarded("profile", bench_codec.run_profile),
                _guarded("import profile", _import_profile),
            ],
        ),
        ("codegen", lambda: [_guarded("codegen", bench_codegen.run)]),
    ]
    sections: list[Section] = []
    for name, fn in plan:
        if name in selected:
            log(f"=== {name}")
            sections.extend(fn())
    if selected & {"cluster", "scale"}:
        log("=== cluster" if "cluster" in selected else "=== scale")
        sections.extend(_cluster_sections(selected, args))
    return sections


def _import_profile() -> Section:
    from benchmarks import bench_import

    section = Section(
        "Profile: where kubetyped's import time goes (`python -X importtime`, one run)"
    )
    section.extra_markdown = "```\n" + bench_import.importtime_top() + "\n```"
    return section


def _save_sections(path: str, sections: list[Section]) -> None:
    Path(path).write_text(json.dumps([dataclasses.asdict(s) for s in sections], indent=1))


def _load_sections(path: str) -> list[Section]:
    """Sections another invocation saved (``--save-sections``), e.g. a long scale run."""
    loaded = []
    for raw in json.loads(Path(path).read_text()):
        section = Section(
            raw["title"],
            [Table(t["title"], t["headers"], t["rows"]) for t in raw["tables"]],
            raw["notes"],
            [Ratio(r["measure"], r["value"], r["target"]) for r in raw["ratios"]],
            raw["extra_markdown"],
        )
        section.notes.append(f"(measured by a separate invocation, saved in {Path(path).name})")
        loaded.append(section)
    return loaded


def _markdown(sections: list[Section], elapsed: float, argv: list[str]) -> str:
    out = ["# kubetyped benchmarks", ""]
    out.append(
        f"Generated {time.strftime('%Y-%m-%d %H:%M:%S %Z')} by `{' '.join(['python benchmarks/run.py', *argv])}` "
        f"in {elapsed / 60:.1f} min. Every figure is a median over several runs (counts per table); "
        "every comparison is a ratio of figures measured in this same run on this machine. "
        "Nothing here is a pass/fail test; the targets are the ones the project set itself."
    )
    out += ["", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in machine().items()]
    out.append(
        "| load average (1/5/15 min, at the start) | "
        + " / ".join(f"{x:.1f}" for x in _START_LOAD)
        + " |"
    )
    out += ["", "## Package versions", "", "| package | version |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in package_versions().items()]
    ratios = [r for s in sections for r in s.ratios]
    out += ["", "## The rows of issue 16", ""]
    out += ["| row (target) | measured in this run | target | |", "|---|---|---|---|"]
    out += issue_rows(ratios)
    out += ["", "## Ratios (kubetyped vs peers and the limit)", ""]
    out.append(
        '`A / B` < 1 means kubetyped (A) is faster/smaller; "speed-up" rows are peer / kubetyped.'
    )
    out += ["", "| measure | ratio | target | |", "|---|---|---|---|"]
    out += [f"| {r.measure} | {fmt_ratio(r.value)} | {r.target} | {r.verdict()} |" for r in ratios]
    for section in sections:
        out += ["", f"## {section.title}", ""]
        for table in section.tables:
            out += [f"**{table.title}**", "", render_table(table), ""]
        if section.extra_markdown:
            out += [section.extra_markdown, ""]
        out += [f"- {note}" for note in section.notes]
    return "\n".join(out).rstrip() + "\n"


def _print(sections: list[Section]) -> None:
    for section in sections:
        print(f"\n== {section.title}")
        for table in section.tables:
            print(f"\n{table.title}\n{render_table(table)}")
        if section.extra_markdown:
            print(section.extra_markdown)
    print("\n== Ratios")
    for ratio in (r for s in sections for r in s.ratios):
        target = f"  (target {ratio.target}: {ratio.verdict()})" if ratio.target else ""
        print(f"  {fmt_ratio(ratio.value):>9}  {ratio.measure}{target}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}"
    )
    parser.add_argument("--output", default=str(Path(REPO) / "benchmarks" / "results.md"))
    parser.add_argument(
        "--scale-sizes",
        default=os.environ.get("KUBETYPED_BENCH_SCALE", "full"),
        help='informer scale sizes: "full" (10k/50k/100k ConfigMaps, 10k/50k Pods), "quick" '
        '(a smoke run), or e.g. "ConfigMap=10000,50000;Pod=10000" (env KUBETYPED_BENCH_SCALE)',
    )
    parser.add_argument("--save-sections", help="also write the sections as JSON here")
    parser.add_argument(
        "--add-sections",
        action="append",
        default=[],
        help="append sections saved by another invocation (--save-sections); repeatable",
    )
    parser.add_argument(
        "--churn-events",
        type=int,
        default=2000,
        help="patches per scale measurement for the watch events/s column (0: skip churn)",
    )
    args = parser.parse_args(argv)
    selected = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown = selected - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}")
    if "metadata" in selected and "cluster" not in selected:
        selected.add("cluster")
    started = time.perf_counter()
    sections = _run_selected(selected, args)
    for path in args.add_sections:
        sections.extend(_load_sections(path))
    if args.save_sections:
        _save_sections(args.save_sections, sections)
    elapsed = time.perf_counter() - started
    _print(sections)
    Path(args.output).write_text(
        _markdown(sections, elapsed, argv if argv is not None else sys.argv[1:])
    )
    log(f"wrote {args.output} ({elapsed / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
