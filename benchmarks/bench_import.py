"""Cold import + building a client + touching the Pod type, each in a fresh interpreter."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from typing import NamedTuple

from benchmarks.common import PYTHON, Ratio, Section, Table, fmt_seconds, log

RUNS = 9

# Children may write bytecode: with PYTHONDONTWRITEBYTECODE set (as in some shells), the editable
# kubetyped tree would be compiled from source in every run while site-packages peers load their
# .pyc (pip compiles at install); a warm-up run per snippet writes the .pyc first.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

_TIMER = "import time as _t; _s = _t.perf_counter(); _c = _t.process_time()\n"
_REPORT = "\nprint('ELAPSED', _t.perf_counter() - _s, _t.process_time() - _c)\n"

# library → (import + client + touch Pod, additionally: decode one Pod and read a nested field)
SNIPPETS: dict[str, tuple[str, str]] = {
    "kubetyped": (
        "from kubetyped_kubernetes import Clientset\n"
        "from kubetyped.config import ClientConfig\n"
        "cs = Clientset.from_config(ClientConfig(server='https://127.0.0.1:1'))\n"
        "cs.core_v1\n"
        "from kubetyped_kubernetes.models.core_v1 import Pod\n",
        "p = Pod.from_json(DATA)\n"
        "assert p.spec.containers[0].liveness_probe.http_get.port == 8080\n",
    ),
    "lightkube": (
        "import lightkube\n"
        "from lightkube.config.kubeconfig import KubeConfig\n"
        "from lightkube.config.models import Cluster, User\n"
        "config = KubeConfig.from_one(cluster=Cluster(server='https://127.0.0.1:1'), user=User(token='t'))\n"
        "c = lightkube.Client(config=config)\n"
        "from lightkube.resources.core_v1 import Pod\n",
        "import msgspec\n"
        "p = msgspec.json.decode(DATA, type=Pod)\n"
        "assert p.spec.containers[0].livenessProbe.httpGet.port == 8080\n",
    ),
    "kubernetes (official)": (
        "from kubernetes import client\n"
        "api = client.CoreV1Api(client.ApiClient())\n"
        "from kubernetes.client import V1Pod\n",
        "p = api.api_client.deserialize(DATA.decode(), 'V1Pod', 'application/json')\n"
        "assert p.spec.containers[0].liveness_probe.http_get.port == 8080\n",
    ),
    "kr8s": (
        "import kr8s\n"
        "api = kr8s.Api(bypass_factory=True, url='https://127.0.0.1:1')\n"
        "from kr8s.objects import Pod\n",
        "import json\n"
        "p = Pod(json.loads(DATA), api=api)\n"
        "assert p.spec.containers[0].livenessProbe.httpGet.port == 8080\n",
    ),
    "kubernetes_asyncio": (
        "import asyncio\n"
        "from kubernetes_asyncio import client\n"
        "async def _build():\n"
        "    return client.CoreV1Api(client.ApiClient())\n"
        "api = asyncio.run(_build())\n"
        "from kubernetes_asyncio.client import V1Pod\n",
        "class _R:\n"
        "    data = DATA\n"
        "p = api.api_client.deserialize(_R(), 'V1Pod')\n"
        "assert p.spec.containers[0].liveness_probe.http_get.port == 8080\n",
    ),
}


def _pod_literal() -> str:
    import orjson

    from benchmarks.fixtures import pod

    return f"DATA = {orjson.dumps(pod(1))!r}\n"


class Sample(NamedTuple):
    """One fresh process: the snippet's wall and CPU time (measured inside the child) and the
    whole process's wall time, in seconds."""

    inner: float
    cpu: float
    wall: float


def _run(code: str) -> Sample:
    start = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "-X", "frozen_modules=on", "-c", code],
        cwd="/tmp",
        capture_output=True,
        text=True,
        check=False,
        env=_ENV,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"snippet failed:\n{code}\n{result.stderr[-2000:]}")
    inner, cpu = next(
        line.split()[1:3] for line in result.stdout.splitlines() if line.startswith("ELAPSED")
    )
    return Sample(float(inner), float(cpu), wall)


def _medians(samples: list[Sample]) -> Sample:
    return Sample(*(statistics.median(column) for column in zip(*samples, strict=True)))


def _interleaved_medians(
    codes: dict[str, str], runs: int
) -> tuple[dict[str, Sample], dict[str, str]]:
    """Medians per snippet, sampled round-robin so every library meets the same machine load
    (the 2 shared cores are rarely idle); a warm-up run each first. Snippets that fail are left
    out and returned with their error."""
    failed: dict[str, str] = {}
    for key, code in codes.items():
        try:
            _run(code)  # warm-up: writes missing or stale .pyc files (not counted)
        except RuntimeError as exc:
            failed[key] = str(exc)
    samples: dict[str, list[Sample]] = {k: [] for k in codes if k not in failed}
    for _ in range(runs):
        for key in samples:
            samples[key].append(_run(codes[key]))
    return {key: _medians(got) for key, got in samples.items()}, failed


