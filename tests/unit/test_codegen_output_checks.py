"""Generated packages pass ``ruff check``, ``ruff format --check`` and ``mypy --strict``.

Checked on a CRD package (the cert-manager CRDs: very long nested type names), on the full
built-in package, and on a sweep of field annotations around the 100-column limit. Ruff runs
isolated from the project's configuration, as in a user's project: ``kubetyped`` is a
third-party package there and the generated package first-party. RUF001 (ambiguous unicode)
is ignored: it flags upstream prose (cert-manager's descriptions use en dashes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kubetyped_codegen.crd import render_crd_package, spec_from_crd_files
from kubetyped_codegen.ir import (
    GVK,
    ApiSpec,
    Array,
    Extensions,
    Map,
    Primitive,
    Property,
    Ref,
    Schema,
    TypeRef,
    VersionInfo,
)
from kubetyped_codegen.load_v3 import load_v3
from kubetyped_codegen.render import render
from kubetyped_codegen.render_context import RenderContext
from kubetyped_codegen.render_models import render_class
from kubetyped_codegen.writer import write_files

ROOT = Path(__file__).resolve().parents[2]
CRDS = ROOT / "tests" / "data" / "crds" / "cert-manager"
BIN = Path(sys.executable).parent
RUFF_RULES = ["--select", "E,F,W,I,UP,B,SIM,RUF", "--ignore", "E501,RUF001"]
PACKAGE = "certmanager_checked"

pytestmark = pytest.mark.skipif(not (BIN / "ruff").exists(), reason="ruff not installed")


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def ruff_problems(folder: Path) -> str:
    """What ``ruff check`` and ``ruff format --check`` report on ``folder`` ('' when clean)."""
    common = ["--isolated", "--line-length", "100", "--target-version", "py311"]
    check = _run([str(BIN / "ruff"), "check", *common, *RUFF_RULES, "."], folder)
    formatted = _run([str(BIN / "ruff"), "format", "--check", *common, "."], folder)
    report = ""
    if check.returncode:
        report += check.stdout[-3000:] + check.stderr[-1000:]
    if formatted.returncode:
        diff = _run([str(BIN / "ruff"), "format", "--diff", *common, "."], folder)
        report += diff.stdout[-3000:] + formatted.stderr[-1000:]
    return report


@pytest.fixture(scope="module")
def crd_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``<tmp>/certmanager_checked`` (every cert-manager CRD); mypy, run there, finds
    ``kubetyped`` and ``kubetyped_kubernetes`` through the venv's editable install."""
    root = tmp_path_factory.mktemp("crd-package")
    spec = spec_from_crd_files([CRDS])
    write_files(root / PACKAGE, render_crd_package(spec, PACKAGE))
    return root


def test_crd_package_is_ruff_clean(crd_tree: Path) -> None:
    assert len(list((crd_tree / PACKAGE).rglob("*.py"))) > 100
    assert ruff_problems(crd_tree / PACKAGE) == ""


def test_crd_package_passes_mypy_strict(crd_tree: Path) -> None:
    mypy = [str(BIN / "mypy"), "--config-file", str(ROOT / "pyproject.toml")]
    cache = ["--cache-dir", str(crd_tree / ".mypy_cache")]
    result = _run([*mypy, *cache, "-p", PACKAGE], crd_tree)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "no issues found in" in result.stdout


def test_builtin_package_is_ruff_clean(tmp_path: Path) -> None:
    files = render(load_v3(ROOT / "openapi" / "kubetyped_openapi" / "1.36.tar.xz"), RenderContext())
    write_files(tmp_path / "kubetyped_kubernetes", files)
    assert ruff_problems(tmp_path / "kubetyped_kubernetes") == ""


def _sweep_spec() -> tuple[ApiSpec, Schema]:
    """A class whose fields reference classes with names of 40..135 characters, as a plain
    ref, ``list``, ``dict`` and nested ``list``, required or not, with and without
    ``json_schema_extra``: every layout the field renderer chooses between."""
    schemas: dict[str, Schema] = {}
    props: list[Property] = []
    leaf = Property("x", "x", Primitive("string"))
    for length in range(40, 136):
        name = f"io.example.v1.{'Long' * 40}"[: len("io.example.v1.") + length]
        schemas[name] = Schema(name, "example_v1", name.rsplit(".", 1)[1], properties=(leaf,))
        wrappers: list[TypeRef] = [Ref(name), Array(Ref(name)), Map(Ref(name))]
        wrappers.append(Array(Array(Ref(name))))
        for number, type_ref in enumerate(wrappers):
            for required in (True, False):
                for extra in (Extensions(), Extensions(list_type="map", list_map_keys=("a", "b"))):
                    wire = f"f{length}x{number}{int(required)}{len(extra.list_map_keys)}"
                    props.append(
                        Property(wire, wire, type_ref, required=required, extensions=extra)
                    )
    holder = Schema(
        "io.example.v1.Holder",
        "example_v1",
        "Holder",
        gvks=(GVK("example.com", "v1", "Holder"),),
        properties=tuple(props),
    )
    schemas[holder.name] = holder
    return ApiSpec(VersionInfo("1", "36"), (), schemas), holder


def test_field_layouts_around_the_line_limit(tmp_path: Path) -> None:
    spec, holder = _sweep_spec()
    text = render_class(holder, spec, RenderContext(package="sweep"))
    assert max(len(line) for line in text.splitlines()) > 100  # long names are in there
    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "__init__.py").write_text("")
    (tmp_path / "sweep" / "holder.py").write_text(text)
    assert ruff_problems(tmp_path / "sweep") == ""
