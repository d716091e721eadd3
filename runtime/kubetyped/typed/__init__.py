"""Generic typed clients that generated code wires to one resource each.

A generated resource client is a class that names its `ResourceInfo` and inherits the verb
mixins its resource grants, from `sync_verbs` (for `Clientset`) or `async_verbs` (for
`AsyncClientset`); see docs/GENERATED.md.
"""

import warnings
from typing import Any

from kubetyped.request import NamespaceRequiredError
from kubetyped.typed.resource import (
    ALL_NAMESPACES,
    CONTEXT_NAMESPACE,
    AllNamespaces,
    ContextNamespace,
    NamespaceArg,
    ResourceInfo,
)
from kubetyped.watch import WatchEvent  # the one watch event type (kubetyped.watch)


def __getattr__(name: str) -> Any:
    """``Event``: the deprecated name of ``WatchEvent`` (a warning says so)."""
    if name == "Event":
        warnings.warn(
            "kubetyped.typed.Event is deprecated: it is the watch event, use "
            "kubetyped.watch.WatchEvent (also kubetyped.typed.WatchEvent); an Event is the "
            "events.k8s.io object that kubetyped.events records",
            DeprecationWarning,
            stacklevel=2,
        )
        return WatchEvent
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALL_NAMESPACES",
    "CONTEXT_NAMESPACE",
    "AllNamespaces",
    "ContextNamespace",
    "NamespaceArg",
    "NamespaceRequiredError",
    "ResourceInfo",
    "WatchEvent",
]
