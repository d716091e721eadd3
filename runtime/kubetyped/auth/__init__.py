"""Credentials as `httpx.Auth` flows (sync and async): token, token file, basic, exec, OIDC.

The exec-plugin and OIDC modules (subprocess, signal, datetime, ...) load on first use of one of
their names (PEP 562), so clients whose kubeconfig user has a plain token don't pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubetyped.auth.errors import CredentialError, ExecPluginError, OIDCRefreshError, TokenFileError
from kubetyped.auth.flow import Clock, EffectfulAuth
from kubetyped.auth.impersonation import Impersonation
from kubetyped.auth.static import BasicAuth, BearerTokenAuth
from kubetyped.auth.token_file import TokenFileAuth
from kubetyped.lazy import lazy_exports

if TYPE_CHECKING:
    from kubetyped.auth.exec_plugin import ExecAuth, ExecConfig, ExecCredential, run_exec_plugin
    from kubetyped.auth.oidc import OIDCAuth, OIDCConfig, jwt_expiry

_LAZY = {
    "ExecAuth": "kubetyped.auth.exec_plugin",
    "ExecConfig": "kubetyped.auth.exec_plugin",
    "ExecCredential": "kubetyped.auth.exec_plugin",
    "run_exec_plugin": "kubetyped.auth.exec_plugin",
    "OIDCAuth": "kubetyped.auth.oidc",
    "OIDCConfig": "kubetyped.auth.oidc",
    "jwt_expiry": "kubetyped.auth.oidc",
}


if not TYPE_CHECKING:  # checkers read the imports above: a visible __getattr__ is Any for all
    __getattr__ = lazy_exports(__name__, globals(), _LAZY)


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "BasicAuth",
    "BearerTokenAuth",
    "Clock",
    "CredentialError",
    "EffectfulAuth",
    "ExecAuth",
    "ExecConfig",
    "ExecCredential",
    "ExecPluginError",
    "Impersonation",
    "OIDCAuth",
    "OIDCConfig",
    "OIDCRefreshError",
    "TokenFileAuth",
    "TokenFileError",
    "jwt_expiry",
    "run_exec_plugin",
]
