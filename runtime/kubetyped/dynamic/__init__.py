"""`DynamicClient` / `AsyncDynamicClient`: every verb over plain dicts, for any resource.

    client = DynamicClient(rest)
    cms = client.resource("", "v1", "configmaps", namespaced=True).namespace("demo")
    cms.create({"metadata": {"name": "x"}, "data": {"a": "1"}})
    widgets = client.resource_for_kind("example.com/v1", "Widget")  # via discovery

Requests are built and answers decoded by the request core every client family shares
(`kubetyped.resource`, with the `JSONCodec`); `sync_client` is generated from `async_client`
(`make unasync`).
"""

from kubetyped.dynamic.async_client import AsyncDynamicClient, AsyncDynamicResource
from kubetyped.dynamic.sync_client import DynamicClient, DynamicResource
from kubetyped.request import RequestBuildError

#: A dynamic request that cannot be addressed (no name, no namespace for a namespaced resource,
#: a namespace for a cluster-scoped one): the request core's `RequestBuildError`
#: (`NamespaceRequiredError` for a missing namespace), under the dynamic client's public name.
DynamicClientError = RequestBuildError

__all__ = [
    "AsyncDynamicClient",
    "AsyncDynamicResource",
    "DynamicClient",
    "DynamicClientError",
    "DynamicResource",
]
