"""Lazy exports (PEP 562): a package imports a public name's module on its first access.

Keeps start-up cheap (issue 16: import time) while checkers still see every name: the package
imports the names under ``TYPE_CHECKING`` and defines its ``__getattr__`` with
``lazy_exports`` under ``if not TYPE_CHECKING:``, because a ``__getattr__`` checkers can see would
make every misspelt name ``Any`` for them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], modules: Mapping[str, str]
) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``.

    ``modules`` maps each lazily exported name to the module that defines it (absolute, or
    relative to ``package`` with a leading dot). The first access imports that module and caches
    the value in ``namespace`` (the package's ``globals()``), so later accesses are plain lookups.
    The returned function raises ``AttributeError`` for any other name, as a module does.
    """

    def __getattr__(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    return __getattr__
