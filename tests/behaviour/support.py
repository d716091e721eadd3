"""Helpers of the behavioural suite: the backend under test and valid test objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from kubetyped_kubernetes import Clientset


@dataclass
class Backend:
    name: str
    cs: Clientset
    namespace: str
    request: pytest.FixtureRequest

    @property
    def is_fake(self) -> bool:
        return self.name == "fake"

    def fake_differs(self, reason: str) -> None:
        if self.is_fake:
            self.request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


def deployment(
    name: str, *, replicas: int = 1, labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """A Deployment the real apiserver accepts (no controllers run, so nothing starts)."""
    return {
        "metadata": {"name": name, **({"labels": labels} if labels else {})},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "main", "image": "nginx:1.27"}]},
            },
        },
    }
