"""Client configuration: kubeconfig loading/merging and in-cluster config → `ClientConfig`."""

from __future__ import annotations

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
