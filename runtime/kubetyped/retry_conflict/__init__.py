"""`retry_on_conflict`: rerun a read-modify-write when the server answers 409 Conflict
(client-go `util/retry.RetryOnConflict`).

    def bump() -> None:
        deployment = client.get("web")            # read the latest version
        deployment.spec.replicas += 1             # modify it
        client.update(deployment)                 # write; 409 if someone else wrote first

    retry_on_conflict(bump)

`fn` runs up to `backoff.steps` times, sleeping between attempts; any other error is raised at
once, and after the last attempt the last `ConflictError` is raised. The delay schedule is a pure
function (`kubetyped.backoff.delays`); `async_retry` drives it and `sync_retry` is generated from it.
"""

from kubetyped.backoff import (
    DEFAULT_BACKOFF,
    DEFAULT_RETRY,
    Backoff,
    BackoffError,
    delays,
)
from kubetyped.retry_conflict.async_retry import async_retry_on_conflict
from kubetyped.retry_conflict.sync_retry import retry_on_conflict

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_RETRY",
    "Backoff",
    "BackoffError",
    "async_retry_on_conflict",
    "delays",
    "retry_on_conflict",
]
