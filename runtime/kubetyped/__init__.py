"""kubetyped: a typed Kubernetes clientset for Python (client-go for Python).

The names most programs need, importable from here (the list is ``__all__``, the same as the
README's "Public API"): configuration loading, the bases every generated clientset and
informer factory share (``Clientset.load()``, ``from_kubeconfig()``, ``from_incluster()``,
``from_config()``), the REST client, the typed errors, the request options, namespace
arguments, watch events and the model scalar types. The typed clientset itself is generated:
``kubetyped_kubernetes.Clientset`` (Kubernetes 1.36) or the package ``kubetyped generate`` wrote.

Everything is imported on first use, so ``import kubetyped`` costs nothing. Subpackages named in
the README (``cache``, ``dynamic``, ``workqueue``, ``leaderelection``, ``events``, ``fake``, ...)
are public too, through their own ``__all__``; modules the README does not name (transports,
concurrency, URL checks, request-building internals, sans-IO cores' helpers) are implementation
details and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubetyped.lazy import lazy_exports
from kubetyped.version import VERSION as __version__

if TYPE_CHECKING:
    from kubetyped.config import ClientConfig as ClientConfig
    from kubetyped.config import Impersonation as Impersonation
    from kubetyped.config import load_config as load_config
    from kubetyped.config import load_incluster_config as load_incluster_config
    from kubetyped.config import load_kubeconfig as load_kubeconfig
    from kubetyped.config import load_kubeconfig_dict as load_kubeconfig_dict
    from kubetyped.errors import AlreadyExistsError as AlreadyExistsError
    from kubetyped.errors import ApiError as ApiError
    from kubetyped.errors import ApplyConflictError as ApplyConflictError
    from kubetyped.errors import BadRequestError as BadRequestError
    from kubetyped.errors import ConfigError as ConfigError
    from kubetyped.errors import ConflictError as ConflictError
    from kubetyped.errors import ExpiredError as ExpiredError
    from kubetyped.errors import ForbiddenError as ForbiddenError
    from kubetyped.errors import InternalError as InternalError
    from kubetyped.errors import InvalidError as InvalidError
    from kubetyped.errors import KubetypedError as KubetypedError
    from kubetyped.errors import NotFoundError as NotFoundError
    from kubetyped.errors import NotServedError as NotServedError
    from kubetyped.errors import ServerTimeoutError as ServerTimeoutError
    from kubetyped.errors import ServiceUnavailableError as ServiceUnavailableError
    from kubetyped.errors import TooManyRequestsError as TooManyRequestsError
    from kubetyped.errors import TransportError as TransportError
    from kubetyped.errors import UnauthorizedError as UnauthorizedError
    from kubetyped.errors import WatchIdleTimeoutError as WatchIdleTimeoutError
    from kubetyped.model import IntOrString as IntOrString
    from kubetyped.model import KubeModel as KubeModel
    from kubetyped.model import MicroTime as MicroTime
    from kubetyped.model import Quantity as Quantity
    from kubetyped.model import Time as Time
    from kubetyped.model import strict_construction as strict_construction
    from kubetyped.model.jsonio import ModelDecodeError as ModelDecodeError
    from kubetyped.request import ApplyOptions as ApplyOptions
    from kubetyped.request import DeleteOptions as DeleteOptions
    from kubetyped.request import FieldValidation as FieldValidation
    from kubetyped.request import GetOptions as GetOptions
    from kubetyped.request import ListOptions as ListOptions
    from kubetyped.request import PatchType as PatchType
    from kubetyped.request import Preconditions as Preconditions
    from kubetyped.request import PropagationPolicy as PropagationPolicy
    from kubetyped.request import ResourceVersionMatch as ResourceVersionMatch
    from kubetyped.request import WriteOptions as WriteOptions
    from kubetyped.rest import AsyncRESTClient as AsyncRESTClient
    from kubetyped.rest import RESTClient as RESTClient
    from kubetyped.typed import ALL_NAMESPACES as ALL_NAMESPACES
    from kubetyped.typed import CONTEXT_NAMESPACE as CONTEXT_NAMESPACE
    from kubetyped.typed.clientset import AsyncClientsetBase as AsyncClientsetBase
    from kubetyped.typed.clientset import ClientsetBase as ClientsetBase
    from kubetyped.typed.informers import AsyncInformerFactoryBase as AsyncInformerFactoryBase
    from kubetyped.typed.informers import InformerFactoryBase as InformerFactoryBase
    from kubetyped.watch import EventType as EventType
    from kubetyped.watch import WatchEvent as WatchEvent

#: Public name -> the module it lives in (imported on first access).
_EXPORTS: dict[str, str] = {
    # clientsets and informer factories (the generated ones subclass these)
    "ClientsetBase": "kubetyped.typed.clientset",
    "AsyncClientsetBase": "kubetyped.typed.clientset",
    "InformerFactoryBase": "kubetyped.typed.informers",
    "AsyncInformerFactoryBase": "kubetyped.typed.informers",
    "RESTClient": "kubetyped.rest",
    "AsyncRESTClient": "kubetyped.rest",
    # configuration (client-go's clientcmd and rest.InClusterConfig)
    "ClientConfig": "kubetyped.config",
    "Impersonation": "kubetyped.config",
    "load_config": "kubetyped.config",
    "load_incluster_config": "kubetyped.config",
    "load_kubeconfig": "kubetyped.config",
    "load_kubeconfig_dict": "kubetyped.config",
    # errors (apimachinery's errors package, from the apiserver's Status)
    "KubetypedError": "kubetyped.errors",
    "ConfigError": "kubetyped.errors",
    "TransportError": "kubetyped.errors",
    "WatchIdleTimeoutError": "kubetyped.errors",
    "ApiError": "kubetyped.errors",
    "BadRequestError": "kubetyped.errors",
    "UnauthorizedError": "kubetyped.errors",
    "ForbiddenError": "kubetyped.errors",
    "NotFoundError": "kubetyped.errors",
    "NotServedError": "kubetyped.errors",
    "AlreadyExistsError": "kubetyped.errors",
    "ConflictError": "kubetyped.errors",
    "ApplyConflictError": "kubetyped.errors",
    "InvalidError": "kubetyped.errors",
    "ExpiredError": "kubetyped.errors",
    "TooManyRequestsError": "kubetyped.errors",
    "InternalError": "kubetyped.errors",
    "ServerTimeoutError": "kubetyped.errors",
    "ServiceUnavailableError": "kubetyped.errors",
    "ModelDecodeError": "kubetyped.model.jsonio",
    # request options (metav1.ListOptions, GetOptions, CreateOptions ..., patch types)
    "ListOptions": "kubetyped.request",
    "GetOptions": "kubetyped.request",
    "WriteOptions": "kubetyped.request",
    "ApplyOptions": "kubetyped.request",
    "DeleteOptions": "kubetyped.request",
    "Preconditions": "kubetyped.request",
    "PatchType": "kubetyped.request",
    "PropagationPolicy": "kubetyped.request",
    "FieldValidation": "kubetyped.request",
    "ResourceVersionMatch": "kubetyped.request",
    # namespaces of typed clients
    "ALL_NAMESPACES": "kubetyped.typed",
    "CONTEXT_NAMESPACE": "kubetyped.typed",
    # watch events (watch.Event)
    "WatchEvent": "kubetyped.watch",
    "EventType": "kubetyped.watch",
    # models: the base class and the scalar types of fields
    "KubeModel": "kubetyped.model",
    "IntOrString": "kubetyped.model",
    "Quantity": "kubetyped.model",
    "Time": "kubetyped.model",
    "MicroTime": "kubetyped.model",
    "strict_construction": "kubetyped.model",
}


if not TYPE_CHECKING:  # a __getattr__ checkers can see would make misspelt names Any
    __getattr__ = lazy_exports(__name__, globals(), _EXPORTS)


def __dir__() -> list[str]:
    """The public names (``__all__``)."""
    return sorted(__all__)


__all__ = [
    "ALL_NAMESPACES",
    "CONTEXT_NAMESPACE",
    "AlreadyExistsError",
    "ApiError",
    "ApplyConflictError",
    "ApplyOptions",
    "AsyncClientsetBase",
    "AsyncInformerFactoryBase",
    "AsyncRESTClient",
    "BadRequestError",
    "ClientConfig",
    "ClientsetBase",
    "ConfigError",
    "ConflictError",
    "DeleteOptions",
    "EventType",
    "ExpiredError",
    "FieldValidation",
    "ForbiddenError",
    "GetOptions",
    "Impersonation",
    "InformerFactoryBase",
    "IntOrString",
    "InternalError",
    "InvalidError",
    "KubeModel",
    "KubetypedError",
    "ListOptions",
    "MicroTime",
    "ModelDecodeError",
    "NotFoundError",
    "NotServedError",
    "PatchType",
    "Preconditions",
    "PropagationPolicy",
    "Quantity",
    "RESTClient",
    "ResourceVersionMatch",
    "ServerTimeoutError",
    "ServiceUnavailableError",
    "Time",
    "TooManyRequestsError",
    "TransportError",
    "UnauthorizedError",
    "WatchEvent",
    "WatchIdleTimeoutError",
    "WriteOptions",
    "__version__",
    "load_config",
    "load_incluster_config",
    "load_kubeconfig",
    "load_kubeconfig_dict",
    "strict_construction",
]
