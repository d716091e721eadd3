"""`DynamicClient` / `AsyncDynamicClient`: every verb over plain dicts, for any resource.

    client = DynamicClient(rest)
    cms = client.resource("", "v1", "configmaps", namespaced=True).namespace("demo")
    cms.create({"metadata": {"name": "x"}, "data": {"a": "1"}})
    widgets = client.resource_for_kind("example.com/v1", "Widget")  # via discovery

Where a request goes is decided by pure code (`target`); `async_client` only picks the REST
client method, and `sync_client` is generated from it (`make unasync`).
"""

from kubetyped.dynamic.async_client import AsyncDynamicClient, AsyncDynamicResource
from kubetyped.dynamic.sync_client import DynamicClient, DynamicResource
from kubetyped.dynamic.target import DynamicClientError

__all__ = [
    "AsyncDynamicClient",
    "AsyncDynamicResource",
    "DynamicClient",
    "DynamicClientError",
    "DynamicResource",
]
