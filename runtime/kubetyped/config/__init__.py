"""Client configuration: kubeconfig loading/merging and in-cluster config → `ClientConfig`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubetyped.auth.impersonation import Impersonation
from kubetyped.config.client_config import ClientConfig
from kubetyped.config.errors import (
    AuthMethodConflictError,
    ConfigError,
    ContextNotFoundError,
    CredentialError,
    ExecPluginError,
    InvalidKubeconfigError,
    KubeconfigNotFoundError,
    KubeconfigParseError,
    NotInClusterError,
    OIDCRefreshError,
    TokenFileError,
)
from kubetyped.lazy import lazy_exports

if TYPE_CHECKING:
    from kubetyped.config.incluster import SERVICE_ACCOUNT_DIR, load_incluster_config
    from kubetyped.config.kubeconfig import (
        client_config_from_merged,
        load_kubeconfig,
        load_kubeconfig_dict,
    )
    from kubetyped.config.kubeconfig_files import (
        Entry,
        MergedKubeconfig,
        default_kubeconfig_paths,
        load_merged_kubeconfig,
    )
    from kubetyped.config.loader import load_config

# Loaders are imported on first use: a client built from a `ClientConfig` never reads a
# kubeconfig, so its start-up skips the kubeconfig parser (issue 16: import time).
_LAZY = {
    "SERVICE_ACCOUNT_DIR": "incluster",
    "load_incluster_config": "incluster",
    "client_config_from_merged": "kubeconfig",
    "load_kubeconfig": "kubeconfig",
    "load_kubeconfig_dict": "kubeconfig",
    "Entry": "kubeconfig_files",
    "MergedKubeconfig": "kubeconfig_files",
    "default_kubeconfig_paths": "kubeconfig_files",
    "load_merged_kubeconfig": "kubeconfig_files",
    "load_config": "loader",
}


if not TYPE_CHECKING:  # checkers read the imports above: a visible __getattr__ is Any for all
    __getattr__ = lazy_exports(__name__, globals(), {n: f".{m}" for n, m in _LAZY.items()})


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "SERVICE_ACCOUNT_DIR",
    "AuthMethodConflictError",
    "ClientConfig",
    "ConfigError",
    "ContextNotFoundError",
    "CredentialError",
    "Entry",
    "ExecPluginError",
    "Impersonation",
    "InvalidKubeconfigError",
    "KubeconfigNotFoundError",
    "KubeconfigParseError",
    "MergedKubeconfig",
    "NotInClusterError",
    "OIDCRefreshError",
    "TokenFileError",
    "client_config_from_merged",
    "default_kubeconfig_paths",
    "load_config",
    "load_incluster_config",
    "load_kubeconfig",
    "load_kubeconfig_dict",
    "load_merged_kubeconfig",
]
