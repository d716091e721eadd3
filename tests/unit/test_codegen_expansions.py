"""User expansions of generated clients and listers (client-go's `*_expansion.go`).

A user keeps hand-written mixins in `<package>/expansions/<group_version>.py`; `kubetyped
generate` makes each `<Class>Expansion` a base of the generated class it names and never writes
that folder, so regeneration keeps the added methods. The expansion used here is the one the
typing suite checks with mypy --strict and pyright (tests/typing/corpus/expansions/).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kubetyped_codegen.cli import EXIT_DIFFERENT, EXIT_OK, EXIT_USAGE, main
from kubetyped_codegen.pipeline import find_expansions

ROOT = Path(__file__).resolve().parents[2]
CRD = ROOT / "tests" / "data" / "crds" / "cert-manager" / "cert-manager.io_certificates.yaml"
EXPANSION = ROOT / "tests" / "typing" / "corpus" / "expansions" / "cert_manager_v1.py"

#: Run in a fresh interpreter on the generated package: sync and async clients of the fake
#: clientset, and the lister of a fake-backed informer.
USE = """
import asyncio
from certmanager import AsyncFakeClientset, FakeClientset, SharedInformerFactory

web = {"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
       "metadata": {"name": "web", "namespace": "prod"},
       "spec": {"secretName": "web-tls", "issuerRef": {"name": "ca"}}}
fake = FakeClientset(objects=[web])
print(fake.cert_manager_v1.certificates("prod").secret_name("web"))

async def main():
    async with AsyncFakeClientset(objects=[web]) as cs:
        return await cs.cert_manager_v1.certificates("prod").secret_name("web")
print(asyncio.run(main()))

factory = SharedInformerFactory(fake, namespace="prod")
lister = factory.cert_manager_v1.certificates().lister()
factory.start()
assert factory.wait_for_cache_sync(timeout=30)
print([c.metadata.name for c in lister.for_secret("web-tls")])
factory.shutdown()
"""


def _generate(out: Path, *extra: str) -> int:
    return main(["generate", "--crd", str(CRD), "--out", str(out), *extra])


def _verify(out: Path) -> int:
    return main(["verify", "--crd", str(CRD), "--out", str(out)])


def _run_use(project: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}
    done = subprocess.run(
        [sys.executable, "-c", USE], cwd=project, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """`certmanager/` with the user's expansions in place, as in a user's repository."""
    out = tmp_path / "certmanager"
    (out / "expansions").mkdir(parents=True)
    (out / "expansions" / "__init__.py").write_text("")
    shutil.copy(EXPANSION, out / "expansions" / "cert_manager_v1.py")
    return out


def test_generated_clients_and_listers_carry_the_expansion_across_regeneration(
    package: Path,
) -> None:
    before = (package / "expansions" / "cert_manager_v1.py").read_bytes()
    assert _generate(package) == EXIT_OK
    assert _run_use(package.parent) == ["web-tls", "web-tls", "['web']"]

    assert _generate(package) == EXIT_OK  # regeneration: the expansion stays, untouched
    assert (package / "expansions" / "cert_manager_v1.py").read_bytes() == before
    assert (package / "expansions" / "__init__.py").read_text() == ""
    assert _verify(package) == EXIT_OK
    assert _run_use(package.parent) == ["web-tls", "web-tls", "['web']"]
    client = (package / "clients" / "cert_manager_v1.py").read_text()
    assert "from ..expansions.cert_manager_v1 import" in client
    assert "class CertificateClient(\n    CertificateExpansion,\n" in client


def test_adding_or_removing_an_expansion_makes_the_package_stale(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expansion = package / "expansions" / "cert_manager_v1.py"
    text = expansion.read_text()
    expansion.unlink()
    assert _generate(package) == EXIT_OK
    assert "Expansion" not in (package / "clients" / "cert_manager_v1.py").read_text()

    expansion.write_text(text)
    capsys.readouterr()
    assert _verify(package) == EXIT_DIFFERENT
    stale = capsys.readouterr().out
    assert "clients/cert_manager_v1.py" in stale and "listers/cert_manager_v1.py" in stale
    assert _generate(package) == EXIT_OK
    expansion.unlink()  # removed again: the generated code must not import it any more
    assert _generate(package) == EXIT_OK
    assert "expansions" not in (package / "clients" / "cert_manager_v1.py").read_text()


def test_only_expansion_classes_count_and_the_files_are_not_run(tmp_path: Path) -> None:
    folder = tmp_path / "expansions"
    folder.mkdir()
    (folder / "apps_v1.py").write_text(
        "raise SystemExit('imported!')\n"
        "class DeploymentExpansion: ...\n"
        "class Helper: ...\n"
        "def StatefulSetExpansion(): ...\n"
    )
    (folder / "__init__.py").write_text("class IgnoredExpansion: ...\n")
    assert find_expansions(tmp_path) == {"apps_v1": frozenset({"DeploymentExpansion"})}


def test_an_expansion_that_does_not_parse_is_a_usage_error_naming_it(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (package / "expansions" / "cert_manager_v1.py").write_text("class CertificateExpansion(\n")
    assert _generate(package) == EXIT_USAGE
    error = capsys.readouterr().err
    assert "expansions/cert_manager_v1.py" in error and "not valid Python" in error
    assert not (package / "clients").exists()  # nothing half-written
