"""What generated clientsets and group-version clients share: construction and lazy groups."""

from __future__ import annotations

import os
from typing import Any, Generic, TypeVar

from kubetyped.config import ClientConfig
from kubetyped.rest import AsyncRESTClient, RESTClient
from kubetyped.typed.resource import (
    AllNamespaces,
    ContextNamespace,
    NamespaceArg,
    resolve_reference,
)
from kubetyped.urls import redact_url

__all__ = ["ClientsetCore", "GroupClient"]

R = TypeVar("R", RESTClient, AsyncRESTClient)
# `cls: type[C] -> C` rather than `Self`: jedi (and so editors built on it) resolves a TypeVar
# but not `Self`, and would complete `Clientset.from_kubeconfig()` as the private base.
C = TypeVar("C", bound="ClientsetCore[Any]")


class GroupClient(Generic[R]):
    """A group-version's resource accessors share the clientset's REST client and namespace."""

    def __init__(self, rest: R, namespace: str = "default") -> None:
        self._rest: R = rest
        self._namespace = namespace

    @property
    def rest(self) -> R:
        """The clientset's REST client (`RESTClient` or `AsyncRESTClient`), shared by every resource
        accessor of the group-version.
        """
        return self._rest

    def _bind(self, namespace: NamespaceArg) -> str | AllNamespaces:
        """An accessor's namespace: the clientset's when left out (``CONTEXT_NAMESPACE``)."""
        return self._namespace if isinstance(namespace, ContextNamespace) else namespace


class ClientsetCore(Generic[R]):
    """Construction, lazy group clients and repr: what both clientset bases share."""

    _rest_class: type[R]

    def __init__(self, rest: R, *, namespace: str = "default") -> None:
        self._rest: R = rest
        self._namespace = namespace
        self._groups: dict[str, Any] = {}

    @classmethod
    def from_config(cls: type[C], config: ClientConfig) -> C:
        """One REST client, and so one rate limiter, for every group of the clientset.

        ``config.namespace`` (the kubeconfig context's namespace, or the pod's) becomes the
        clientset's `namespace`: namespaced accessors called without one use it.
        """
        return cls(cls._rest_class.from_config(config), namespace=config.namespace)

    @classmethod
    def load(cls: type[C], context: str | None = None, *, namespace: str | None = None) -> C:
        """A clientset for the kubeconfig (``$KUBECONFIG`` or ``~/.kube/config``), else for the
        pod's service account in a cluster: ``kubetyped.config.load_config`` (kubectl's order).
        """
        from kubetyped.config import load_config

        return cls.from_config(load_config(context, namespace=namespace))

    @classmethod
    def from_kubeconfig(
        cls: type[C],
        path: str | os.PathLike[str] | None = None,
        *,
        context: str | None = None,
        namespace: str | None = None,
    ) -> C:
        """A clientset for a kubeconfig context (client-go `clientcmd` loading rules)."""
        from kubetyped.config import load_kubeconfig

        return cls.from_config(load_kubeconfig(path, context=context, namespace=namespace))

    @classmethod
    def from_incluster(cls: type[C]) -> C:
        """A clientset from the pod's service account (client-go `rest.InClusterConfig`)."""
        from kubetyped.config import load_incluster_config

        return cls.from_config(load_incluster_config())

    @property
    def rest(self) -> R:
        """The one REST client (`RESTClient` or `AsyncRESTClient`) of the clientset: raw requests
        through it share its rate limiter, auth and TLS (client-go `RESTClient()`).
        """
        return self._rest

    @property
    def namespace(self) -> str:
        """The namespace accessors use when called without one (``cs.core_v1.pods()``)."""
        return self._namespace

    def __repr__(self) -> str:
        server = redact_url(str(self._rest.http_client.base_url))
        return f"{type(self).__name__}(server={server!r})"

    def _group(self, reference: str) -> Any:
        group = self._groups.get(reference)
        if group is None:
            group = resolve_reference(reference)(self._rest, self._namespace)
            self._groups[reference] = group
        return group
