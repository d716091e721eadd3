"""Configuration errors. Each names the file, the entry (context/user/cluster) and the field."""

from __future__ import annotations

from kubetyped.auth.errors import CredentialError, ExecPluginError, OIDCRefreshError, TokenFileError
from kubetyped.errors import ConfigError


class KubeconfigNotFoundError(ConfigError):
    """No kubeconfig file where one was expected (explicit path, KUBECONFIG, ~/.kube/config)."""


class KubeconfigParseError(ConfigError):
    """A kubeconfig file is not valid YAML or does not have the kubeconfig shape."""


class ContextNotFoundError(ConfigError):
    """The requested (or current) context is not defined, or no context was chosen at all."""


class InvalidKubeconfigError(ConfigError):
    """A kubeconfig field has a bad value, a reference dangles, or fields contradict each other."""


class AuthMethodConflictError(InvalidKubeconfigError):
    """A user defines more than one authentication method."""


class NotInClusterError(ConfigError):
    """In-cluster config was requested outside a pod (no KUBERNETES_SERVICE_HOST/PORT)."""


__all__ = [
    "AuthMethodConflictError",
    "ConfigError",
    "ContextNotFoundError",
    "CredentialError",
    "ExecPluginError",
    "InvalidKubeconfigError",
    "KubeconfigNotFoundError",
    "KubeconfigParseError",
    "NotInClusterError",
    "OIDCRefreshError",
    "TokenFileError",
]
