"""Model type arguments of generated classes, erased at run time.

Generated clients, listers and informers name their models as type arguments
(`s.Get[core_v1.Pod]`). The model modules are imported only for type checkers; at run time
each module name is bound to `ERASED`, whose attributes are `typing.Any`, so importing a
client module imports no model and builds no forward references. The runtime finds the
models through `ResourceInfo` instead.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ERASED"]


class _Erased:
    def __getattr__(self, name: str) -> Any:
        return Any

    def __repr__(self) -> str:
        return "ERASED"


ERASED: Any = _Erased()
