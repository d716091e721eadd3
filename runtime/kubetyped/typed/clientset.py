"""Bases of generated clientsets and group-version clients: construction and lazy groups.

`ClientsetBase` and `AsyncClientsetBase` add closing to `ClientsetCore` (`clientset_core`); the
asyncio one is in `async_clientset` and the blocking one is generated from it (`make unasync`).
"""

from kubetyped.typed.async_clientset import AsyncClientsetBase
from kubetyped.typed.clientset_core import ClientsetCore, GroupClient
from kubetyped.typed.sync_clientset import ClientsetBase

__all__ = ["AsyncClientsetBase", "ClientsetBase", "ClientsetCore", "GroupClient"]
