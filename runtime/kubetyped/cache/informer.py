"""Shared index informers: ``AsyncSharedIndexInformer`` (``async_informer``, the source) and
``SharedIndexInformer`` (``sync_informer``, generated from it by ``make unasync``), over what
``informer_base`` holds for both."""

from kubetyped.cache.async_informer import AsyncSharedIndexInformer
from kubetyped.cache.informer_base import (
    MIN_RESYNC_PERIOD,
    InformerBase,
    InformerHealth,
    InformerStateError,
    WatchErrorHandler,
)
from kubetyped.cache.sync_informer import SharedIndexInformer

__all__ = [
    "MIN_RESYNC_PERIOD",
    "AsyncSharedIndexInformer",
    "InformerBase",
    "InformerHealth",
    "InformerStateError",
    "SharedIndexInformer",
    "WatchErrorHandler",
]
