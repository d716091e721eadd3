"""Writing refreshed auth-provider tokens back into the kubeconfig file that defined the user."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from kubetyped import yamlio
from kubetyped.config.errors import InvalidKubeconfigError, KubeconfigParseError

__all__: list[str] = []


def update_auth_provider_config(path: Path, user: str, updates: Mapping[str, str]) -> None:
    """Set `users[name=user].user.auth-provider.config[k] = v` and rewrite the file atomically.

    Other content and key order are kept; YAML comments are lost (client-go loses them too).
    A symlinked kubeconfig is written through the link (the link stays), atomically, with the
    file's mode kept.
    """
    try:
        doc: Any = yamlio.load(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, yamlio.YamlError) as exc:
        raise KubeconfigParseError(
            f'cannot re-read {path} to save refreshed tokens of user "{user}": '
            f"{type(exc).__name__}",
            path=str(path),
            entry=user,
            field="auth-provider.config",
        ) from None
    users = doc.get("users") if isinstance(doc, dict) else None
    item = next((u for u in users or [] if isinstance(u, dict) and u.get("name") == user), None)
    if item is None or not isinstance(item.get("user"), dict):
        raise InvalidKubeconfigError(
            f'user "{user}" (field "auth-provider.config") in {path}: the user is no longer '
            "defined there; refreshed tokens were not saved",
            path=str(path),
            entry=user,
            field="auth-provider.config",
        )
    provider = item["user"].setdefault("auth-provider", {})
    config = provider.get("config")
    if not isinstance(config, dict):
        config = provider["config"] = {}
    config.update(updates)
    _atomic_write(path, yaml.safe_dump(doc, sort_keys=False, default_flow_style=False))


def _atomic_write(path: Path, text: str) -> None:
    """Replace the file `path` points to (through symlinks) in one rename, keeping its mode."""
    target = Path(os.path.realpath(path))
    mode = target.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
