"""Fake clientsets for unit tests: the generated clientsets over an in-memory apiserver.

    from kubetyped.fake import FakeClientset
    fake = FakeClientset(objects=[ConfigMap(metadata=ObjectMeta(name="a", namespace="ns"))])
    fake.core_v1.config_maps("ns").get("a")
    fake.actions()  # every request, as client-go style Actions

`fake_clientset(SomeGeneratedClientset, objects=[...])` fakes any generated package. See
docs/fake.md for what the fake apiserver does not simulate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetyped.fake.actions import Action, Reaction, ReactionFunc
from kubetyped.fake.async_clientset import AsyncFakeClientsetMixin, async_fake_clientset
from kubetyped.fake.errors import FakeSetupError
from kubetyped.fake.registry import ResourceRegistry
from kubetyped.fake.selection import Selection
from kubetyped.fake.sync_clientset import FakeClientsetMixin, fake_clientset
from kubetyped.fake.tracker import ObjectTracker

if TYPE_CHECKING:
    from kubetyped.fake.builtin import AsyncFakeClientset as AsyncFakeClientset
    from kubetyped.fake.builtin import FakeClientset as FakeClientset

__all__ = [
    "Action",
    "AsyncFakeClientset",
    "AsyncFakeClientsetMixin",
    "FakeClientset",
    "FakeClientsetMixin",
    "FakeSetupError",
    "ObjectTracker",
    "Reaction",
    "ReactionFunc",
    "ResourceRegistry",
    "Selection",
    "async_fake_clientset",
    "fake_clientset",
]


def __getattr__(name: str) -> Any:
    # the fakes of `kubetyped.generated` import it only when asked for
    if name in ("FakeClientset", "AsyncFakeClientset"):
        from kubetyped.fake import builtin

        return getattr(builtin, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
