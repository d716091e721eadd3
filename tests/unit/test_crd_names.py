"""A class name of a CRD structure depends only on its kind, version and path (issue 14 §2).

Structures shared by several paths are one class, defined under one name; every other path's
name is a module-level alias of it, so what a user imports never changes when another version
of the CRD, or another CRD of the run, changes. Inputs: the gateway-api HTTPRoute CRD of the
corpus (``tests/data/crds/corpus/gateway-api.tar.xz``) and ``tests/data/crds/cert-manager/``.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from kubetyped_codegen.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "crds"
CERT_MANAGER = DATA / "cert-manager"


@pytest.fixture
def packages(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("names_")]:
            del sys.modules[name]


def generate(crds: Path, out: Path, package: str, module: str) -> ModuleType:
    assert main(["generate", "--crd", str(crds), "--package", package, "--out", str(out)]) == 0
    return importlib.import_module(f"{package}.models.{module}")


def structure(value: Any) -> Any:
    """What a name stands for: a model's fields (wire names), or the apply TypedDict's keys."""
    fields = getattr(value, "model_fields", None)
    if fields is not None:
        return sorted((name, f.alias or name) for name, f in fields.items())
    return sorted(getattr(value, "__annotations__", {}))


def assert_names_kept(before: ModuleType, after: ModuleType) -> int:
    names = list(before.__all__)
    missing = [n for n in names if n not in after.__all__]
    assert not missing, missing
    for name in names:
        assert structure(getattr(after, name)) == structure(getattr(before, name)), name
    return len(names)


def test_a_version_keeps_its_names_when_another_version_stops_being_served(
    packages: Path,
) -> None:
    """HTTPRoute v1beta1 marked not served (the v1 schema unchanged) renamed v1 classes
    (``HTTPRouteSpecRulesFiltersCors`` -> ``FiltersCors``): a name shared by both versions'
    structures was given up."""
    with tarfile.open(DATA / "corpus" / "gateway-api.tar.xz") as archive:
        archive.extractall(packages / "src", filter="data")
    source = packages / "src" / "gateway-api" / "gateway.networking.k8s.io_httproutes.yaml"
    full, unserved = packages / "full", packages / "unserved"
    full.mkdir()
    unserved.mkdir()
    shutil.copy(source, full)
    crd = yaml.safe_load(source.read_text())
    versions = {v["name"]: v for v in crd["spec"]["versions"]}
    assert versions["v1beta1"]["served"] is True
    versions["v1beta1"]["served"] = False
    (unserved / source.name).write_text(yaml.safe_dump(crd))
    module = "gateway_networking_k8s_io_v1"
    before = generate(full, packages / "names_full", "names_full", module)
    after = generate(unserved, packages / "names_unserved", "names_unserved", module)
    assert "HTTPRouteSpecRulesFiltersCors" in before.__all__
    assert assert_names_kept(before, after) == len(after.__all__)
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("names_unserved.models.gateway_networking_k8s_io_v1beta1")


def test_a_kind_keeps_its_names_whatever_other_crds_are_in_the_run(packages: Path) -> None:
    """Certificate alone had ``CertificateStatusConditions``; with the other cert-manager CRDs
    it became ``StatusConditions``, and its JKS password ref ``IssuerSpecVaultCaBundleSecretRef``."""
    alone = packages / "alone"
    alone.mkdir()
    shutil.copy(CERT_MANAGER / "cert-manager.io_certificates.yaml", alone)
    before = generate(alone, packages / "names_alone", "names_alone", "cert_manager_v1")
    after = generate(CERT_MANAGER, packages / "names_all", "names_all", "cert_manager_v1")
    assert assert_names_kept(before, after) >= 40
    # one class, several names: the same type for isinstance and type checkers
    assert after.CertificateStatusConditions is after.IssuerStatusConditions
    raw = {"create": True, "passwordSecretRef": {"name": "s", "key": "k"}}
    jks = after.CertificateSpecKeystoresJks.model_validate(raw)
    assert isinstance(jks.password_secret_ref, after.CertificateSpecKeystoresJksPasswordSecretRef)
    assert isinstance(jks.password_secret_ref, after.IssuerSpecVaultCaBundleSecretRef)
    apply: Any = after.CertificateStatusConditionsApplyConfiguration
    assert apply is after.IssuerStatusConditionsApplyConfiguration
