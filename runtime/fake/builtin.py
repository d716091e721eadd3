"""Fakes of the Kubernetes clientset generated into `kubetyped.generated`."""

from __future__ import annotations

from kubetyped.fake.clientset import AsyncFakeClientsetMixin, FakeClientsetMixin
from kubetyped.generated.clientset import AsyncClientset, Clientset


class FakeClientset(FakeClientsetMixin, Clientset):
    """`kubetyped.generated.Clientset` on an in-memory fake apiserver:
    `FakeClientset(objects=[...])`."""


class AsyncFakeClientset(AsyncFakeClientsetMixin, AsyncClientset):
    """`kubetyped.generated.AsyncClientset` on an in-memory fake apiserver."""
