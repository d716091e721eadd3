"""A user's script on the top-level `kubetyped` names (its `__all__`, the README's public API).

Checked by `mypy --strict` and pyright with no plugin; never run. Must produce no diagnostics:
the lazily imported names are seen with their real types.
"""

from __future__ import annotations

from typing import assert_type

import kubetyped
from kubetyped import (
    ALL_NAMESPACES,
    ClientConfig,
    ClientsetBase,
    ListOptions,
    NotFoundError,
    PatchType,
    Quantity,
    WatchEvent,
    load_config,
)
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.core_v1 import Pod

config = load_config()
assert_type(config, ClientConfig)
with Clientset.from_config(config) as cs:
    assert isinstance(cs, ClientsetBase)
    pods = cs.core_v1.pods(ALL_NAMESPACES)
    try:
        pods.list(label_selector={"app": "web"}, limit=ListOptions(limit=10).limit)
    except NotFoundError as error:
        assert_type(error.code, int)
    events: list[WatchEvent[Pod]] = []
    patch: PatchType = kubetyped.PatchType.MERGE
    size = Quantity("1Gi")
    version: str = kubetyped.__version__
