"""Fake clientsets: real generated clientsets whose HTTP goes to an in-memory fake apiserver.

This module holds what both fakes share; the mixins live in `async_clientset` (the source) and
`sync_clientset` (generated from it by `make unasync`).

`FakeClientsetMixin` (sync) and `AsyncFakeClientsetMixin` are combined with a generated clientset
class — `class FakeClientset(FakeClientsetMixin, Clientset)` — so every typed client, the dynamic
client and informers work unchanged. `fake_clientset(SomeClientset, objects=[...])` builds that
combination for any generated package (CRD packages too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kubetyped.fake.actions import Action, ReactionFunc
from kubetyped.fake.errors import FakeSetupError
from kubetyped.fake.registry import ResourceRegistry, package_of
from kubetyped.fake.server import FakeApiServer
from kubetyped.fake.tracker import ObjectTracker
from kubetyped.typed.resource import ResourceInfo

__all__ = ["FakeControls"]


class FakeControls:
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
        """Forget the recorded actions (client-go `ClearActions()`)."""
        self.server.reactions.clear_actions()

    def prepend_reactor(self, verb: str, resource: str, react: ReactionFunc) -> None:
        """`react(action) -> (handled, result)` runs before the reactors already there."""
        self.server.reactions.prepend(verb, resource, react)

    def append_reactor(self, verb: str, resource: str, react: ReactionFunc) -> None:
        """`react` runs after the reactors already added (but before the object tracker)."""
        self.server.reactions.append(verb, resource, react)


def generated_class(cls: type, base: type) -> type:
    """The generated clientset class a fake class derives from."""
    for klass in cls.__mro__:
        if issubclass(klass, base) and klass is not base and not issubclass(klass, FakeControls):
            return klass
    raise FakeSetupError(f"{cls.__name__} does not derive from a generated clientset class")


_FAKE_CLASSES: dict[tuple[type, type], type] = {}


def fake_class(clientset_class: type, mixin: type) -> Any:
    """`class Fake<Name>(mixin, clientset_class)`, made once per pair."""
    key = (clientset_class, mixin)
    if key not in _FAKE_CLASSES:
        name = f"Fake{clientset_class.__name__}"
        _FAKE_CLASSES[key] = type(name, (mixin, clientset_class), {})
    return _FAKE_CLASSES[key]
