"""Shared pytest fixtures: the real test cluster (session) and a fresh namespace per test.

Design: pytest owns the cluster. The session fixture `cluster` starts etcd + kube-apiserver once,
on first use by an e2e test, and stops them at session end. Set KUBETYPED_TEST_KUBECONFIG
(and optionally KUBETYPED_TEST_ETCD) to reuse a cluster started by `python -m tests.cluster`.
`full_cluster` is a second, complete cluster (kube-controller-manager, kube-scheduler and a
kwok node: pods run) started only when a test asks for it; KUBETYPED_TEST_FULL_KUBECONFIG
reuses one started by `python -m tests.cluster --full` (`make cluster FULL=1`).

When the binaries are missing, e2e tests skip locally but FAIL under CI=true or
KUBETYPED_REQUIRE_CLUSTER=1 (as `make test` sets), so a green run always exercised the cluster.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

# `tests.cluster` is imported as a package from the repository root (also `python -m tests.cluster`).
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from tests.cluster import (  # noqa: E402
    Cluster,
    ClusterInfo,
    ClusterStartError,
    binaries_dir,
    binaries_present,
)


def _cluster_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(
        "KUBETYPED_REQUIRE_CLUSTER", ""
    ) not in ("", "0")


_start_failures: dict[bool, str] = {}


def _session_cluster(
    tmp_path_factory: pytest.TempPathFactory, *, full: bool
) -> Iterator[ClusterInfo]:
    external = os.environ.get(
        "KUBETYPED_TEST_FULL_KUBECONFIG" if full else "KUBETYPED_TEST_KUBECONFIG"
    )
    if external:
        files = tmp_path_factory.mktemp("cluster-info")
        etcd = None if full else os.environ.get("KUBETYPED_TEST_ETCD")
        yield ClusterInfo.from_kubeconfig(Path(external), files, etcd)
        return
    what = "complete test cluster" if full else "test cluster"
    if not binaries_present(full):
        message = f"{what} binaries missing in {binaries_dir()}; run `make cluster-binaries`"
        if _cluster_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if full in _start_failures:  # pytest retries a failed session fixture for every test
        pytest.fail(_start_failures[full], pytrace=False)
    control_plane = Cluster(full=full)
    try:
        info = control_plane.start()
    except ClusterStartError as exc:
        _start_failures[full] = f"{what} did not start: {exc}"
        pytest.fail(_start_failures[full], pytrace=False)
    memory = sum(control_plane.memory().values()) / 2**20
    print(
        f"\n{what} ready in {info.started_in:.1f}s at {info.server} ({memory:.0f} MiB resident)",
        file=sys.stderr,
    )
    try:
        yield info
    finally:
        control_plane.stop()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterInfo]:
    """A running kube-apiserver reachable as `admin` (cert), `admin-token` and `alice`.

    No controllers run: pods stay Pending, nothing is garbage-collected."""
    yield from _session_cluster(tmp_path_factory, full=False)


@pytest.fixture(scope="session")
def full_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterInfo]:
    """A complete cluster (own etcd and apiserver, kube-controller-manager, kube-scheduler, kwok
    with one Ready node): pods get scheduled and Running, Deployments roll out, the garbage
    collector and namespace controller work; `info.kwok` tells where kwok's pods log, exec and
    port-forward. Same users and contexts as `cluster`."""
    yield from _session_cluster(tmp_path_factory, full=True)


@pytest.fixture
def full_namespace(full_cluster: ClusterInfo) -> Iterator[str]:
    """A fresh namespace in the complete cluster whose `default` ServiceAccount exists (so pods
    can be created); deleted afterwards without waiting."""
    import time

    name = f"t-{secrets.token_hex(5)}"
    with full_cluster.http("admin", timeout=30) as http:
        created = http.post(
            "/api/v1/namespaces",
            json={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
        )
        assert created.status_code == 201, created.text
        deadline = time.monotonic() + 60
        path = f"/api/v1/namespaces/{name}/serviceaccounts/default"
        while http.get(path).status_code != 200:
            assert time.monotonic() < deadline, f"no default ServiceAccount in {name}"
            time.sleep(0.1)
        yield name
        http.delete(f"/api/v1/namespaces/{name}")


@pytest.fixture(scope="session")
def kubeconfig_path(cluster: ClusterInfo) -> Path:
    """The kubeconfig of the test cluster; contexts `admin`, `admin-token`, `alice`."""
    return cluster.kubeconfig_path


@pytest.fixture
def namespace(cluster: ClusterInfo) -> Iterator[str]:
    """A fresh namespace for one test, deleted afterwards without waiting.

    There is no namespace controller, so deleted namespaces stay Terminating."""
    name = f"t-{secrets.token_hex(5)}"
    with cluster.http("admin", timeout=30) as http:
        created = http.post(
            "/api/v1/namespaces",
            json={"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
        )
        assert created.status_code == 201, created.text
        yield name
        http.delete(f"/api/v1/namespaces/{name}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under tests/e2e/ is an e2e test, marked or not."""
    for item in items:
        if "e2e" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.e2e)


# -- kubetyped clients of the test cluster (imported lazily: unit runs need no cluster) ---------


@pytest.fixture
def admin_config(kubeconfig_path: Path) -> Any:
    """`ClientConfig` of the `admin` context (client certificate, system:masters)."""
    from kubetyped.config import load_kubeconfig

    return load_kubeconfig(kubeconfig_path, context="admin")


@pytest.fixture
def rest(admin_config: Any) -> Iterator[Any]:
    """A `RESTClient` as admin."""
    from kubetyped.rest import RESTClient

    with RESTClient.from_config(admin_config) as client:
        yield client


@pytest.fixture
async def async_rest(admin_config: Any) -> AsyncIterator[Any]:
    """An `AsyncRESTClient` as admin."""
    from kubetyped.rest import AsyncRESTClient

    async with AsyncRESTClient.from_config(admin_config) as client:
        yield client


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the process with pytest's exit status once pytest itself is done.

    Loopback servers and readers in the tests leave daemon threads blocked in `accept`/`recv`;
    twice in about five runs the interpreter's shutdown then never finished after the summary
    line (cause not found; no kubetyped thread was among those left). Nothing runs after this
    hook but interpreter finalization, so skipping it loses no result. The threads still alive
    are named on stderr so the leak stays visible.
    """
    import threading

    left = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    if left:
        print(
            f"\n[kubetyped tests] {len(left)} threads left at exit: {sorted(set(left))}",
            file=sys.stderr,
        )
    status = getattr(config, "_kubetyped_exitstatus", None)
    if status is None or os.environ.get("KUBETYPED_NORMAL_EXIT"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(status))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remember pytest's exit status for `pytest_unconfigure`."""
    session.config._kubetyped_exitstatus = exitstatus  # type: ignore[attr-defined]
