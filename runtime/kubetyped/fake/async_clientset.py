"""`AsyncFakeClientsetMixin` and `async_fake_clientset`: a generated AsyncClientset over the fake
apiserver (client-go `fake.NewSimpleClientset`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import httpx

from kubetyped.fake.async_transport import AsyncFakeTransport
from kubetyped.fake.clientset import FakeControls, fake_class, generated_class
from kubetyped.fake.errors import FakeSetupError
from kubetyped.fake.tracker import ObjectTracker
from kubetyped.fake.transport import FAKE_BASE_URL
from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.clientset import AsyncClientsetBase
from kubetyped.typed.resource import ResourceInfo

__all__ = ["AsyncFakeClientsetMixin", "async_fake_clientset"]

A = TypeVar("A", bound=AsyncClientsetBase)


class AsyncFakeClientsetMixin(FakeControls, AsyncClientsetBase):
    """Put first in the bases of a generated `AsyncClientset` subclass to make it a fake."""

    def __init__(
        self,
        objects: Iterable[Any] = (),
        *,
        tracker: ObjectTracker | None = None,
        resources: Iterable[ResourceInfo] = (),
    ) -> None:
        self._start_fake(
            generated_class(type(self), AsyncClientsetBase), objects, tracker, resources
        )
        self._http = httpx.AsyncClient(
            transport=AsyncFakeTransport(self.server), base_url=FAKE_BASE_URL
        )
        super().__init__(AsyncRESTClient(http_client=self._http))

    async def close(self) -> None:
        """Close the clientset and its in-memory HTTP client."""
        await super().close()
        await self._http.aclose()


def async_fake_clientset(
    clientset_class: type[A],
    objects: Iterable[Any] = (),
    *,
    tracker: ObjectTracker | None = None,
    resources: Iterable[ResourceInfo] = (),
) -> A:
    """A fake of any generated AsyncClientset, seeded with `objects`; pass `tracker=` to share
    one tracker between fakes.

    The result is also a fake mixin, `AsyncFakeClientsetMixin` (`actions()`, `prepend_reactor()`,
    `tracker`); `typing.cast` it, or use a `class FakeX(AsyncFakeClientsetMixin, X)`, for those to
    type-check.
    """
    if not issubclass(clientset_class, AsyncClientsetBase):
        raise FakeSetupError(f"{clientset_class.__name__} is not a generated AsyncClientset")
    cls = fake_class(clientset_class, AsyncFakeClientsetMixin)
    result: A = cls(objects, tracker=tracker, resources=resources)
    return result
