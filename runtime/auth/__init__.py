"""Credentials as `httpx.Auth` flows (sync and async): token, token file, basic, exec, OIDC."""

from __future__ import annotations

from kubetyped.auth.errors import CredentialError, ExecPluginError, OIDCRefreshError, TokenFileError
from kubetyped.auth.exec_plugin import ExecAuth, ExecConfig, ExecCredential, run_exec_plugin
from kubetyped.auth.flow import Clock, EffectfulAuth
from kubetyped.auth.impersonation import Impersonation
from kubetyped.auth.oidc import OIDCAuth, OIDCConfig, jwt_expiry
from kubetyped.auth.static import BasicAuth, BearerTokenAuth
from kubetyped.auth.token_file import TokenFileAuth

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
