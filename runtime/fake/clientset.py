"""Fake clientsets: real generated clientsets whose HTTP goes to an in-memory fake apiserver.

`FakeClientsetMixin` (sync) and `AsyncFakeClientsetMixin` are combined with a generated clientset
class — `class FakeClientset(FakeClientsetMixin, Clientset)` — so every typed client, the dynamic
client and informers work unchanged. `fake_clientset(SomeClientset, objects=[...])` builds that
combination for any generated package (CRD packages too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import httpx

from kubetyped.fake.actions import Action, ReactionFunc
from kubetyped.fake.errors import FakeSetupError
from kubetyped.fake.registry import ResourceRegistry, package_of
from kubetyped.fake.server import FakeApiServer
from kubetyped.fake.tracker import ObjectTracker
from kubetyped.fake.transport import FAKE_BASE_URL, AsyncFakeTransport, FakeTransport
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed.clientset import AsyncClientsetBase, ClientsetBase
from kubetyped.typed.resource import ResourceInfo

C = TypeVar("C", bound=ClientsetBase)
A = TypeVar("A", bound=AsyncClientsetBase)


class _FakeControls:
    """Tracker, recorded actions and reactors: what a fake adds to a clientset."""

    tracker: ObjectTracker
    server: FakeApiServer

    def _start_fake(
        self,
        generated: type,
        objects: Iterable[Any],
        tracker: ObjectTracker | None,
        resources: Iterable[ResourceInfo],
    ) -> None:
        if tracker is None:
            registry = ResourceRegistry.for_package(package_of(generated))
            for info in resources:
                registry.register(info)
            tracker = ObjectTracker(registry)
        elif resources:
            for info in resources:
                tracker.registry.register(info)
        self.tracker = tracker
        self.server = FakeApiServer(tracker)
        for obj in objects:
            tracker.add(obj)

    def actions(self) -> list[Action]:
        """Every request made through this clientset, in order (client-go `Actions()`)."""
        return self.server.reactions.actions()

    def clear_actions(self) -> None:
        self.server.reactions.clear_actions()

    def prepend_reactor(self, verb: str, resource: str, react: ReactionFunc) -> None:
        """`react(action) -> (handled, result)` runs before the reactors already there."""
        self.server.reactions.prepend(verb, resource, react)

    def append_reactor(self, verb: str, resource: str, react: ReactionFunc) -> None:
        """`react` runs after the reactors already added (but before the object tracker)."""
        self.server.reactions.append(verb, resource, react)


def _generated_class(cls: type, base: type) -> type:
    """The generated clientset class a fake class derives from."""
    for klass in cls.__mro__:
        if issubclass(klass, base) and klass is not base and not issubclass(klass, _FakeControls):
            return klass
    raise FakeSetupError(f"{cls.__name__} does not derive from a generated clientset class")


class FakeClientsetMixin(_FakeControls, ClientsetBase):
    """Put first in the bases of a generated `Clientset` subclass to make it a fake."""

    def __init__(
        self,
        objects: Iterable[Any] = (),
        *,
        tracker: ObjectTracker | None = None,
        resources: Iterable[ResourceInfo] = (),
    ) -> None:
        self._start_fake(_generated_class(type(self), ClientsetBase), objects, tracker, resources)
        self._http = httpx.Client(transport=FakeTransport(self.server), base_url=FAKE_BASE_URL)
        super().__init__(RESTClient(http_client=self._http))

    def close(self) -> None:
        super().close()
        self._http.close()


class AsyncFakeClientsetMixin(_FakeControls, AsyncClientsetBase):
    """Put first in the bases of a generated `AsyncClientset` subclass to make it a fake."""

    def __init__(
        self,
        objects: Iterable[Any] = (),
        *,
        tracker: ObjectTracker | None = None,
        resources: Iterable[ResourceInfo] = (),
    ) -> None:
        generated = _generated_class(type(self), AsyncClientsetBase)
        self._start_fake(generated, objects, tracker, resources)
        self._http = httpx.AsyncClient(
            transport=AsyncFakeTransport(self.server), base_url=FAKE_BASE_URL
        )
        super().__init__(AsyncRESTClient(http_client=self._http))

    async def close(self) -> None:
        await super().close()
        await self._http.aclose()


_FAKE_CLASSES: dict[tuple[type, type], type] = {}


def _fake_class(clientset_class: type, mixin: type) -> Any:
    key = (clientset_class, mixin)
    if key not in _FAKE_CLASSES:
        name = f"Fake{clientset_class.__name__}"
        _FAKE_CLASSES[key] = type(name, (mixin, clientset_class), {})
    return _FAKE_CLASSES[key]


def fake_clientset(
    clientset_class: type[C],
    objects: Iterable[Any] = (),
    *,
    tracker: ObjectTracker | None = None,
    resources: Iterable[ResourceInfo] = (),
) -> C:
    """A fake of any generated sync clientset, seeded with `objects`.

    The result is also a `FakeClientsetMixin` (`actions()`, `prepend_reactor()`, `tracker`);
    `typing.cast` it, or use a `class FakeX(FakeClientsetMixin, X)`, for those to type-check.
    """
    if not issubclass(clientset_class, ClientsetBase):
        raise FakeSetupError(f"{clientset_class.__name__} is not a sync generated clientset")
    cls = _fake_class(clientset_class, FakeClientsetMixin)
    result: C = cls(objects, tracker=tracker, resources=resources)
    return result


def async_fake_clientset(
    clientset_class: type[A],
    objects: Iterable[Any] = (),
    *,
    tracker: ObjectTracker | None = None,
    resources: Iterable[ResourceInfo] = (),
) -> A:
    """A fake of any generated async clientset; pass `tracker=` to share one with a sync fake."""
    if not issubclass(clientset_class, AsyncClientsetBase):
        raise FakeSetupError(f"{clientset_class.__name__} is not an async generated clientset")
    cls = _fake_class(clientset_class, AsyncFakeClientsetMixin)
    result: A = cls(objects, tracker=tracker, resources=resources)
    return result
