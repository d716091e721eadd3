"""Users' type checkers follow an editable install (`pip install -e .`) as they follow a wheel.

The dev venv (`make venv`) is such an install: hatchling writes one .pth listing the folders
`runtime/`, `generated/`, `codegen/` and `openapi/`, each holding one import package
(pyproject.toml, `[tool.hatch.build.targets.wheel]`). User code in a folder outside the repository,
with no MYPYPATH or PYTHONPATH, is checked by pyright and `mypy --strict` against that interpreter:
the correct file must give no diagnostic (its `assert_type` lines must be inferred, so an import
that did not resolve, which turns into `Any`, fails them), and the mistake must be reported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

USER_CODE = """\
from pathlib import Path
from typing import assert_type

import kubetyped
from kubetyped.errors import NotFoundError
from kubetyped_codegen.pipeline import SpecSource
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment


def replicas(cs: Clientset) -> int | None:
    deployment = cs.apps_v1.deployments("web").get("api")
    assert_type(deployment, Deployment)
    return deployment.spec.replicas if deployment.spec else None


assert_type(kubetyped.NotFoundError, type[NotFoundError])
assert_type(SpecSource(spec="1.36").spec, Path | str | None)
"""
MISTAKE = """\
from kubetyped_kubernetes import Clientset


def name(cs: Clientset) -> int:
    return cs.core_v1.pods("web").get("p").metadata  # expect-error
"""


def _clean_env() -> dict[str, str]:
    env = dict(os.environ)
    for variable in ("MYPYPATH", "PYTHONPATH"):
        env.pop(variable, None)
    return env


def _editable_roots() -> list[Path]:
    """The folders the venv's .pth adds to sys.path (empty when the install is not editable)."""
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    roots: list[Path] = []
    for pth in site.glob("*kubetyped*.pth"):
        roots += [Path(line) for line in pth.read_text().splitlines() if line.strip()]
    return roots


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    roots = _editable_roots()  # `make venv` installs editable; an import-hook .pth fails here
    assert sorted(r.name for r in roots) == ["codegen", "generated", "openapi", "runtime"], roots
    assert all(root.parent == ROOT for root in roots), roots
    folder = tmp_path_factory.mktemp("user-project")
    assert ROOT not in folder.parents
    (folder / "ok.py").write_text(USER_CODE)
    (folder / "mistake.py").write_text(MISTAKE)
    return folder


def _pyright(folder: Path, name: str) -> list[dict[str, object]]:
    result = subprocess.run(
        [str(BIN / "pyright"), "--outputjson", "--pythonpath", sys.executable, name],
        cwd=folder, env=_clean_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(result.stdout)
    return [d for d in report["generalDiagnostics"] if d["severity"] == "error"]


def _mypy(folder: Path, name: str) -> list[str]:
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--python-executable", sys.executable,
         "--no-incremental", "--follow-imports=silent", name],
        cwd=folder, env=_clean_env(), capture_output=True, text=True, check=False,
    )  # fmt: skip
    return [line for line in result.stdout.splitlines() if ": error:" in line]


def test_pyright_resolves_the_editable_install(user: Path) -> None:
    assert _pyright(user, "ok.py") == []


def test_pyright_reports_a_mistake_against_the_editable_install(user: Path) -> None:
    errors = _pyright(user, "mistake.py")
    assert [e["range"]["start"]["line"] + 1 for e in errors] == [5], errors  # type: ignore[index]


def test_mypy_resolves_the_editable_install(user: Path) -> None:
    assert _mypy(user, "ok.py") == []


def test_mypy_reports_a_mistake_against_the_editable_install(user: Path) -> None:
    errors = _mypy(user, "mistake.py")
    assert len(errors) == 1 and errors[0].startswith("mistake.py:5:"), errors
