"""Workqueue errors."""

from __future__ import annotations

from kubetyped.errors import KubetypedError

__all__ = ["QueueShutDown"]


class QueueShutDown(KubetypedError):
    """``get`` on a queue that is shut down and empty: the worker should exit."""
