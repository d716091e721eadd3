"""Shared informer factories: one informer per type key, shared by all callers.

``AsyncSharedInformerFactory`` is in ``async_factory`` (the source), ``SharedInformerFactory``
in ``sync_factory`` (generated from it by ``make unasync``); both keep their informers in a
``FactoryCore`` (``factory_core``).
"""

from kubetyped.cache.async_factory import AsyncSharedInformerFactory
from kubetyped.cache.factory_core import FactoryCore, FactoryShutDownError, InformerOptions
from kubetyped.cache.sync_factory import SharedInformerFactory

__all__ = [
    "AsyncSharedInformerFactory",
    "FactoryCore",
    "FactoryShutDownError",
    "InformerOptions",
    "SharedInformerFactory",
]
