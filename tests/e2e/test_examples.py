"""Every example in examples/ runs against the real apiserver and has its observable effect.

Examples run in-process (`main([...])`) with the fixture kubeconfig, the `admin` context and a
fresh namespace; each case then checks the cluster state the example should have left.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

from kubetyped.errors import NotFoundError
from kubetyped.rest import RESTClient
from tests.cluster import ClusterInfo

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# examples import their helper module (`_support`) as scripts do: from their own folder
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"kubetyped_example_{name}", EXAMPLES / name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Run:
    """What a case needs: the cluster, a REST client, the namespace, and the example's output."""

    cluster: ClusterInfo
    rest: RESTClient
    namespace: str
    tmp_path: Path
    monkeypatch: pytest.MonkeyPatch
    output: str = ""
    args: list[str] = field(default_factory=list)


def standard_args(run: Run) -> list[str]:
    return [
        "--kubeconfig",
        str(run.cluster.kubeconfig_path),
        "--context",
        "admin",
        "--namespace",
        run.namespace,
    ]


def configmap(run: Run, name: str, data: dict[str, str] | None = None) -> None:
    run.rest.create(
        f"/api/v1/namespaces/{run.namespace}/configmaps",
        {"metadata": {"name": name}, "data": data or {"k": "v"}},
    )


# ---- per-example setup (returns the argv) and checks ----------------------------------------


def out_of_cluster_setup(run: Run) -> list[str]:
    configmap(run, "visible-from-outside")
    return standard_args(run)


def out_of_cluster_check(run: Run) -> None:
    version = run.rest.get("/version")["gitVersion"]
    assert f"server version: {version}" in run.output
    assert f"1 ConfigMaps in namespace {run.namespace}" in run.output
    assert "visible-from-outside" in run.output


def in_cluster_setup(run: Run) -> list[str]:
    """A fake pod: service-account dir (admin token, CA, namespace) and the service env."""
    configmap(run, "visible-from-inside")
    sa = run.tmp_path / "serviceaccount"
    sa.mkdir()
    (sa / "token").write_text(run.cluster.admin_token)
    (sa / "ca.crt").write_bytes(run.cluster.ca_path.read_bytes())
    (sa / "namespace").write_text(run.namespace)
    server = urlsplit(run.cluster.server)
    run.monkeypatch.setenv("KUBERNETES_SERVICE_HOST", server.hostname or "")
    run.monkeypatch.setenv("KUBERNETES_SERVICE_PORT", str(server.port))
    run.monkeypatch.delenv("POD_NAMESPACE", raising=False)
    return ["--service-account-dir", str(sa)]


def in_cluster_check(run: Run) -> None:
    assert f"namespace {run.namespace}" in run.output
    assert "visible-from-inside" in run.output
    assert run.cluster.admin_token not in run.output


def deployment_setup(run: Run) -> list[str]:
    return [*standard_args(run), "--name", "kept", "--keep"]


