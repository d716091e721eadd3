"""Code generation: `kubetyped generate` / `kubetyped verify` wall time, peak memory, output size."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from benchmarks.common import PYTHON, REPO, Ratio, Section, Table, fmt_bytes, fmt_seconds, log
from kubetyped_codegen.writer import is_generated

RUNS = 3
SPEC = "openapi/kubetyped_openapi/1.36.tar.xz"
TIME = "/usr/bin/time"


def _cli() -> list[str]:
    script = Path(PYTHON).with_name("kubetyped")
    return [str(script)] if script.exists() else [PYTHON, "-m", "kubetyped_codegen.cli"]


def _timed(argv: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS bytes, output) of one child run via /usr/bin/time -v."""
    result = subprocess.run(
        [TIME, "-v", *argv], cwd=REPO, capture_output=True, text=True, check=False, timeout=600
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr[-1500:]}")
    wall_text = re.search(
        r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr
    )
    peak_text = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert wall_text and peak_text, result.stderr[-500:]
    hours, minutes, seconds = wall_text.groups()
    wall = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return wall, int(peak_text.group(1)) * 1024, (result.stdout + result.stderr).splitlines()[0]


def _tree_size(root: Path) -> tuple[int, int]:
    """Generated files (those carrying the marker) and their bytes."""
    files = [p for p in root.rglob("*") if p.is_file() and is_generated(p)]
    return len(files), sum(p.stat().st_size for p in files)


def run() -> Section:
    section = Section(f"Codegen: `kubetyped generate` from the repo snapshot `{SPEC}`")
    if not os.access(TIME, os.X_OK):
        section.notes.append(f"{TIME} missing: codegen not measured")
        return section
    table = Table(f"median of {RUNS} runs (fresh process each)", ["step", "wall time", "peak RSS"])
    out = Path(tempfile.mkdtemp(prefix="kubetyped-bench-gen-"))
    try:
        generate = [*_cli(), "generate", "--spec", SPEC, "--out", str(out / "generated")]
        verify = [*_cli(), "verify", "--spec", SPEC, "--out", str(out / "generated")]
        results: dict[str, tuple[float, int]] = {}
        summary = ""
        for name, argv in (("generate", generate), ("verify", verify)):
            log(f"codegen: {name}")
            samples = []
            for _ in range(RUNS):
                if name == "generate":
                    shutil.rmtree(out / "generated", ignore_errors=True)
                wall, peak, first_line = _timed(argv)
                samples.append((wall, peak))
                if name == "generate":
                    summary = first_line
            results[name] = (statistics.median(s[0] for s in samples), max(s[1] for s in samples))
            table.add(
                f"kubetyped {name}", fmt_seconds(results[name][0]), fmt_bytes(results[name][1])
            )
        section.tables.append(table)
        files, size = _tree_size(out / "generated")
        committed_files, committed_size = _tree_size(
            Path(REPO) / "generated" / "kubetyped_kubernetes"
        )
        sizes = Table("generated package size", ["tree", "files", "bytes"])
        sizes.add("fresh `kubetyped generate` output", files, f"{size:,} ({fmt_bytes(size)})")
        sizes.add(
            "committed `generated/` (working tree)",
            committed_files,
            f"{committed_size:,} ({fmt_bytes(committed_size)})",
        )
        section.tables.append(sizes)
        section.notes.append(f"generate reported: `{summary}`")
        if files != committed_files:
            section.notes.append(
                "The fresh output and the committed `generated/` differ in generated files: "
                "`make verify` would fail; the codegen figures describe the CLI as it is now."
            )
        section.ratios.append(
            Ratio("codegen wall time (s) vs 20 s budget", results["generate"][0] / 20.0, "<= 1")
        )
    except RuntimeError as exc:
        section.notes.append(f"codegen CLI failed; not measured: {exc}")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return section
