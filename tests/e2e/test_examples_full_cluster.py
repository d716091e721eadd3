"""The examples that need running pods (examples/deploy_folder.py, examples/pod_tools.py), on the
complete cluster; each is run in-process and its effect checked."""

# mypy: disable-error-code="union-attr, index, operator"

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kubetyped.errors import NotFoundError
from kubetyped.wait import field_equals
from kubetyped_kubernetes import Clientset
from tests.cluster import ClusterInfo
from tests.cluster.nodes import cri_log_line
from tests.e2e.test_examples import EXAMPLES, load_example


def args(cluster: ClusterInfo, namespace: str) -> list[str]:
    return ["--kubeconfig", str(cluster.kubeconfig_path), "--context", "admin",
            "--namespace", namespace]  # fmt: skip


def test_deploy_folder(
    full_cluster: ClusterInfo, full_namespace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    example = load_example("deploy_folder.py")
    folder = EXAMPLES / "deploy"
    assert example.main([str(folder), *args(full_cluster, full_namespace), "--delete"]) == 0
    out = capsys.readouterr().out
    assert f"deployment/{full_namespace}/hello serverside-applied" in out
    assert "deployment hello available (2 ready)" in out
    assert "deployment hello deleted with its pods" in out
    with Clientset.from_kubeconfig(full_cluster.kubeconfig_path, context="admin") as cs:
        assert cs.core_v1.config_maps(full_namespace).get("hello-config").data == {
            "greeting": "hello"
        }
        with pytest.raises(NotFoundError):
            cs.apps_v1.deployments(full_namespace).get("hello")


@pytest.fixture
def web_root(full_cluster: ClusterInfo, tmp_path: Path) -> Iterator[Path]:
    """An HTTP server where kwok forwards pod port 8080 to."""
    assert full_cluster.kwok is not None

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: object, **kw: object) -> None:
            super().__init__(*a, directory=str(tmp_path), **kw)  # type: ignore[arg-type]

        def log_message(self, *a: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", full_cluster.kwok.forward_target_port), Handler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield tmp_path
    finally:
        server.shutdown()
        server.server_close()


def test_pod_tools(
    full_cluster: ClusterInfo,
    full_namespace: str,
    web_root: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert full_cluster.kwok is not None
    (web_root / "hello.txt").write_text("hi")
    with Clientset.from_kubeconfig(full_cluster.kubeconfig_path, context="admin") as cs:
        pods = cs.core_v1.pods(full_namespace)
        pods.create(
            {"metadata": {"name": "tools"}, "spec": {"containers": [{"name": "c", "image": "x"}]}}
        )
        pods.wait_for("tools", field_equals(".status.phase", "Running"), timeout=60)
    with full_cluster.kwok.logs_file.open("a") as log:
        log.write(cri_log_line("example log line"))
    example = load_example("pod_tools.py")
    argv = ["tools", *args(full_cluster, full_namespace), "--path", "/hello.txt"]
    assert example.main([*argv, "--follow-seconds", "1"]) == 0
    out = capsys.readouterr().out
    assert "exec exit code 0: hello from" in out
    assert "got: ping" in out and "interactive exit code 0" in out
    assert "log: example log line" in out
    assert "GET /hello.txt through the pod: 200" in out
