"""Snapshot a cluster that serves CRDs, and generate one package for all of its groups.

The cert-manager CRDs are installed into a dedicated apiserver (not the shared session
cluster, whose snapshots other tests compare with the committed one). Checked:
- ``kubetyped snapshot`` + ``kubetyped generate --spec <snapshot>``: the package has the
  built-in and the CRD groups, its CRD models are the ones CRD generation gives (same nested
  type names, e.g. ``CertificateSpecPrivateKey``, same files), and its clients work;
- ``kubetyped generate --kubeconfig`` (snapshot and generate in one step) prints its summary
  and gives a working package.
"""

from __future__ import annotations

import importlib
import re
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from crd_support import CRD_PATH, crd_established

from kubetyped.config import load_kubeconfig
from kubetyped.rest import RESTClient
from kubetyped_codegen.cli import main
from kubetyped_codegen.load_v3 import load_v3

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CRDS = ROOT / "tests" / "data" / "crds" / "cert-manager"
GROUPS = ("acme.cert-manager.io", "cert-manager.io")


def _ready(rest: RESTClient, names: list[str]) -> bool:
    if not all(crd_established(rest, name) for name in names):
        return False
    paths = rest.get("/openapi/v3").get("paths", {})
    if not all(f"apis/{g}/v1" in paths for g in GROUPS):
        return False
    document = orjson.loads(
        rest.get_bytes("/openapi/v3/apis/cert-manager.io/v1", accept="application/json")
    )
    return "io.cert-manager.v1.Certificate" in document.get("components", {}).get("schemas", {})


