"""A newcomer's first hour, from the built wheel: the three jobs, outside the repository.

The wheel is built from a copy of the source, installed with its generator extra into a fresh
venv in a temporary folder (no checkout, no ``../shared`` on any path), and every command runs
there as a user would type it: ``kubetyped --version``; generate a shipped older version and
import it; diff two shipped versions (exit 1), then with an allowlist (exit 0), then for
GitHub; snapshot, generate and verify the live test cluster; generate and verify a CRD package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".git", ".venv", "build", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def _copy_source(target: Path) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in SKIP or n.endswith(".egg-info")}

    shutil.copytree(ROOT, target, ignore=ignore)


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder with ``venv/`` holding the installed wheel (``kubetyped[codegen]``)."""
    home = tmp_path_factory.mktemp("newcomer")
    source, wheels = home / "source", home / "wheels"
    _copy_source(source)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (wheel,) = wheels.glob("kubetyped-*.whl")
    shutil.rmtree(source)
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, timeout=300)
    subprocess.run(
        [str(home / "venv" / "bin" / "pip"), "install", "-q", f"{wheel}[codegen]"],
        check=True, capture_output=True, timeout=900,
    )  # fmt: skip
    yield home


def run(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """A command in the newcomer's folder, with the venv first on PATH and nothing else."""
    env = {
        "PATH": f"{home / 'venv' / 'bin'}{os.pathsep}/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }
    return subprocess.run(
        list(argv), cwd=home, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_three_jobs_from_the_wheel(newcomer: Path, kubeconfig_path: Path) -> None:
    home = newcomer
    python = str(home / "venv" / "bin" / "python")
    # the installed package, not the checkout, answers (and finds its snapshots)
    where = ok(run(home, python, "-c", "import kubetyped_openapi as o; print(o.__file__)"))
    assert where.startswith(str(home / "venv")) and not (home.parent / "shared").exists()

    version = ok(run(home, "kubetyped", "--version"))
    assert version.startswith("kubetyped 0.") and "1.30" in version and "1.36" in version

    # without --out, generate refuses to write into the installed library (and writes nothing)
    installed = Path(where).parent.parent / "kubetyped_kubernetes"
    before = sorted(p.relative_to(installed) for p in installed.rglob("*.py"))
    assert len(before) > 900, installed
    refused = run(home, "kubetyped", "generate", "--kube-version", "1.31")
    assert refused.returncode == 2 and "--out is required" in refused.stderr, refused.stderr
    assert sorted(p.relative_to(installed) for p in installed.rglob("*.py")) == before

    # 1. regenerate a shipped older version, offline, and import it
    ok(run(home, "kubetyped", "generate", "--kube-version", "1.31", "--out", "pkg131"))
    imported = ok(run(home, python, "-c", (
        "import pkg131, pkg131.clients.core_v1 as c; from pkg131 import Clientset;"
        "from pkg131.models.core_v1 import Pod; print(Clientset.__module__, c.__name__)"
    )))  # fmt: skip
    assert imported.split() == ["pkg131.clientset", "pkg131.clients.core_v1"]

    # 2. the diff a reviewer reads: breaking changes exist between 1.35 and 1.36
    diff = run(home, "kubetyped", "diff", "1.35", "1.36", "--format", "markdown")
    assert diff.returncode == 1, diff.stderr
    assert diff.stdout.startswith("### API diff 1.35 (v1.35) -> 1.36 (v1.36.3)")
    allowlist = home / "api-allowlist.yaml"
    shutil.copy(ROOT / "tests" / "data" / "diff" / "allowlist-1.35-1.36.yaml", allowlist)
    accepted = run(home, "kubetyped", "diff", "1.35", "1.36", "--allowlist", allowlist.name)
    assert accepted.returncode == 0, accepted.stdout[-2000:]
    github = run(home, "kubetyped", "diff", "1.35", "1.36", "--github", "--output", "r.md")
    assert github.returncode == 1
    annotations = github.stdout.splitlines()
    assert annotations[0].startswith("::error title=API diff::")
    assert len([a for a in annotations if a.startswith("::error")]) <= 10

    # 3. the live cluster: snapshot, generate, verify, use
    shutil.copy(kubeconfig_path, home / "kubeconfig")
    cluster = ("--kubeconfig", "kubeconfig", "--context", "admin")
    ok(run(home, "kubetyped", "snapshot", *cluster, "--out", "cluster-api.tar.xz"))
    ok(run(home, "kubetyped", "generate", "--spec", "cluster-api.tar.xz", "--out", "live"))
    verified = ok(run(home, "kubetyped", "verify", "--spec", "cluster-api.tar.xz", "--out", "live"))
    assert "of live up to date" in verified
    listed = ok(run(home, python, "-c", (
        "from live import Clientset;"
        "cs = Clientset.from_kubeconfig('kubeconfig', context='admin');"
        "print(sorted(n.metadata.name for n in cs.core_v1.namespaces().list().items))"
    )))  # fmt: skip
    assert "'kube-system'" in listed

    # a CRD package, generated and verified
    shutil.copytree(ROOT / "tests" / "data" / "crds" / "cert-manager", home / "crds")
    ok(run(home, "kubetyped", "generate", "--crd", "crds", "--out", "certmanager"))
    assert "of certmanager up to date" in ok(
        run(home, "kubetyped", "verify", "--crd", "crds", "--out", "certmanager")
    )
    ok(run(home, python, "-c", "from certmanager.models.cert_manager_v1 import Certificate"))
