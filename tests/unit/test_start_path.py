"""The client start path stays light (issue 16, "import + client + Pod").

`import kubetyped` + `Clientset.from_config(...)` + the first group access + touching a model
class load only what that needs: checked in a fresh interpreter through `sys.modules` (no
wall-clock thresholds). And the system trust roots are read at the first TLS connection, not when
the client is built (Go's crypto/x509 loads them once, on first verification), checked against a
real loopback TLS server whose CA is made the "system" store only after the client exists.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from auth_loopback import ApiServerStub, server_context, test_ca

from kubetyped.config import ClientConfig
from kubetyped.errors import TransportError
from kubetyped_kubernetes import AsyncClientset, Clientset

# What a user's first lines do (the benchmark's import snippet, benchmarks/bench_import.py).
START = """
import kubetyped
from kubetyped_kubernetes import Clientset
from kubetyped.config import ClientConfig
cs = Clientset.from_config(ClientConfig(server="https://127.0.0.1:1"))
cs.core_v1.pods()
from kubetyped_kubernetes.models.core_v1 import Pod
import sys
print("\\n".join(sorted(sys.modules)))
"""

# Modules the start path must not import: each is needed only by a feature the first call does
# not use (kubeconfig files, exec/OIDC credentials, caches, lists, websockets, asyncio, codegen).
MUST_NOT_IMPORT = (
    "asyncio",
    "yaml",
    "jinja2",
    "msgspec",
    "httpx_ws",
    "wsproto",
    "cryptography",
    "difflib",
    "kubetyped_codegen",
    "kubetyped_openapi",
    "kubetyped.yamlio",
    "kubetyped.config.kubeconfig",
    "kubetyped.config.loader",
    "kubetyped.config.incluster",
    "kubetyped.auth.exec_plugin",
    "kubetyped.auth.oidc",
    "kubetyped.cache",
    "kubetyped.dynamic",
    "kubetyped.metadata",
    "kubetyped.discovery",
    "kubetyped.scale",
    "kubetyped.workqueue",
    "kubetyped.leaderelection",
    "kubetyped.events",
    "kubetyped.fake",
    "kubetyped.manifests",
    "kubetyped.apply",
    "kubetyped.wait",
    "kubetyped.portforward",
    "kubetyped.remotecommand",
    "kubetyped.rest.websocket",
    "kubetyped_kubernetes.fake",
    "kubetyped_kubernetes.informers",
    "kubetyped_kubernetes.listers",
)

# Touching Pod loads its own module only: nested models are imported when first read.
MODEL_MODULES = {
    "kubetyped_kubernetes.models",
    "kubetyped_kubernetes.models.core_v1",
    "kubetyped_kubernetes.models.core_v1._pod",
}


def _start_path_modules() -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", START], capture_output=True, text=True, check=True, cwd="/"
    )
    return set(result.stdout.split())


def test_start_path_imports_only_what_the_first_call_needs() -> None:
    loaded = _start_path_modules()
    assert "kubetyped_kubernetes.clients.core_v1" in loaded  # the check sees the start path
    heavy = sorted(
        m for m in loaded for name in MUST_NOT_IMPORT if m == name or m.startswith(name + ".")
    )
    assert heavy == [], f"the client start path imports {heavy}"
    models = {m for m in loaded if m.startswith("kubetyped_kubernetes.models")}
    assert models == MODEL_MODULES
    clients = {m for m in loaded if m.startswith("kubetyped_kubernetes.clients.")}
    assert clients == {"kubetyped_kubernetes.clients.core_v1"}


@pytest.fixture
def no_system_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Makes the "system" trust store (OpenSSL's SSL_CERT_FILE) an empty file; returns its path."""
    roots = tmp_path / "roots.pem"
    roots.write_bytes(b"")
    monkeypatch.setenv("SSL_CERT_FILE", str(roots))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "no-such-dir"))
    return roots


def test_system_roots_are_read_at_the_first_connection(no_system_roots: Path) -> None:
    ca = test_ca()
    with ApiServerStub(tls=server_context(ca.serving_cert(["127.0.0.1"]))) as api:
        with Clientset.from_config(ClientConfig(server=api.url)) as cs:
            no_system_roots.write_bytes(ca.cert_pem)  # the CA enters the system store now
            assert cs.rest.get("/version")["code"] == 200
        with Clientset.from_config(ClientConfig(server=api.url)) as cs:
            no_system_roots.write_bytes(b"")  # and leaves it before this client connects
            with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
                cs.rest.get("/version")
    assert len(api.requests) == 1


async def test_system_roots_are_read_at_the_first_connection_async(
    no_system_roots: Path,
) -> None:
    ca = test_ca()
    with ApiServerStub(tls=server_context(ca.serving_cert(["127.0.0.1"]))) as api:
        async with AsyncClientset.from_config(ClientConfig(server=api.url)) as cs:
            no_system_roots.write_bytes(ca.cert_pem)
            assert (await cs.rest.get("/version"))["code"] == 200
        async with AsyncClientset.from_config(ClientConfig(server=api.url)) as cs:
            no_system_roots.write_bytes(b"")
            with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
                await cs.rest.get("/version")
    assert len(api.requests) == 1


def test_ca_data_still_replaces_the_system_roots(no_system_roots: Path) -> None:
    ca, other = test_ca(), test_ca()
    no_system_roots.write_bytes(ca.cert_pem)  # the system store trusts the server...
    with ApiServerStub(tls=server_context(ca.serving_cert(["127.0.0.1"]))) as api:
        config = ClientConfig(server=api.url, ca_data=other.cert_pem)  # ...the config does not
        with Clientset.from_config(config) as cs, pytest.raises(TransportError):
            cs.rest.get("/version")
    assert api.requests == []
