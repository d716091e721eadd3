"""Run the `kubetyped` steps of docs/ci-recipe.md against a real test apiserver.

A fresh apiserver (same binaries as the session cluster) is used, so the recipe's snapshot
matches the committed one exactly (other e2e tests install CRDs into the session cluster).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "docs" / "ci-recipe.md"


def recipe_workflow() -> dict[str, object]:
    match = re.search(r"```yaml\n(.*?)```", RECIPE.read_text(), re.S)
    assert match, "no workflow in docs/ci-recipe.md"
    workflow: dict[str, object] = yaml.safe_load(match.group(1))
    return workflow


@pytest.fixture
def fresh_kubeconfig(cluster: object) -> Iterator[Path]:
    from tests.cluster import Cluster

    control_plane = Cluster()
    info = control_plane.start()
    try:
        yield info.kubeconfig_path
    finally:
        control_plane.stop()


def test_ci_recipe_commands(fresh_kubeconfig: Path, tmp_path: Path) -> None:
    kubeconfig_path = fresh_kubeconfig
    job = next(iter(recipe_workflow()["jobs"].values()))  # type: ignore[attr-defined]
    commands = [s["run"] for s in job["steps"] if str(s.get("run", "")).startswith("kubetyped ")]
    assert [c.split()[1] for c in commands] == ["snapshot", "generate", "verify", "diff", "diff"]
    env = {
        **os.environ,
        "KUBECONFIG": str(kubeconfig_path),
        "KUBE_CONTEXT": "admin",
        "PREVIOUS": str(ROOT / "openapi" / "1.36.tar.xz"),
        "SNAPSHOT": str(tmp_path / "snapshot" / "1.36"),
        "OUT": str(tmp_path / "generated"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=280,
        )
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    report = (tmp_path / "api-diff.md").read_text()
    assert report.startswith("### API diff v1.36")
    assert (tmp_path / "generated" / "models" / "core_v1" / "_pod.py").is_file()
