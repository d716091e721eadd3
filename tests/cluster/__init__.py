"""A throwaway etcd + kube-apiserver for end-to-end tests (`python -m tests.cluster`)."""

from __future__ import annotations

from tests.cluster.cluster import (
    CONTEXTS,
    K8S_VERSION,
    Cluster,
    ClusterInfo,
    ClusterStartError,
    binaries_dir,
    binaries_present,
)

__all__ = [
    "CONTEXTS",
    "K8S_VERSION",
    "Cluster",
    "ClusterInfo",
    "ClusterStartError",
    "binaries_dir",
    "binaries_present",
]
