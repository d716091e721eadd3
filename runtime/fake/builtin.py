"""Fakes of the Kubernetes clientset generated into `kubetyped.generated`."""

from __future__ import annotations

from kubetyped.generated.fake import AsyncFakeClientset, FakeClientset

__all__ = ["AsyncFakeClientset", "FakeClientset"]
