"""Generic typed clients that generated code wires to one resource each.

A generated resource client is a class that names its `ResourceInfo` and inherits the verb
mixins its resource grants, from `sync_verbs` (for `Clientset`) or `async_verbs` (for
`AsyncClientset`); see docs/GENERATED.md.
"""

from kubetyped.typed.events import Event
from kubetyped.typed.resource import (
    ALL_NAMESPACES,
    CONTEXT_NAMESPACE,
    AllNamespaces,
    ContextNamespace,
    NamespaceArg,
    NamespaceRequiredError,
    ResourceInfo,
)

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
