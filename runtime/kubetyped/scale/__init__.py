"""The scale client: the `/scale` subresource of any scalable resource (client-go `scale`).

Given only a group and resource (`GroupResource("apps", "deployments")`), discovery tells the
client the resource's preferred version serving `scale`, and its scope. Objects are typed
`autoscaling/v1` `Scale`s. Resolution is pure (`target`); requests are built and answers decoded
by the request core every client family shares (`kubetyped.resource`); `sync_client` is
generated from `async_client` (`make unasync`).

    scales = ScaleClient(rest)
    scale = scales.scales("default").get(GroupResource("apps", "deployments"), "web")
    scale.spec.replicas = 3
    scales.scales("default").update(GroupResource("apps", "deployments"), scale)
"""

from kubetyped.discovery import GroupResource
from kubetyped.scale.async_client import AsyncScaleClient, AsyncScaleInterface
from kubetyped.scale.sync_client import ScaleClient, ScaleInterface
from kubetyped.scale.target import (
    NoScaleSubresourceError,
    ScaleNamespaceError,
    ScaleTarget,
    resolve_scale_target,
)

__all__ = [
    "AsyncScaleClient",
    "AsyncScaleInterface",
    "GroupResource",
    "NoScaleSubresourceError",
    "ScaleClient",
    "ScaleInterface",
    "ScaleNamespaceError",
    "ScaleTarget",
    "resolve_scale_target",
]
