"""`AsyncClientsetBase`: the base of generated AsyncClientsets."""

from __future__ import annotations

from typing import Self

from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.clientset_core import ClientsetCore


class AsyncClientsetBase(ClientsetCore[AsyncRESTClient]):
    """The base of a generated AsyncClientset: one REST client shared by every group."""

    _rest_class = AsyncRESTClient

    async def close(self) -> None:
        """Close the REST client (and its connections)."""
        await self._rest.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
