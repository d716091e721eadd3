"""Cold-start hygiene: a token kubeconfig must not load the exec/OIDC machinery (or what only they
need), while the public names stay importable. Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from kubetyped.version import VERSION

REPO = Path(__file__).resolve().parents[2]

TOKEN_KUBECONFIG = """
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: not-a-secret}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
"""

EXEC_KUBECONFIG = TOKEN_KUBECONFIG.replace(
    "user: {token: not-a-secret}",
    "user: {exec: {command: p, apiVersion: client.authentication.k8s.io/v1beta1}}",
)

#: Loaded only for users that need them (exec plugin, OIDC, refreshed-token persistence).
OUR_LAZY_MODULES = ["kubetyped.auth.exec_plugin", "kubetyped.auth.oidc", "kubetyped.config.persist"]
#: Standard modules our code used to import eagerly; third-party imports may still load them.
STDLIB_LAZY_MODULES = ["asyncio", "subprocess", "signal", "importlib.metadata", "tempfile"]


def _loaded_after(code: str) -> set[str]:
    """The names in sys.modules after running `code` in a fresh interpreter."""
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


@pytest.fixture(scope="module")
def third_party_baseline() -> set[str]:
    """What our dependencies load on their own for the same work (httpx client, pydantic, yaml)."""
    return _loaded_after(
        "import httpx, pydantic, yaml, orjson\n"
        "yaml.load('a: 1', Loader=yaml.CSafeLoader)\n"
        "httpx.Client(transport=httpx.HTTPTransport()).close()"
    )


def test_token_user_does_not_load_exec_or_oidc(
    tmp_path: Path, third_party_baseline: set[str]
) -> None:
    path = tmp_path / "config"
    path.write_text(TOKEN_KUBECONFIG)
    loaded = _loaded_after(
        "from kubetyped_kubernetes import Clientset\n"
        "from kubetyped_kubernetes.models.core_v1 import Pod\n"
        f"cs = Clientset.from_kubeconfig({str(path)!r})\n"
        "cs.core_v1.pods('default')"
    )
    assert "kubetyped.rest" in loaded and "kubetyped.auth.static" in loaded  # the path did run
    assert [m for m in OUR_LAZY_MODULES if m in loaded] == []
    ours = [m for m in STDLIB_LAZY_MODULES if m in loaded and m not in third_party_baseline]
    assert ours == []


def test_exec_user_loads_exec_plugin_on_demand(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(EXEC_KUBECONFIG)
    loaded = _loaded_after(
        "from kubetyped.config import load_kubeconfig\n"
        f"cfg = load_kubeconfig({str(path)!r})\n"
        "assert type(cfg.auth).__name__ == 'ExecAuth', cfg.auth"
    )
    assert "kubetyped.auth.exec_plugin" in loaded
    assert "kubetyped.auth.oidc" not in loaded


def test_lazy_auth_names_resolve_to_their_modules() -> None:
    import kubetyped.auth as auth
    from kubetyped.auth import exec_plugin, oidc

    assert auth.ExecAuth is exec_plugin.ExecAuth
    assert auth.run_exec_plugin is exec_plugin.run_exec_plugin
    assert auth.OIDCConfig is oidc.OIDCConfig and auth.jwt_expiry is oidc.jwt_expiry
    assert set(auth.__all__) <= set(dir(auth))
    assert all(getattr(auth, name) is not None for name in auth.__all__)
    with pytest.raises(AttributeError, match="NoSuchAuth"):
        _ = auth.NoSuchAuth  # type: ignore[attr-defined]


def test_version_constant_matches_project_metadata() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["version"] == VERSION == metadata.version("kubetyped")