@pytest.fixture(scope="module")
def crd_cluster(cluster: object) -> Iterator[Path]:
    """A fresh apiserver serving every cert-manager CRD; its admin kubeconfig."""
    from tests.cluster import Cluster

    control_plane = Cluster()
    info = control_plane.start()
    try:
        with RESTClient.from_config(load_kubeconfig(info.kubeconfig_path, context="admin")) as rest:
            names = []
            for file in sorted(CRDS.glob("*.yaml")):
                document: dict[str, Any] = yaml.safe_load(file.read_text())
                names.append(document["metadata"]["name"])
                rest.create(CRD_PATH, document)
            deadline = time.monotonic() + 60
            while not _ready(rest, names):
                assert time.monotonic() < deadline, "CRDs not Established/published within 60s"
                time.sleep(0.3)
        yield info.kubeconfig_path
    finally:
        control_plane.stop()


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path`` on sys.path; packages imported from it are forgotten afterwards."""
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in set(sys.modules) - before:
            if getattr(sys.modules[name], "__file__", "") and str(tmp_path) in str(
                sys.modules[name].__file__
            ):
                del sys.modules[name]


def _classes(root: Path) -> dict[str, str]:
    """Each model file's class (its imports differ: a CRD package imports ObjectMeta from
    ``kubetyped_kubernetes``, a full package has its own)."""
    return {
        p.relative_to(root).as_posix(): p.read_text().partition("\n\nclass ")[2]
        for p in sorted(root.rglob("*.py"))
    }


def _use_certificates(package: str, kubeconfig: Path) -> None:
    """Create a namespace (built-in group) and a Certificate (CRD group) with ``package``
    (a full package: its own ObjectMeta)."""
    generated = importlib.import_module(package)
    models = importlib.import_module(f"{package}.models.cert_manager_v1")
    core = importlib.import_module(f"{package}.models.core_v1")
    meta = importlib.import_module(f"{package}.models.meta_v1")

    namespace = f"t-{secrets.token_hex(4)}"
    with generated.Clientset.from_kubeconfig(kubeconfig, context="admin") as cs:
        cs.core_v1.namespaces().create(core.Namespace(metadata=meta.ObjectMeta(name=namespace)))
        certificates = cs.cert_manager_v1.certificates(namespace)
        spec = models.CertificateSpec(
            secret_name="web-tls",
            dns_names=["web.example.com"],
            issuer_ref=models.CertificateSpecIssuerRef(name="selfsigned", kind="Issuer"),
            private_key=models.CertificateSpecPrivateKey(algorithm="ECDSA"),
        )
        created = certificates.create(
            models.Certificate(metadata=meta.ObjectMeta(name="web"), spec=spec)
        )
        assert isinstance(created, models.Certificate) and created.metadata.uid
        fetched = certificates.get("web")
        assert fetched.spec.private_key.algorithm == "ECDSA"
        assert fetched.spec.issuer_ref.kind == "Issuer"
        assert [c.metadata.name for c in certificates.list().items] == ["web"]
        issuers = cs.cert_manager_v1.issuers(namespace).list()
        assert issuers.items == []


def test_generate_from_snapshot_with_crds(
    crd_cluster: Path, importable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot_parent = importable / "snapshot"
    assert main(["snapshot", "--kubeconfig", str(crd_cluster), "--context", "admin",
                 "--out", str(snapshot_parent)]) == 0  # fmt: skip
    (snapshot,) = [p for p in snapshot_parent.iterdir() if p.is_dir()]
    assert (snapshot / "openapi-v3" / "apis__cert-manager.io__v1.json").is_file()

    package = f"allgroups_{secrets.token_hex(4)}"
    out = importable / package
    assert main(["generate", "--spec", str(snapshot), "--out", str(out),
                 "--package", package]) == 0  # fmt: skip
    summary = capsys.readouterr().out
    assert "generated Kubernetes" in summary and "groups" in summary and "kinds" in summary
    for module in ("core_v1", "apps_v1", "cert_manager_v1", "acme_cert_manager_io_v1"):
        assert (out / "models" / module / "__init__.py").is_file(), module
    assert (out / "clients" / "cert_manager_v1.py").is_file()
    assert (out / "models" / "cert_manager_v1" / "_certificate_spec_private_key.py").is_file()
    _use_certificates(package, crd_cluster)

    # CRD generation from the same cluster gives the same CRD models, file for file
    crd_package = f"crds_{secrets.token_hex(4)}"
    crd_out = importable / crd_package
    assert main(["generate", "--kubeconfig", str(crd_cluster), "--context", "admin",
                 *[a for g in GROUPS for a in ("--include-group", g)],
                 "--package", crd_package, "--out", str(crd_out)]) == 0  # fmt: skip
    for module in ("cert_manager_v1", "acme_cert_manager_io_v1"):
        full = _classes(out / "models" / module)
        crd = _classes(crd_out / "models" / module)
        assert sorted(full) == sorted(crd), module
        assert [p for p in full if full[p] != crd[p]] == [], module
    selected = [a for g in GROUPS for a in ("--include-group", g)]
    live = ["--kubeconfig", str(crd_cluster), "--context", "admin", *selected]
    assert main(["verify", *live, "--package", crd_package, "--out", str(crd_out)]) == 0

    # ... and so does the snapshot folder, offline: the same package, byte for byte
    offline = importable / f"offline_{secrets.token_hex(4)}"
    assert main(["generate", "--spec", str(snapshot), *selected, "--package", crd_package,
                 "--out", str(offline)]) == 0  # fmt: skip
    assert _tree(offline) == _tree(crd_out)
    assert main(["verify", "--spec", str(snapshot), *selected, "--package", crd_package,
                 "--out", str(crd_out)]) == 0  # fmt: skip
    (crd_out / "models" / "cert_manager_v1" / "_certificate.py").write_text(
        "# Code generated by kubetyped. DO NOT EDIT.\n"
    )
    assert main(["verify", *live, "--package", crd_package, "--out", str(crd_out)]) == 1


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def test_generate_from_kubeconfig_in_one_step(
    crd_cluster: Path, importable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = f"live_{secrets.token_hex(4)}"
    out = importable / package
    assert main(["generate", "--kubeconfig", str(crd_cluster), "--context", "admin",
                 "--out", str(out), "--package", package]) == 0  # fmt: skip
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    found = re.search(
        r"(\d+) groups, (\d+) versions, (\d+) kinds, (\d+) files .* in [\d.]+s$", summary
    )
    assert found, summary
    groups, versions, kinds, files = map(int, found.groups())
    # the cluster serves the GA part of the shipped snapshot (which has every API, alpha and
    # beta too; the test cluster runs without --runtime-config) plus the 2 CRD groups
    builtin = load_v3(ROOT / "openapi" / "kubetyped_openapi" / "1.36.tar.xz")
    builtin_gvs = [
        gv for g in builtin.groups for gv in g.versions if re.fullmatch(r"v\d+", gv.version)
    ]
    builtin_kinds = {(gv.group, gv.version, r.kind) for gv in builtin_gvs for r in gv.resources}
    builtin_groups = {gv.group for gv in builtin_gvs}
    assert (groups, versions) == (len(builtin_groups) + 2, len(builtin_gvs) + 2), summary
    assert kinds == len(builtin_kinds) + len(list(CRDS.glob("*.yaml"))), summary
    assert files == len([p for p in out.rglob("*") if p.is_file() and "__pycache__" not in p.parts])
    _use_certificates(package, crd_cluster)
