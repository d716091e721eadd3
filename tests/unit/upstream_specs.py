"""Where the upstream Kubernetes specs are: `../shared/openapi/kubernetes` beside the repo.

A user's clone has no `../shared`, so tests that need it skip there; under CI (`CI=true`) a
missing folder fails instead, so a green CI run cannot silently skip them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UPSTREAM = Path(__file__).resolve().parents[3] / "shared" / "openapi" / "kubernetes"


def upstream_spec(minor: str) -> Path:
    """`swagger-1.<minor>.json`, or skip (fail under CI) when it is not there."""
    path = UPSTREAM / f"swagger-1.{minor}.json"
    if not path.is_file():
        message = f"{path} is not available (a clone without ../shared)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


#: Skips a test where the specs are missing, except under CI, where it then fails loudly.
needs_upstream = pytest.mark.skipif(
    not UPSTREAM.is_dir() and not os.environ.get("CI"),
    reason="upstream specs not available (a clone without ../shared)",
)
