"""Shared pytest fixtures: the real test cluster (session) and a fresh namespace per test.

Design: pytest owns the cluster. The session fixture `cluster` starts etcd + kube-apiserver once,
on first use by an e2e test, and stops them at session end. Set KUBETYPED_TEST_KUBECONFIG
(and optionally KUBETYPED_TEST_ETCD) to reuse a cluster started by `python -m tests.cluster`.

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


_start_failure: list[str] = []


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClusterInfo]:
    """A running kube-apiserver reachable as `admin` (cert), `admin-token` and `alice`."""
    external = os.environ.get("KUBETYPED_TEST_KUBECONFIG")
    if external:
        files = tmp_path_factory.mktemp("cluster-info")
        etcd = os.environ.get("KUBETYPED_TEST_ETCD")
        yield ClusterInfo.from_kubeconfig(Path(external), files, etcd)
        return
    if not binaries_present():
        message = f"test cluster binaries missing in {binaries_dir()}; run `make cluster-binaries`"
        if _cluster_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if _start_failure:  # pytest retries a failed session fixture for every test: fail fast
        pytest.fail(_start_failure[0], pytrace=False)
    control_plane = Cluster()
    try:
        info = control_plane.start()
    except ClusterStartError as exc:
        _start_failure.append(f"test cluster did not start: {exc}")
        pytest.fail(_start_failure[0], pytrace=False)
    print(f"\ntest cluster ready in {info.started_in:.1f}s at {info.server}", file=sys.stderr)
    try:
        yield info
    finally:
        control_plane.stop()


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
