"""`load_config()`: kubeconfig when there is one, else in-cluster (like kubectl)."""

from __future__ import annotations

import os
from dataclasses import replace

from kubetyped.config.client_config import ClientConfig
from kubetyped.config.errors import KubeconfigNotFoundError
from kubetyped.config.incluster import load_incluster_config
from kubetyped.config.kubeconfig import load_kubeconfig
from kubetyped.config.kubeconfig_files import default_kubeconfig_paths

__all__ = ["load_config"]


def load_config(context: str | None = None, *, namespace: str | None = None) -> ClientConfig:
    """The `ClientConfig` kubectl would use: the kubeconfig (`$KUBECONFIG`, else `~/.kube/config`) when
    one of its files exists, else the pod's service account when `KUBERNETES_SERVICE_HOST` is set
    and no `context` is asked for (client-go `clientcmd.DeferredLoadingClientConfig.ClientConfig`,
    which falls back to `rest.InClusterConfig` when no kubeconfig is found).

    `context` selects a kubeconfig context (default: `current-context`); `namespace` overrides the
    context's namespace. Raises `KubeconfigNotFoundError` when there is neither, and the kubeconfig
    and in-cluster loaders' `ConfigError`s.
    """
    candidates, from_env = default_kubeconfig_paths()
    if any(p.exists() for p in candidates):
        return load_kubeconfig(context=context, namespace=namespace)
    if os.environ.get("KUBERNETES_SERVICE_HOST") and context is None:
        config = load_incluster_config()
        if namespace:
            config = replace(config, namespace=namespace)
        return config
    where = "KUBECONFIG" if from_env else str(candidates[0])
    raise KubeconfigNotFoundError(
        f"no kubeconfig found ({where}: {os.pathsep.join(map(str, candidates))}) and not "
        "running in a cluster (KUBERNETES_SERVICE_HOST unset)"
        + (f'; cannot select context "{context}"' if context else "")
    )
