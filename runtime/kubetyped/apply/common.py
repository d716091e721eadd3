"""What the apply drivers share: per-object results and request preparation (pure)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from kubetyped.errors import KubetypedError
from kubetyped.manifests.load import wire_dict

__all__ = ["ApplyError", "ApplyResult"]

Obj = dict[str, Any]
CRD_GROUP = "apiextensions.k8s.io"
CRD_KIND = "CustomResourceDefinition"


@dataclass(frozen=True)
class ApplyResult:
    """The outcome for one object: `object` is the server's answer (with `dry_run`, what it
    would store), `error` the typed error when the apply of this object failed."""

    api_version: str
    kind: str
    name: str
    namespace: str | None
    object: Obj | None = field(default=None, repr=False)
    error: KubetypedError | None = None

    @property
    def ok(self) -> bool:
        """Whether this object was applied."""
        return self.error is None

    def __str__(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        outcome = "serverside-applied" if self.ok else f"failed: {self.error}"
        return f"{self.kind.lower()}/{where}{self.name} {outcome}"


class ApplyError(KubetypedError):
    """An object of the set cannot be applied as written (no name, no kind)."""


def prepare(obj: Any) -> Obj:
    """A copy of the object's wire form (so defaulting its namespace leaves the input as is)."""
    body = copy.deepcopy(wire_dict(obj))
    metadata = body.get("metadata")
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        raise ApplyError(f"{body.get('kind', '?')}: metadata.name is required to apply")
    return body


def identity(body: Obj) -> tuple[str, str, str, str | None]:
    """(apiVersion, kind, name, namespace) of an object, empty strings when missing."""
    metadata = body.get("metadata") or {}
    namespace = metadata.get("namespace")
    return (
        str(body.get("apiVersion", "")),
        str(body.get("kind", "")),
        str(metadata.get("name", "")),
        namespace if isinstance(namespace, str) else None,
    )


def place(body: Obj, namespaced: bool | None, default_namespace: str) -> str | None:
    """Sets `metadata.namespace` as kubectl does: namespaced objects without one get the
    default (the context's) namespace; cluster-scoped objects have none. Returns it."""
    metadata = body["metadata"]
    if namespaced is False:
        metadata.pop("namespace", None)
        return None
    namespace = metadata.get("namespace") or default_namespace
    metadata["namespace"] = namespace
    return str(namespace)


def is_crd(body: Obj) -> bool:
    """Whether the object is an apiextensions.k8s.io CustomResourceDefinition."""
    return body.get("kind") == CRD_KIND and str(body.get("apiVersion", "")).startswith(
        f"{CRD_GROUP}/"
    )
