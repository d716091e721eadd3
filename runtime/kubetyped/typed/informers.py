"""Typed per-resource informers over the cache's shared informer factories.

Generated code subclasses ``TypedInformer``/``AsyncTypedInformer`` once per resource (naming its
``ResourceInfo``) and ``InformerFactoryBase``/``AsyncInformerFactoryBase`` once per clientset.
The asyncio classes are in ``async_informers`` (the source), the blocking ones in
``sync_informers`` (generated from it by ``make unasync``); both use ``informers_common``.
"""

from kubetyped.typed.async_informers import AsyncInformerFactoryBase, AsyncTypedInformer
from kubetyped.typed.informers_common import GroupInformers, informer_key
from kubetyped.typed.sync_informers import InformerFactoryBase, TypedInformer

__all__ = [
    "AsyncInformerFactoryBase",
    "AsyncTypedInformer",
    "GroupInformers",
    "InformerFactoryBase",
    "TypedInformer",
    "informer_key",
]