def deployment_check(run: Run) -> None:
    path = f"/apis/apps/v1/namespaces/{run.namespace}/deployments"
    kept = run.rest.get(f"{path}/kept")
    # create (generation 1), update (2), rollback (3): image back, replicas from the update.
    assert kept["metadata"]["generation"] == 3
    assert kept["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert kept["spec"]["replicas"] == 1
    for step in ("created", "updated", "rolled back"):
        assert f"{step} deployment kept" in run.output
    # A second run without --keep ends with the Deployment deleted.
    module = load_example("deployment_crud.py")
    assert module.main([*standard_args(run), "--name", "gone"]) == 0
    with pytest.raises(NotFoundError):
        run.rest.get(f"{path}/gone")


def apply_setup(run: Run) -> list[str]:
    return [*standard_args(run), str(EXAMPLES / "manifests" / "app.yaml")]


def apply_check(run: Run) -> None:
    ns = run.namespace
    cm = run.rest.get(f"/api/v1/namespaces/{ns}/configmaps/demo-app-config")
    deployment = run.rest.get(f"/apis/apps/v1/namespaces/{ns}/deployments/demo-app")
    service = run.rest.get(f"/api/v1/namespaces/{ns}/services/demo-app")
    assert cm["data"] == {"greeting": "hello", "log-level": "info"}
    assert deployment["spec"]["replicas"] == 2
    assert service["spec"]["ports"][0]["port"] == 80
    for obj in (cm, deployment, service):
        managers = {m["manager"]: m["operation"] for m in obj["metadata"]["managedFields"]}
        assert managers.get("kubetyped-example") == "Apply"
    # Applying the same manifest again is a no-op: nothing changes.
    module = load_example("server_side_apply.py")
    assert module.main(apply_setup(run)) == 0
    again = run.rest.get(f"/apis/apps/v1/namespaces/{ns}/deployments/demo-app")
    assert again["metadata"]["resourceVersion"] == deployment["metadata"]["resourceVersion"]


def dynamic_setup(run: Run) -> list[str]:
    return [*standard_args(run), "--name", "w1", "--keep"]


def dynamic_check(run: Run) -> None:
    widget = run.rest.get(f"/apis/examples.kubetyped.io/v1/namespaces/{run.namespace}/widgets/w1")
    assert widget["spec"] == {"color": "blue", "size": 3}
    assert "widgets in" in run.output and "w1" in run.output


def informer_setup(run: Run) -> list[str]:
    configmap(run, "before-start")
    return [*standard_args(run), "--once", "--seconds", "20"]


def informer_check(run: Run) -> None:
    assert "cache synced: 1 ConfigMaps" in run.output
    assert f"ADDED    {run.namespace}/before-start (initial list)" in run.output
    created = [
        item["metadata"]["name"]
        for item in run.rest.list(f"/api/v1/namespaces/{run.namespace}/configmaps")["items"]
        if item["metadata"]["name"].startswith("informer-example-")
    ]
    assert len(created) == 1
    assert f"lister has {run.namespace}/{created[0]} with data {{'a': '1'}}" in run.output


def controller_setup(run: Run) -> list[str]:
    labels = {"example.kubetyped.io/managed": "true"}
    for name in ("managed-a", "managed-b"):
        run.rest.create(
            f"/api/v1/namespaces/{run.namespace}/configmaps",
            {"metadata": {"name": name, "labels": labels}},
        )
    configmap(run, "unmanaged")
    return [*standard_args(run), "--identity", "replica-1", "--max-items", "2", "--seconds", "40"]


def controller_check(run: Run) -> None:
    base = f"/api/v1/namespaces/{run.namespace}/configmaps"
    for name in ("managed-a", "managed-b"):
        annotations = run.rest.get(f"{base}/{name}")["metadata"].get("annotations") or {}
        assert annotations.get("example.kubetyped.io/processed-by") == "replica-1"
        assert f"processed {run.namespace}/{name}" in run.output
    assert "annotations" not in run.rest.get(f"{base}/unmanaged")["metadata"]
    assert "leader is replica-1" in run.output
    lease = run.rest.get(
        f"/apis/coordination.k8s.io/v1/namespaces/{run.namespace}/leases/example-controller"
    )
    # Released on exit (release_on_cancel): no holder, so a standby takes over at once.
    assert not lease["spec"].get("holderIdentity")


def typed_crd_setup(run: Run) -> list[str]:
    return [*standard_args(run), "--name", "tw", "--keep", "--out", str(run.tmp_path / "gen")]


def typed_crd_check(run: Run) -> None:
    generated = run.tmp_path / "gen" / "widgets_client"
    assert (generated / "models" / "examples_kubetyped_io_v1" / "_widget.py").is_file()
    widget = run.rest.get(f"/apis/examples.kubetyped.io/v1/namespaces/{run.namespace}/widgets/tw")
    # Created green with 1 replica, then scaled to 4; the invalid color was rejected.
    assert widget["spec"] == {"color": "green", "size": 2, "replicas": 4}
    assert "rejected color purple" in run.output and "Unsupported value" in run.output
    assert "scaled tw to 4 replicas" in run.output


@dataclass(frozen=True)
class Case:
    script: str
    setup: Callable[[Run], list[str]]
    check: Callable[[Run], None]


CASES = [
    Case("out_of_cluster.py", out_of_cluster_setup, out_of_cluster_check),
    Case("in_cluster.py", in_cluster_setup, in_cluster_check),
    Case("deployment_crud.py", deployment_setup, deployment_check),
    Case("server_side_apply.py", apply_setup, apply_check),
    Case("dynamic_crd.py", dynamic_setup, dynamic_check),
    Case("informer_lister.py", informer_setup, informer_check),
    Case("workqueue_leader_election.py", controller_setup, controller_check),
    Case("crd_typed_clients.py", typed_crd_setup, typed_crd_check),
]


@pytest.mark.parametrize("case", CASES, ids=[c.script.removesuffix(".py") for c in CASES])
def test_example(
    case: Case,
    cluster: ClusterInfo,
    rest: RESTClient,
    namespace: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Discovery's disk cache goes to a per-test HOME, not the user's ~/.kube.
    monkeypatch.setenv("HOME", str(tmp_path))
    run = Run(cluster, rest, namespace, tmp_path, monkeypatch)
    argv = case.setup(run)
    module = load_example(case.script)
    assert module.main(argv) == 0
    run.output = capsys.readouterr().out
    case.check(run)


# Examples with an end-to-end test file of their own.
TESTED_ELSEWHERE = {
    "configmap_secret_mirror.py": "tests/e2e/test_example_mirror_controller.py",
    "deploy_folder.py": "tests/e2e/test_examples_full_cluster.py",
    "pod_tools.py": "tests/e2e/test_examples_full_cluster.py",
}


def test_every_example_is_tested() -> None:
    scripts = {p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")}
    assert scripts == {c.script for c in CASES} | set(TESTED_ELSEWHERE)
    root = EXAMPLES.parent
    assert all((root / test).is_file() for test in TESTED_ELSEWHERE.values())


def test_examples_run_as_scripts(cluster: ClusterInfo, namespace: str, tmp_path: Path) -> None:
    """`python examples/<script>.py ...` works from a shell, not only via `main()`."""
    env = {**os.environ, "HOME": str(tmp_path)}
    args = ["--kubeconfig", str(cluster.kubeconfig_path), "--context", "admin"]
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "out_of_cluster.py"), *args, "--namespace", namespace],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"0 ConfigMaps in namespace {namespace}" in result.stdout
    bad = subprocess.run(
        [sys.executable, str(EXAMPLES / "out_of_cluster.py"), *args[:2], "--context", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert bad.returncode != 0 and "nope" in bad.stderr


def test_examples_create_their_namespace(
    cluster: ClusterInfo, rest: RESTClient, tmp_path: Path
) -> None:
    """`--namespace demo` works on a cluster without `demo`: the example creates it."""
    namespace = f"demo-{os.urandom(3).hex()}"
    args = ["--kubeconfig", str(cluster.kubeconfig_path), "--context", "admin"]
    try:
        result = subprocess.run(
            [sys.executable, str(EXAMPLES / "deployment_crud.py"), *args, "--namespace", namespace],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "HOME": str(tmp_path)},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert f"created namespace {namespace}" in result.stdout
        assert rest.get(f"/api/v1/namespaces/{namespace}")["metadata"]["name"] == namespace
    finally:
        with contextlib.suppress(NotFoundError):
            rest.delete(f"/api/v1/namespaces/{namespace}")
