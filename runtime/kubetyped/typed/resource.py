"""What generated code tells the runtime about one resource."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from kubetyped.errors import KubetypedError

__all__ = [
    "ALL_NAMESPACES",
    "CONTEXT_NAMESPACE",
    "AllNamespaces",
    "ContextNamespace",
    "NamespaceArg",
    "ResourceInfo",
]


class AllNamespaces:
    """The namespace argument that lists and watches a namespaced resource everywhere."""

    _instance: AllNamespaces | None = None

    def __new__(cls) -> AllNamespaces:
        """The one instance (`ALL_NAMESPACES`): compare with `is`."""
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ALL_NAMESPACES"


ALL_NAMESPACES: Final = AllNamespaces()


class ContextNamespace:
    """The namespace argument left out: the clientset's namespace, like kubectl.

    That is the kubeconfig context's ``namespace`` (``--namespace``/``namespace=`` overrides
    it), the pod's service-account namespace in a cluster, else ``"default"`` (client-go
    ``clientcmd.ClientConfig.Namespace``).
    """

    _instance: ContextNamespace | None = None

    def __new__(cls) -> ContextNamespace:
        """The one instance (`CONTEXT_NAMESPACE`): compare with `is`."""
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "CONTEXT_NAMESPACE"


CONTEXT_NAMESPACE: Final = ContextNamespace()

#: What a namespaced accessor (``cs.core_v1.pods(...)``) takes.
NamespaceArg = str | AllNamespaces | ContextNamespace


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """Names, kind, scope and verbs of a resource; models are `"module:Class"` references."""

    group: str
    version: str
    plural: str
    singular: str
    kind: str
    list_kind: str
    namespaced: bool
    verbs: frozenset[str]
    model: str
    list_model: str
    subresources: frozenset[str] = frozenset()
    subresource_models: tuple[tuple[str, str], ...] = ()
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        """`group/version`, or the bare version for the core group ("v1")."""
        return f"{self.group}/{self.version}" if self.group else self.version

    def model_class(self) -> Any:
        """The resource's model class (imported on first use)."""
        return resolve_reference(self.model)

    def list_model_class(self) -> Any:
        """The resource's list model class (imported on first use)."""
        return resolve_reference(self.list_model)

    def subresource_model(self, subresource: str) -> Any:
        """The model class of `subresource` (e.g. "scale" → `autoscaling/v1.Scale`); `KubetypedError`
        when the generated info names none.
        """
        for name, reference in self.subresource_models:
            if name == subresource:
                return resolve_reference(reference)
        raise KubetypedError(f"{self.plural}: no model is known for subresource {subresource!r}")


@cache
def resolve_reference(reference: str) -> Any:
    """Imports `"package.module:Name"` (cached)."""
    module_name, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
