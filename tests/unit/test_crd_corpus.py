"""The CRDs of five real projects: generate, import in a fresh interpreter, build every model,
``mypy --strict``, and round-trip realistic objects (issue 14).

Inputs: ``tests/data/crds/corpus/<project>.tar.xz`` (see the README there for provenance) and
``tests/data/crds/cert-manager/``; objects: ``tests/data/crds/corpus/examples/<project>.yaml``,
written in the shape of each project's documented examples.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from kubetyped import yamlio
from kubetyped_codegen.cli import main
from kubetyped_codegen.crd.spec import crd_module

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "crds"
CORPUS = DATA / "corpus"
BIN = Path(sys.executable).parent
PROJECTS = ("argo-workflows", "gateway-api", "external-secrets", "crossplane", "cert-manager")


def package_name(project: str) -> str:
    return "corpus_" + project.replace("-", "_")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every project generated into ``<tmp>/corpus_<project>``, put on ``sys.path``; mypy finds
    ``kubetyped`` and ``kubetyped_kubernetes`` through the venv's editable install."""
    root = tmp_path_factory.mktemp("corpus")
    for project in PROJECTS:
        crds = DATA / project
        if not crds.is_dir():
            with tarfile.open(CORPUS / f"{project}.tar.xz") as archive:
                archive.extractall(root / "crds", filter="data")
            crds = root / "crds" / project
        package = package_name(project)
        argv = ["generate", "--crd", str(crds), "--package", package, "--out", str(root / package)]
        assert main(argv) == 0, project
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n.startswith("corpus_")]:
            del sys.modules[name]


_BUILD_ALL = """
import importlib, json, pkgutil, sys
package = sys.argv[1]
classes, failures = 0, []
for root in ("models", "clients", "listers", "informers"):
    for info in pkgutil.walk_packages(importlib.import_module(f"{package}.{root}").__path__,
                                      f"{package}.{root}."):
        module = importlib.import_module(info.name)
        for value in list(vars(module).values()):
            if isinstance(value, type) and value.__module__ == info.name and hasattr(value, "model_rebuild"):
                try:
                    value.model_rebuild(force=True)
                    classes += 1
                except Exception as error:
                    failures.append(f"{info.name}: {error}")
importlib.import_module(package).Clientset
print(json.dumps([classes, failures]))
"""


@pytest.mark.parametrize("project", PROJECTS)
def test_imports_and_builds_every_model_in_a_fresh_interpreter(corpus: Path, project: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_ALL, package_name(project)],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(corpus)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    classes, failures = json.loads(done.stdout.splitlines()[-1])
    assert failures == []
    assert classes >= 50
    files = list((corpus / package_name(project)).rglob("*.py"))
    assert max(len(p.name) for p in files) <= 100


@pytest.mark.parametrize("project", PROJECTS)
def test_mypy_strict(corpus: Path, project: str) -> None:
    mypy = [str(BIN / "mypy"), "--config-file", str(ROOT / "pyproject.toml")]
    cache = ["--cache-dir", str(corpus / ".mypy_cache")]
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    result = subprocess.run(
        [*mypy, *cache, "-p", package_name(project)],
        cwd=corpus,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "no issues found in" in result.stdout


@pytest.mark.parametrize("project", PROJECTS)
def test_ruff_clean(corpus: Path, project: str) -> None:
    """Formatted as ``ruff format`` leaves it; ``ruff check`` clean (rules of the output checks)."""
    from test_codegen_output_checks import ruff_problems

    assert ruff_problems(corpus / package_name(project)) == ""


def examples(project: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = yamlio.load_all(
        (CORPUS / "examples" / f"{project}.yaml").read_bytes()
    )
    return found


def model_class(project: str, document: dict[str, Any]) -> Any:
    group, _, version = document["apiVersion"].rpartition("/")
    module = importlib.import_module(f"{package_name(project)}.models.{crd_module(group, version)}")
    return getattr(module, document["kind"])


@pytest.mark.parametrize("project", PROJECTS)
def test_realistic_objects_round_trip(corpus: Path, project: str) -> None:
    documents = examples(project)
    assert len(documents) >= 4
    for document in documents:
        cls = model_class(project, document)
        validated = cls.model_validate(document)
        assert validated.to_dict() == document, document["kind"]
        assert orjson.loads(validated.to_json()) == document
        trusted = cls.from_json(orjson.dumps(document))
        assert trusted.spec is not None  # materialised ...
        assert trusted.to_dict() == document  # ... and written back unchanged
        rebuilt = cls.model_validate(trusted.to_dict())
        assert rebuilt == validated


def test_argo_workflow_fields_are_typed(corpus: Path) -> None:
    """The embedded built-in types are the built-in models, read through a CRD object."""
    from kubetyped_kubernetes.models import core_v1

    workflow_doc = examples("argo-workflows")[1]
    workflow = model_class("argo-workflows", workflow_doc).model_validate(workflow_doc)
    echo = next(t for t in workflow.spec.templates if t.name == "echo")
    assert isinstance(echo.container.env[0], core_v1.EnvVar)
    assert echo.container.env[0].value_from.secret_key_ref.key == "token"
    assert isinstance(workflow.spec.volume_claim_templates[0], core_v1.PersistentVolumeClaim)
    sidecar = next(t for t in workflow.spec.templates if t.name == "sidecar-nginx")
    assert isinstance(sidecar.sidecars[0].readiness_probe, core_v1.Probe)
    assert workflow.status.nodes["dag-diamond-8q7vp-1"].finished_at.second == 7  # a Time
    limits = workflow.spec.templates[0].container  # hello-world is the first document
    assert limits is None or limits.resources is not None


def test_argo_is_a_few_hundred_classes(corpus: Path) -> None:
    models = corpus / package_name("argo-workflows") / "models"
    classes = [p for p in models.rglob("_*.py") if p.name != "__init__.py"]
    assert 50 <= len(classes) <= 300, len(classes)


_FIRST_VALIDATION = """
import json, sys
from kubetyped import yamlio
from kubetyped.model import KubeModel
from corpus_argo_workflows.models.argoproj_v1alpha1 import Workflow

documents = yamlio.load_all(open(sys.argv[1], "rb").read())
Workflow.model_validate(max(documents, key=lambda d: len(json.dumps(d))))
defined, built, stack = 0, 0, [KubeModel]
while stack:
    for sub in stack.pop().__subclasses__():
        stack.append(sub)
        defined += 1
        built += bool(sub.__dict__.get("__pydantic_complete__"))
print(json.dumps([defined, built]))
"""


def test_argo_first_validation_builds_what_the_workflow_uses(corpus: Path) -> None:
    """The first ``model_validate`` of a realistic Workflow (in a fresh interpreter) builds the
    validators of the classes it uses (~30) and imports their field types, not the ~210
    classes a Workflow can reach (most of core/v1), as it did when pydantic inlined them all."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_VALIDATION, str(CORPUS / "examples" / "argo-workflows.yaml")],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(corpus)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    defined, built = json.loads(done.stdout.splitlines()[-1])
    assert 10 <= built <= 45, built
    assert defined <= 130, defined  # imported: the built classes and their fields' types
