"""Atomic generation: a failed check or a killed run leaves the previous package intact.

``shared/cases/reliability/case_generate_half_written.py`` (issue 14): a second ``generate
--crd`` failed midway and left half old, half new files; 4 of 6 kills left mixed packages.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kubetyped_codegen.cli import main
from kubetyped_codegen.writer import COMMENT_MARKER, GeneratedCodeError, publish

HEADER = COMMENT_MARKER + "\n"


def state(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def crd(depth: int, kinds: tuple[str, ...] = ("Widget",)) -> str:
    documents = []
    for kind in kinds:
        leaf: dict[str, Any] = {"type": "string"}
        for level in range(depth):
            leaf = {"type": "object", "properties": {f"nestedConfigurationLevel{level}": leaf}}
        documents.append({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{kind.lower()}s.half.example.com"},
            "spec": {"group": "half.example.com", "scope": "Namespaced",
                     "names": {"kind": kind, "plural": f"{kind.lower()}s"},
                     "versions": [{"name": v, "served": True, "storage": v == "v1",
                                   "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                                       "spec": {"type": "object", "properties": {
                                           "replicas": {"type": "integer"}, "tuning": leaf}}}}}}
                                  for v in ("v1", "v2")]},
        })  # fmt: skip
    return "\n---\n".join(json.dumps(d) for d in documents)


def test_failed_import_check_leaves_the_previous_package(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    good = {"__init__.py": HEADER, "models/__init__.py": HEADER, "models/a.py": HEADER + "A = 1\n"}
    publish(out, good, "pkg")
    (out / "notes.txt").write_text("handwritten\n")
    before = state(out)
    broken = {**good, "models/a.py": HEADER + "A = 2\n", "models/b.py": HEADER + "B = (\n"}
    with pytest.raises(GeneratedCodeError, match=r"models/b\.py: SyntaxError"):
        publish(out, broken, "pkg")
    assert state(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]  # no staging folder left
    publish(out, {**good, "models/a.py": HEADER + "A = 3\n"}, "pkg")
    assert (out / "models" / "a.py").read_text().endswith("A = 3\n")
    assert (out / "notes.txt").read_text() == "handwritten\n"  # handwritten files are kept
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_model_that_does_not_build_names_its_file(tmp_path: Path) -> None:
    model = (
        HEADER + "from kubetyped.model import Field, KubeModel\n\n\n"
        "class Bad(KubeModel):\n    _2_xx: int | None = Field(None, alias='2xx')\n"
        "    x: int | None = Field(None, alias=3)  # type: ignore\n"
    )
    files = {"__init__.py": HEADER, "models/__init__.py": HEADER, "models/bad.py": model}
    with pytest.raises(GeneratedCodeError, match=r"models/bad\.py: "):
        publish(tmp_path / "pkg", files, "pkg")
    assert not (tmp_path / "pkg").exists()


def test_regeneration_after_a_failure_is_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "halfpkg"
    first = tmp_path / "first.yaml"
    first.write_text(crd(3))
    argv = ["generate", "--package", "halfpkg", "--out", str(out), "--crd"]
    assert main([*argv, str(first)]) == 0
    before = state(out)
    second = tmp_path / "second.yaml"
    second.write_text(crd(12, ("Widget", "Gadget")) + '\n---\n{"kind": "CustomResourceDefinition"}')
    assert main([*argv, str(second)]) == 2  # the unnamed CRD: a typed error, nothing written
    assert state(out) == before
    second.write_text(crd(12, ("Widget", "Gadget")))
    assert main([*argv, str(second)]) == 0
    after = state(out)
    assert after != before and max(len(Path(p).name) for p in after) <= 100


def test_killed_generation_never_leaves_a_mixed_package(tmp_path: Path) -> None:
    """Kill ``kubetyped generate`` at different moments: the package is the old or the new
    one, file for file, never a mix."""
    out = tmp_path / "killpkg"
    old_input, new_input = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old_input.write_text(crd(3))
    new_input.write_text(crd(6, ("Widget", "Gadget", "Doohickey")))
    argv = ["generate", "--package", "killpkg", "--out", str(out), "--crd"]
    assert main([*argv, str(new_input)]) == 0
    new = state(out)
    assert main([*argv, str(old_input)]) == 0
    old = state(out)
    command = [sys.executable, "-m", "kubetyped_codegen.cli", *argv, str(new_input)]
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 2.0):
        assert main([*argv, str(old_input)]) == 0
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = state(out)
        assert now in (old, new), f"mixed package after a kill at {delay}s"
        assert main([*argv, str(new_input)]) == 0  # the next run cleans up and succeeds
        assert state(out) == new
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
