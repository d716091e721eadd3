"""`AsyncScaleClient`: the `/scale` subresource of any scalable resource (client-go `scale`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubetyped import request as rq
from kubetyped.discovery import AsyncDiscoveryClient, GroupResource
from kubetyped.resource import AsyncResourceClient
from kubetyped.rest import AsyncRESTClient
from kubetyped.scale.target import (
    SCALE,
    STALE,
    ResourceLike,
    ScaleTarget,
    as_group_resource,
    resolve_scale_target,
)

if TYPE_CHECKING:
    from kubetyped.api import Scale

__all__ = ["AsyncScaleClient", "AsyncScaleInterface"]


class AsyncScaleClient:
    """`scales(namespace)` → a `AsyncScaleInterface` (client-go's `ScalesGetter`)."""

    def __init__(
        self, rest: AsyncRESTClient, discovery: AsyncDiscoveryClient | None = None
    ) -> None:
        self.rest = rest
        self.discovery = discovery if discovery is not None else AsyncDiscoveryClient(rest)
        self._targets: dict[GroupResource, ScaleTarget] = {}

    async def target(self, resource: ResourceLike) -> ScaleTarget:
        """Where `resource`'s scale lives (cached; rediscovers once if the snapshot is stale)."""
        gr = as_group_resource(resource)
        target = self._targets.get(gr)
        if target is None:
            try:
                target = resolve_scale_target(await self.discovery.rest_mapper(), gr)
            except STALE:
                target = resolve_scale_target(await self.discovery.rest_mapper(refresh=True), gr)
            self._targets[gr] = target
        return target

    def scales(self, namespace: str | None = None) -> AsyncScaleInterface:
        """Scales of one namespace (ignored for cluster-scoped resources)."""
        return AsyncScaleInterface(self, namespace)


class AsyncScaleInterface:
    """get / update / patch of the scale subresource in one namespace."""

    def __init__(self, client: AsyncScaleClient, namespace: str | None) -> None:
        self._client = client
        self.namespace = namespace

    async def _scales(self, resource: ResourceLike) -> AsyncResourceClient[Scale]:
        """The request core bound to `resource`'s scale in this namespace."""
        target = await self._client.target(resource)
        return AsyncResourceClient(self._client.rest, target.bind(self.namespace))

    async def get(self, resource: ResourceLike, name: str) -> Scale:
        """The scale of `resource`'s object `name`; raises `NoScaleSubresourceError` or
        `NotFoundError`."""
        return await (await self._scales(resource)).get(name, None, SCALE)

    async def update(
        self,
        resource: ResourceLike,
        scale: Scale | dict[str, Any],
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: rq.FieldValidationArg | None = None,
    ) -> Scale:
        """PUT the scale (client-go `ScaleInterface.Update`); its `metadata.resourceVersion`, if
        set, guards against conflicts (`ConflictError`, 409). Options as the typed `update`."""
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        return await (await self._scales(resource)).update(scale, options, SCALE)

    async def patch(
        self,
        resource: ResourceLike,
        name: str,
        patch: Any,
        patch_type: rq.PatchTypeArg = rq.PatchType.MERGE,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: rq.FieldValidationArg | None = None,
    ) -> Scale:
        """Patch the scale of `name` (e.g. `{"spec": {"replicas": 3}}`; client-go
        `ScaleInterface.Patch`); returns the new scale. Options as the typed `patch`."""
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        return await (await self._scales(resource)).patch(name, patch, patch_type, options, SCALE)
