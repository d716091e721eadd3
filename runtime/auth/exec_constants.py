"""Exec-plugin constants the kubeconfig layer validates against, without loading the runner."""

from __future__ import annotations

V1 = "client.authentication.k8s.io/v1"
V1BETA1 = "client.authentication.k8s.io/v1beta1"
SUPPORTED_API_VERSIONS = (V1, V1BETA1)
INTERACTIVE_MODES = ("Never", "IfAvailable", "Always")
#: Seconds an exec plugin may run before it is killed.
DEFAULT_TIMEOUT = 60.0
