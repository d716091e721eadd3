"""The package version, as a constant: `importlib.metadata` costs milliseconds at import time.

Kept equal to `[project] version` in pyproject.toml (a unit test checks it).
"""

from __future__ import annotations

import os
import sys
from typing import Final

__all__ = ["VERSION"]

VERSION: Final = "0.1.0"


def _machine() -> str:
    if hasattr(os, "uname"):  # what platform.machine() returns on POSIX, without importing it
        return os.uname().machine
    import platform

    return platform.machine()


def default_user_agent() -> str:
    """The `User-Agent` sent when a config sets none: `kubetyped/<version> (<os>/<arch>)
    python/<major.minor>`, shaped like client-go's `rest.DefaultKubernetesUserAgent`.

    The one default: `ClientConfig.user_agent` starts from it and transports fall back to it.
    """
    machine = _machine().lower() or "unknown"
    python = ".".join(map(str, sys.version_info[:2]))
    return f"kubetyped/{VERSION} ({sys.platform}/{machine}) python/{python}"
