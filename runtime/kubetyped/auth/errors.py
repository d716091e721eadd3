"""Errors raised while obtaining credentials; all are `ConfigError`s naming file, entry, field."""

from __future__ import annotations

from kubetyped.errors import ConfigError

__all__ = ["CredentialError", "ExecPluginError", "OIDCRefreshError", "TokenFileError"]


class CredentialError(ConfigError):
    """A token file, exec plugin or OIDC provider could not produce a credential."""


class TokenFileError(CredentialError):
    """The bearer token file is missing, unreadable or empty."""


class ExecPluginError(CredentialError):
    """An exec credential plugin failed, hung, or printed something other than an ExecCredential."""


class OIDCRefreshError(CredentialError):
    """The OIDC id-token is expired and could not be refreshed."""


def describe(path: str | None, entry: str | None, field: str | None) -> str:
    """` in user "x" (field "f") of /path/config` — the location suffix of every message."""
    parts = []
    if entry is not None:
        parts.append(f' in user "{entry}"')
    if field is not None:
        parts.append(f' (field "{field}")')
    if path is not None:
        parts.append(f" of {path}")
    return "".join(parts)