def run() -> Section:
    section = Section("Import: cold import + client + touching Pod (fresh process each run)")
    data = _pod_literal()
    baseline, _ = _interleaved_medians({"pass": _TIMER + "pass" + _REPORT}, RUNS)
    table = Table(
        f"median of {RUNS} fresh processes (CPU time of the snippet; wall time in brackets)",
        [
            "library",
            "import + client + Pod",
            "+ decode one Pod & read a nested field",
            "process wall (interpreter start incl.)",
        ],
    )
    inner: dict[str, float] = {}
    with_decode: dict[str, float] = {}
    codes: dict[str, str] = {}
    for library, (setup, use) in SNIPPETS.items():
        codes[library] = _TIMER + setup + _REPORT
        codes[library + "\0decode"] = data + _TIMER + setup + use + _REPORT
    log(f"import: {', '.join(SNIPPETS)} (interleaved)")
    medians, failed = _interleaved_medians(codes, RUNS)
    for library in SNIPPETS:
        error = failed.get(library) or failed.get(library + "\0decode")
        if error is not None:
            section.notes.append(f"{library}: failed: {error[-300:]}")
            continue
        alone, decoding = medians[library], medians[library + "\0decode"]
        inner[library], with_decode[library] = alone.cpu, decoding.cpu
        table.add(
            library,
            f"{fmt_seconds(alone.cpu)} ({fmt_seconds(alone.inner)})",
            f"{fmt_seconds(decoding.cpu)} ({fmt_seconds(decoding.inner)})",
            fmt_seconds(alone.wall),
        )
    section.tables.append(table)
    section.notes.append(
        "Times are measured inside the child around the snippet, so the interpreter's own "
        f"start-up (≈{fmt_seconds(baseline['pass'].wall)} wall for `python -c pass`) is excluded "
        "from the first two columns and included in the last. The first two columns and the "
        "import ratios are CPU time (`time.process_time()`): importing is single-threaded CPU "
        "work, and on the shared 2 cores wall time (`perf_counter()`, in brackets) also counts "
        "waiting for a core, which varies from run to run. Libraries are sampled "
        "round-robin (each round runs every snippet once), so all meet the same machine load; "
        "one uncounted warm-up run per snippet writes missing .pyc files (as `pip install` "
        "does), so no library is timed compiling its sources. Clients are built "
        "without network: kubetyped `Clientset.from_config(ClientConfig(server=...))` + first "
        "group access, lightkube `Client(config=KubeConfig.from_one(cluster=..., user=User(token=...)))` (`from_server` alone has no user and lightkube refuses it), official "
        "`CoreV1Api(ApiClient())`, kr8s `Api(bypass_factory=True, url=...)` (kr8s.api() would "
        "contact the server), kubernetes_asyncio `CoreV1Api(ApiClient())` inside `asyncio.run`. "
        "The second column adds decoding one Pod and reading `spec.containers[0].livenessProbe."
        "httpGet.port`, which is where lazy designs pay for what they skipped at import."
    )
    for peer, target_slow, target_fast in (
        ("lightkube", "<= 1.15", ""),
        ("kubernetes (official)", "", ">= 4"),
    ):
        if peer in inner and "kubetyped" in inner:
            if target_slow or not target_fast:
                section.ratios.append(
                    Ratio(
                        f"import+client+Pod: kubetyped / {peer}",
                        inner["kubetyped"] / inner[peer],
                        target_slow,
                    )
                )
            else:
                section.ratios.append(
                    Ratio(
                        f"import+client+Pod: {peer} / kubetyped (speed-up)",
                        inner[peer] / inner["kubetyped"],
                        target_fast,
                    )
                )
            section.ratios.append(
                Ratio(
                    f"import+client+decode 1 Pod: kubetyped / {peer}",
                    with_decode["kubetyped"] / with_decode[peer],
                )
            )
    for peer in ("kr8s", "kubernetes_asyncio"):
        if peer in inner and "kubetyped" in inner:
            section.ratios.append(
                Ratio(f"import+client+Pod: kubetyped / {peer}", inner["kubetyped"] / inner[peer])
            )
    return section


def importtime_top(limit: int = 12) -> str:
    """`python -X importtime` of the kubetyped snippet: the modules with the largest self time."""
    code = SNIPPETS["kubetyped"][0]
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code],
        cwd="/tmp",
        capture_output=True,
        text=True,
        check=False,
        env=_ENV,
    )
    rows: list[tuple[int, int, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, module = line.removeprefix("import time:").split("|")
        rows.append((int(own), int(cumulative), module.strip()))
    rows.sort(reverse=True)
    top_level: dict[str, int] = {}
    for self_us, _, name in rows:
        root = name.split(".")[0]
        top_level[root] = top_level.get(root, 0) + self_us
    lines = ["self µs   cumulative µs   module"]
    lines += [f"{s:>7}   {c:>13}   {n}" for s, c, n in rows[:limit]]
    lines += ["", "self time by top-level package:"]
    lines += [
        f"{us / 1000:>7.1f} ms   {root}"
        for root, us in sorted(top_level.items(), key=lambda kv: -kv[1])[:10]
    ]
    return "\n".join(lines)
