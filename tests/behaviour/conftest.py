"""One behavioural suite, two backends: the fake clientset and the real test apiserver.

Every test takes `backend` and runs twice: `fake` (in-memory, always) and `real` (marked e2e,
skipped without the cluster binaries). Where the fake deliberately differs, the test calls
`backend.fake_differs(reason)`, which marks the fake run `xfail(strict=True)`: if the fake ever
starts to behave like the apiserver there, the run fails and the mark must go.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kubetyped_kubernetes import Clientset, FakeClientset
from tests.behaviour.support import Backend


@pytest.fixture(params=["fake", pytest.param("real", marks=pytest.mark.e2e)])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    cs: Any
    if request.param == "fake":
        cs, namespace = FakeClientset(), "behaviour"
    else:
        kubeconfig = request.getfixturevalue("kubeconfig_path")
        namespace = request.getfixturevalue("namespace")
        cs = Clientset.from_kubeconfig(kubeconfig, context="admin")
    try:
        yield Backend(request.param, cs, namespace, request)
    finally:
        cs.close()
