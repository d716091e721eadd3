"""What `pip install kubetyped` brings: generated clients without the generator's dependencies."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Imports every user-facing runtime entry point with jinja2 made unimportable.
_WITHOUT_JINJA = """
import sys
sys.modules["jinja2"] = None  # an import of it now fails as if it were not installed
import kubetyped, kubetyped_kubernetes, kubetyped.dynamic, kubetyped.metadata, kubetyped.scale
import kubetyped.workqueue, kubetyped.leaderelection, kubetyped.events, kubetyped.fake
from kubetyped_kubernetes import Clientset, FakeClientset, SharedInformerFactory
fake = FakeClientset()
fake.core_v1.config_maps("default").list()
from kubetyped_codegen.cli import main  # the `kubetyped` command: --version and diff work
try:
    main(["--version"])
except SystemExit as done:
    assert done.code == 0
assert main(["diff", "1.35", "1.36", "--fail-on", "none", "--output", "/dev/null"]) == 0
assert main(["generate", "--kube-version", "1.31", "--out", "/nonexistent/pkg"]) == 2
"""


def test_jinja2_is_a_generator_extra_not_a_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(dep.startswith("jinja2") for dep in project["dependencies"])
    assert any(dep.startswith("jinja2") for dep in project["optional-dependencies"]["codegen"])


def test_clients_import_and_run_without_the_generator_dependencies() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT_JINJA], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("kubetyped ")  # --version
    # generate names the extra it needs, as a usage error (exit 2), not a traceback
    assert (
        "kubetyped generate: the kubetyped generator needs its extra: pip install " in result.stderr
    )
    assert "kubetyped[codegen]" in result.stderr and "Traceback" not in result.stderr


def test_the_wheel_holds_the_four_packages_and_their_data(tmp_path: Path) -> None:
    """The wheel (hatchling, `[tool.hatch.build.targets.wheel]`) holds exactly the four import
    packages, each with `py.typed`, their data (templates, snapshots) and the SPDX licence."""
    pip = [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation"]
    result = subprocess.run(
        [*pip, "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("kubetyped-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith("/METADATA")))
        names = archive.namelist()
        licenses = [
            n for n in names if "/licenses/" in n and n.split("/", 1)[0].endswith(".dist-info")
        ]
        license_text = archive.read(licenses[0]).decode() if licenses else ""
    assert "License-Expression: Apache-2.0" in metadata.decode().splitlines()
    packages = {"kubetyped", "kubetyped_kubernetes", "kubetyped_codegen", "kubetyped_openapi"}
    tops = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert tops == packages, tops
    assert all(f"{package}/py.typed" in names for package in packages)
    assert any(n.startswith("kubetyped_codegen/templates/") for n in names)
    assert "kubetyped_openapi/1.36.tar.xz" in names
    assert not any("__pycache__" in n for n in names)
    # the licence text itself travels with the package, and it is the one the metadata declares
    assert [n.rsplit("/", 1)[1] for n in licenses] == ["LICENSE"], names
    assert "License-File: LICENSE" in metadata.decode().splitlines()
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    assert license_text == (ROOT / "LICENSE").read_text()


def test_readme_names_the_declared_licence() -> None:
    """The README's licence line agrees with `project.license` and points to the file."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## License\n", 1)
    assert len(section) == 2, "README has no License section"
    assert f"`{declared}`" in section[1] and "(LICENSE)" in section[1]
