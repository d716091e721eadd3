"""Where a dynamic request goes: pure code shared by `DynamicClient` and `AsyncDynamicClient`.

`namespaced=None` (scope unknown) behaves like client-go's dynamic client: the bound namespace, or
the object's `metadata.namespace`, decides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kubetyped.discovery import (
    GroupVersionResource,
    RESTMapper,
    RESTMapping,
)
from kubetyped.errors import KubetypedError
from kubetyped.request import ResourcePath

__all__ = ["DynamicClientError"]

Obj = dict[str, Any]


class DynamicClientError(KubetypedError):
    """A dynamic request cannot be addressed (missing name or namespace, wrong scope)."""


def _metadata(body: Obj) -> Obj:
    metadata = body.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


@dataclass(frozen=True)
class Target:
    """One resource, its scope if known and the namespace bound with `.namespace()`."""

    gvr: GroupVersionResource
    namespaced: bool | None
    namespace: str | None = None

    def bind(self, namespace: str) -> Target:
        """This target bound to `namespace` (client-go
        `dynamic.NamespaceableResourceInterface.Namespace`); `DynamicClientError` for a resource
        known to be cluster-scoped.
        """
        if self.namespaced is False:
            raise DynamicClientError(f"{self.gvr} is cluster-scoped; it has no namespace")
        return replace(self, namespace=namespace)

    def collection(self, body: Obj | None = None) -> ResourcePath:
        """Path of the collection: for create (namespace from the object if unbound) or for
        list/watch/deletecollection (all namespaces when unbound)."""
        namespace = self.namespace
        if namespace is None and body is not None and self.namespaced is not False:
            namespace = _metadata(body).get("namespace") or None
            if namespace is None and self.namespaced:
                raise DynamicClientError(
                    f"{self.gvr} is namespaced: bind a namespace or set metadata.namespace"
                )
        g = self.gvr
        return ResourcePath(g.group, g.version, g.resource, namespace)

    def item(
        self, name: str | None, body: Obj | None = None, subresource: str | None = None
    ) -> ResourcePath:
        """Path of one object, named explicitly or by the body's `metadata.name`."""
        if name is None and body is not None:
            name = _metadata(body).get("name") or None
        if not name:
            raise DynamicClientError(f"{self.gvr}: the object has no metadata.name")
        namespace = self.namespace
        if namespace is None and body is not None and self.namespaced is not False:
            namespace = _metadata(body).get("namespace") or None
        if namespace is None and self.namespaced:
            raise DynamicClientError(
                f"{self.gvr} {name!r} is namespaced: bind a namespace with .namespace(ns)"
            )
        g = self.gvr
        return ResourcePath(g.group, g.version, g.resource, namespace, name, subresource)


def target_from_mapping(mapping: RESTMapping) -> Target:
    """An unbound `Target` for a `RESTMapping` (its resource and scope)."""
    return Target(mapping.resource, mapping.namespaced)


def map_kind(mapper: RESTMapper, api_version: str, kind: str) -> Target:
    """The `Target` of `kind` in `api_version` through `mapper` (client-go `RESTMapper.RESTMapping`);
    raises `NoKindMatchError` when discovery knows no such kind.
    """
    return target_from_mapping(mapper.rest_mapping_for(api_version, kind))
