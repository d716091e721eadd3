"""`AsyncClientsetBase`: the base of generated AsyncClientsets."""

from __future__ import annotations

from typing import TypeVar

from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.clientset_core import ClientsetCore

__all__ = ["AsyncClientsetBase"]

C = TypeVar("C", bound="AsyncClientsetBase")  # not `Self`: see clientset_core


class AsyncClientsetBase(ClientsetCore[AsyncRESTClient]):
    """The base of a generated AsyncClientset: one REST client shared by every group."""

    _rest_class = AsyncRESTClient

    async def close(self) -> None:
        """Close the REST client (and its connections)."""
        await self._rest.close()

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
