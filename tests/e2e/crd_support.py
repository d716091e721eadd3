"""CustomResourceDefinition helpers shared by the e2e tests (no tests here)."""

from __future__ import annotations

import time

from kubetyped.rest import RESTClient

CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def crd_established(rest: RESTClient, name: str) -> bool:
    """Whether the CRD `name` has the condition `Established=True`."""
    conditions = (rest.get(f"{CRD_PATH}/{name}").get("status") or {}).get("conditions") or []
    return any(c["type"] == "Established" and c["status"] == "True" for c in conditions)


def wait_established(rest: RESTClient, name: str, timeout: float = 30.0) -> None:
    """Poll until the CRD `name` is Established; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not crd_established(rest, name):
        assert time.monotonic() < deadline, f"CRD {name} not Established within {timeout:g}s"
        time.sleep(0.2)
