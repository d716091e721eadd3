"""Generic typed clients that generated code wires to one resource each.

A generated resource client is a class that names its `ResourceInfo` and inherits the verb
mixins its resource grants, from `sync_verbs` (for `Clientset`) or `async_verbs` (for
`AsyncClientset`); see docs/GENERATED.md.
"""

from kubetyped.typed.resource import (
    ALL_NAMESPACES,
    CONTEXT_NAMESPACE,
    AllNamespaces,
    ContextNamespace,
    NamespaceArg,
    NamespaceRequiredError,
    ResourceInfo,
)
from kubetyped.watch import WatchEvent as Event  # the one watch event type (kubetyped.watch)

__all__ = [
    "ALL_NAMESPACES",
    "CONTEXT_NAMESPACE",
    "AllNamespaces",
    "ContextNamespace",
    "Event",
    "NamespaceArg",
    "NamespaceRequiredError",
    "ResourceInfo",
]
