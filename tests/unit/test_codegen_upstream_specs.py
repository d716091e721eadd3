"""Generate full clientsets from the upstream 1.34 and 1.35 specs, import them, round-trip objects.

Each generated package is self-contained (its own meta_v1) and is imported in a fresh
interpreter, so nothing leaks into `kubetyped_kubernetes`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from upstream_specs import upstream_spec

from kubetyped_codegen.cli import main as kubetyped_main

ROUND_TRIP = Path(__file__).with_name("test_model_roundtrip.py")

CHECK = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("objects", sys.argv[2])
objects = importlib.util.module_from_spec(spec); spec.loader.exec_module(objects)
package = sys.argv[1]
core = importlib.import_module(f"{package}.models.core_v1")
apps = importlib.import_module(f"{package}.models.apps_v1")
clientset = importlib.import_module(f"{package}.clientset")
for model, raw in ((core.Pod, objects.realistic_pod()), (apps.Deployment, objects.realistic_deployment())):
    assert model.from_json(json.dumps(raw)).to_dict() == raw, model
    assert model.model_validate(raw).to_dict() == raw, model
    decoded = model.from_raw(raw)
    assert objects.touch_everything(decoded) > 50
    assert decoded.to_dict() == raw
assert isinstance(clientset.Clientset.__dict__["core_v1"], property)
assert core.Pod.__module__.startswith(package)
print("ok", package)
"""


@pytest.mark.parametrize("minor", ["34", "35"])
def test_generate_import_and_round_trip_upstream_spec(tmp_path: Path, minor: str) -> None:
    swagger = upstream_spec(minor)
    package = f"kt_upstream_1_{minor}"
    out = tmp_path / package
    assert (
        kubetyped_main(
            ["generate", "--spec", str(swagger), "--out", str(out), "--package", package]
        )
        == 0
    )
    assert (out / "models" / "meta_v1" / "__init__.py").exists(), "a full package renders meta_v1"
    result = subprocess.run(
        [sys.executable, "-c", CHECK, package, str(ROUND_TRIP)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == f"ok {package}"


def test_generated_upstream_package_rejects_a_broken_object(tmp_path: Path) -> None:
    """The check above can fail: a Pod without container names does not validate."""
    swagger = upstream_spec("35")
    package = "kt_upstream_broken"
    assert (
        kubetyped_main(
            [
                "generate",
                "--spec",
                str(swagger),
                "--out",
                str(tmp_path / package),
                "--package",
                package,
            ]
        )
        == 0
    )
    code = (
        f"from {package}.models.core_v1 import Pod\n"
        "Pod.model_validate({'spec': {'containers': [{'image': 'x'}]}})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "name" in result.stderr and "Field required" in result.stderr
