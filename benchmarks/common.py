"""Shared helpers: timing medians, tables, sections and the machine description."""

from __future__ import annotations

import gc
import importlib.metadata
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
PACKAGES = (
    "kubetyped",
    "lightkube",
    "lightkube-models",
    "kubernetes",
    "kr8s",
    "kubernetes_asyncio",
    "pydantic",
    "pydantic_core",
    "orjson",
    "msgspec",
    "httpx",
)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def add(self, *row: Any) -> None:
        self.rows.append(list(row))


@dataclass
class Ratio:
    """A comparison measured in one run: `value` = kubetyped figure / peer figure."""

    measure: str
    value: float
    target: str = ""

    def verdict(self) -> str:
        return (
            "" if not self.target else ("met" if _target_met(self.value, self.target) else "MISSED")
        )


def _target_met(value: float, target: str) -> bool:
    """`target` is `<= N` or `>= N` (an `x` suffix allowed); anything else raises ValueError."""
    op, _, limit = target.partition(" ")
    if op not in ("<=", ">="):
        raise ValueError(f"target {target!r}: expected '<= N' or '>= N'")
    bound = float(limit.rstrip("x"))
    if op == "<=":
        return value <= bound
    return value >= bound


@dataclass
class Section:
    title: str
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    extra_markdown: str = ""


def median_time(
    fn: Callable[[], Any], runs: int, *, setup: Callable[[], Any] | None = None
) -> float:
    """Median wall time in seconds of `fn()` over `runs` runs (GC collected before each)."""
    samples = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def fmt_bytes(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(size) < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}x"


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "unknown"
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal"):
                    memory = fmt_bytes(int(line.split()[1]) * 1024)
                    break
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "CPU": cpu,
        "cores (usable)": str(affinity),
        "memory": memory,
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "load average (1/5/15 min, at the end)": " / ".join(
            f"{x:.1f}" for x in (os.getloadavg() if hasattr(os, "getloadavg") else ())
        ),
    }


def render_table(table: Table) -> str:
    cells = [table.headers, *[[str(c) for c in row] for row in table.rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.headers))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def rss_bytes() -> int:
    """Resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
