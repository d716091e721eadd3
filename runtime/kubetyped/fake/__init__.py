"""Fake clientsets for unit tests: the generated clientsets over an in-memory apiserver.

    from kubetyped_kubernetes import FakeClientset
    fake = FakeClientset(objects=[ConfigMap(metadata=ObjectMeta(name="a", namespace="ns"))])
    fake.core_v1.config_maps("ns").get("a")
    fake.actions()  # every request, as client-go style Actions

`fake_clientset(SomeGeneratedClientset, objects=[...])` fakes any generated package. See
docs/fake.md for what the fake apiserver does not simulate.
"""

from __future__ import annotations

from kubetyped.fake.actions import Action, Reaction, ReactionFunc
from kubetyped.fake.async_clientset import AsyncFakeClientsetMixin, async_fake_clientset
from kubetyped.fake.errors import FakeSetupError
from kubetyped.fake.registry import ResourceRegistry
from kubetyped.fake.selection import Selection
from kubetyped.fake.sync_clientset import FakeClientsetMixin, fake_clientset
from kubetyped.fake.tracker import ObjectTracker

__all__ = [
    "Action",
    "AsyncFakeClientsetMixin",
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
