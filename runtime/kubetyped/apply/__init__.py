"""Apply a set of manifests with server-side apply (`kubectl apply --server-side -f DIR`).

`apply_manifests(dynamic, objects, field_manager=...)` (and `AsyncDynamicClient`'s twin in
`kubetyped.apply.async_apply`) applies each object in order through the REST mapper, and
returns one `ApplyResult` per object.
"""

from kubetyped.apply.common import ApplyError, ApplyResult
from kubetyped.apply.sync_apply import apply_manifests

__all__ = ["ApplyError", "ApplyResult", "apply_manifests"]
