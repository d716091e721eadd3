"""The package version, as a constant: `importlib.metadata` costs milliseconds at import time.

Kept equal to `[project] version` in pyproject.toml (a unit test checks it).
"""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.1.0"
