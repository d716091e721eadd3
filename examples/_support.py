"""Shared by the examples: the namespace an example works in exists before it starts.

`python examples/<name>.py --namespace demo` creates `demo` when it is missing (like
`kubectl create namespace demo`), so an example never fails with `namespaces "demo" not found`.
"""

from __future__ import annotations

from kubetyped.errors import AlreadyExistsError, ForbiddenError, NotFoundError
from kubetyped.rest import RESTClient


def ensure_namespace(rest: RESTClient, name: str) -> None:
    """Create namespace `name` unless it exists; a user who may not read namespaces is
    assumed to work in one that exists (their kubeconfig context's)."""
    try:
        rest.get(f"/api/v1/namespaces/{name}")
    except ForbiddenError:
        return
    except NotFoundError:
        try:
            rest.create("/api/v1/namespaces", {"metadata": {"name": name}})
            print(f"created namespace {name}")
        except AlreadyExistsError:
            pass  # created meanwhile
