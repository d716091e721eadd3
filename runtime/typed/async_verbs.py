"""Typed verbs for the AsyncClientset: one mixin per verb, combined by generated classes.

Every method builds its request with `ResourceOperations` (shared by both clientsets) and only
sends it here.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, Generic, TypeVar

from kubetyped import request as rq
from kubetyped.rest import AsyncRESTClient
from kubetyped.typed.events import Event
from kubetyped.typed.operations import Body, ResourceOperations, is_bookmark, log_params
from kubetyped.typed.resource import AllNamespaces, ResourceInfo

T = TypeVar("T")
L = TypeVar("L")
S = TypeVar("S")


class ResourceClient(Generic[T]):
    """A typed client for one resource, bound to a namespace (namespaced resources only)."""

    resource: ResourceInfo

    def __init__(self, rest: AsyncRESTClient, namespace: str | AllNamespaces | None = None) -> None:
        self._rest = rest
        self._ops = ResourceOperations(self.resource, namespace)

    def __repr__(self) -> str:
        scope = f", namespace={self._ops.namespace!r}" if self.resource.namespaced else ""
        return f"{type(self).__name__}({self.resource.api_version}/{self.resource.plural}{scope})"

    async def _put(self, obj: Any, subresource: str | None, options: rq.WriteOptions) -> Any:
        """PUT the whole object to the resource or to one of its subresources."""
        return self._ops.decode(await self._rest.send(self._ops.update(obj, options, subresource)))


class Get(ResourceClient[T]):
    async def get(self, name: str, *, resource_version: str | None = None) -> T:
        response = await self._rest.send(self._ops.get(name, resource_version))
        result: T = self._ops.decode(response)
        return result


class List(ResourceClient[T], Generic[T, L]):
    async def list(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        limit: int | None = None,
        continue_: str | None = None,
        resource_version: str | None = None,
        resource_version_match: str | None = None,
        timeout_seconds: int | None = None,
    ) -> L:
        options = rq.ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            limit=limit,
            continue_=continue_,
            resource_version=resource_version,
            resource_version_match=resource_version_match,
            timeout_seconds=timeout_seconds,
        )
        result: L = self._ops.decode_list(await self._rest.send(self._ops.list(options)))
        return result

    async def iterate(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        page_size: int = rq.DEFAULT_PAGE_SIZE,
        resource_version: str | None = None,
    ) -> AsyncGenerator[T, None]:
        """Every item, page by page (`limit`/`continue`). Each item comes once: if the continue
        token expires mid-way, `ExpiredError` is raised after the items already yielded
        (client-go `ListPager.EachListItem`); start over for a fresh list."""
        options = rq.ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            limit=page_size,
            resource_version=resource_version,
        )
        async for page in self._rest.list_pages(self._ops.collection(), options):
            for item in self._ops.page_items(page):
                yield item


class Watch(ResourceClient[T]):
    async def watch(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        resource_version: str | None = None,
        timeout_seconds: int | None = None,
        allow_watch_bookmarks: bool | None = None,
        send_initial_events: bool | None = None,
        resource_version_match: str | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncGenerator[Event[T], None]:
        """Typed events until the server ends the watch; an ERROR event raises its typed error.

        BOOKMARK events are yielded only when asked for: ``allow_watch_bookmarks=True``, or
        ``send_initial_events=True`` (its end is a bookmark). By default they are still
        requested, so a silent connection is noticed (`idle_timeout`), and dropped here;
        ``False`` neither requests nor yields them. Informers use them regardless.
        `idle_timeout`: seconds without any byte before `WatchIdleTimeoutError` (0: never; None:
        `kubetyped.request.watch_idle_timeout`, 150 s with bookmarks)."""
        yield_bookmarks = (
            bool(send_initial_events) if allow_watch_bookmarks is None else allow_watch_bookmarks
        )
        options = rq.ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
            timeout_seconds=timeout_seconds,
            allow_watch_bookmarks=allow_watch_bookmarks is not False,
            send_initial_events=send_initial_events,
            resource_version_match=resource_version_match,
            idle_timeout=idle_timeout,
        )
        async with self._rest.watch(self._ops.collection(), options) as stream:  # closed on exit
            async for event in stream:
                typed = self._ops.event(event)
                if yield_bookmarks or not is_bookmark(typed):
                    yield typed


class Create(ResourceClient[T]):
    async def create(
        self,
        obj: T | dict[str, Any],
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: str | None = None,
    ) -> T:
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        result: T = self._ops.decode(await self._rest.send(self._ops.create(obj, options)))
        return result


class Update(ResourceClient[T]):
    async def update(
        self,
        obj: T | dict[str, Any],
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: str | None = None,
    ) -> T:
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        result: T = await self._put(obj, None, options)
        return result


class Patch(ResourceClient[T]):
    async def patch(
        self,
        name: str,
        patch: Body,
        patch_type: rq.PatchType | str,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: str | None = None,
    ) -> T:
        """JSON patch (a list of operations), merge patch or strategic merge patch."""
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        request = self._ops.patch(name, patch, patch_type, options)
        result: T = self._ops.decode(await self._rest.send(request))
        return result


class Apply(ResourceClient[T]):
    async def apply(
        self,
        obj: T | dict[str, Any],
        *,
        field_manager: str,
        force: bool = False,
        dry_run: bool = False,
        field_validation: str | None = None,
    ) -> T:
        """Server-side apply of the fields set in `obj` (apiVersion and kind are filled in)."""
        options = rq.ApplyOptions(field_manager, force, dry_run, field_validation)
        result: T = self._ops.decode(await self._rest.send(self._ops.apply(obj, options)))
        return result


class Delete(ResourceClient[T]):
    async def delete(
        self,
        name: str,
        *,
        propagation_policy: str | None = None,
        grace_period_seconds: int | None = None,
        preconditions: rq.Preconditions | None = None,
        dry_run: bool = False,
    ) -> None:
        options = rq.DeleteOptions(propagation_policy, grace_period_seconds, preconditions, dry_run)
        await self._rest.send(self._ops.delete(name, options))


class DeleteCollection(ResourceClient[T]):
    async def delete_collection(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        propagation_policy: str | None = None,
        grace_period_seconds: int | None = None,
        dry_run: bool = False,
    ) -> None:
        list_options = rq.ListOptions(label_selector=label_selector, field_selector=field_selector)
        options = rq.DeleteOptions(propagation_policy, grace_period_seconds, None, dry_run)
        await self._rest.send(self._ops.delete_collection(list_options, options))


class Status(ResourceClient[T]):
    """The `status` subresource."""

    async def get_status(self, name: str) -> T:
        result: T = self._ops.decode(await self._rest.send(self._ops.get(name, None, "status")))
        return result

    async def update_status(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        options = rq.WriteOptions(dry_run, field_manager)
        result: T = await self._put(obj, "status", options)
        return result

    async def patch_status(
        self,
        name: str,
        patch: Body,
        patch_type: rq.PatchType | str,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
    ) -> T:
        options = rq.WriteOptions(dry_run, field_manager)
        request = self._ops.patch(name, patch, patch_type, options, "status")
        result: T = self._ops.decode(await self._rest.send(request))
        return result

    async def apply_status(
        self,
        obj: T | dict[str, Any],
        *,
        field_manager: str,
        force: bool = False,
        dry_run: bool = False,
    ) -> T:
        options = rq.ApplyOptions(field_manager, force, dry_run)
        result: T = self._ops.decode(await self._rest.send(self._ops.apply(obj, options, "status")))
        return result


class Scale(ResourceClient[T], Generic[T, S]):
    """The `scale` subresource (autoscaling/v1 Scale)."""

    async def get_scale(self, name: str) -> S:
        model = self.resource.subresource_model("scale")
        response = await self._rest.send(self._ops.get(name, None, "scale"))
        result: S = self._ops.decode_as(model, response)
        return result

    async def update_scale(
        self,
        name: str,
        scale: S | dict[str, Any],
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
    ) -> S:
        model = self.resource.subresource_model("scale")
        options = rq.WriteOptions(dry_run, field_manager)
        body = self._ops.body(scale, kind="Scale", api_version="autoscaling/v1")
        request = rq.build_request(
            "PUT", self._ops.item(name, "scale"), params=options.params(), body=body, accept=rq.JSON
        )
        result: S = self._ops.decode_as(model, await self._rest.send(request))
        return result

    async def patch_scale(
        self,
        name: str,
        patch: Body,
        patch_type: rq.PatchType | str,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
    ) -> S:
        model = self.resource.subresource_model("scale")
        options = rq.WriteOptions(dry_run, field_manager)
        request = self._ops.patch(name, patch, patch_type, options, "scale")
        result: S = self._ops.decode_as(model, await self._rest.send(request))
        return result

    async def apply_scale(
        self, name: str, scale: S | dict[str, Any], *, field_manager: str, force: bool = False
    ) -> S:
        model = self.resource.subresource_model("scale")
        options = rq.ApplyOptions(field_manager, force)
        request = self._ops.apply(
            scale, options, "scale", kind="Scale", api_version="autoscaling/v1", name=name
        )
        result: S = self._ops.decode_as(model, await self._rest.send(request))
        return result


class Evict(ResourceClient[T], Generic[T, S]):
    """`pods/eviction`: evicts a pod, honouring PodDisruptionBudgets."""

    async def evict(
        self, name: str, eviction: S | dict[str, Any] | None = None, *, dry_run: bool = False
    ) -> None:
        body: Any = (
            eviction
            if eviction is not None
            else {"metadata": {"name": name, "namespace": self._ops.namespace}}
        )
        request = self._ops.post_subresource(
            name, "eviction", body, "Eviction", "policy/v1", rq.WriteOptions(dry_run)
        )
        await self._rest.send(request)


class Bind(ResourceClient[T], Generic[T, S]):
    """`pods/binding`: binds a pod to a node."""

    async def bind(self, name: str, binding: S | dict[str, Any], *, dry_run: bool = False) -> None:
        request = self._ops.post_subresource(
            name, "binding", binding, "Binding", "v1", rq.WriteOptions(dry_run)
        )
        await self._rest.send(request)


class CreateToken(ResourceClient[T], Generic[T, S]):
    """`serviceaccounts/token`: requests a bound service-account token."""

    async def create_token(
        self, name: str, token_request: S | dict[str, Any], *, dry_run: bool = False
    ) -> S:
        model = self.resource.subresource_model("token")
        request = self._ops.post_subresource(
            name,
            "token",
            token_request,
            "TokenRequest",
            "authentication.k8s.io/v1",
            rq.WriteOptions(dry_run),
        )
        result: S = self._ops.decode_as(model, await self._rest.send(request))
        return result


class Log(ResourceClient[T]):
    """`pods/log`: container logs as text, or a line stream with `follow`."""

    async def get_log(
        self,
        name: str,
        *,
        container: str | None = None,
        previous: bool = False,
        since_seconds: int | None = None,
        tail_lines: int | None = None,
        timestamps: bool = False,
        limit_bytes: int | None = None,
    ) -> str:
        params = log_params(
            container=container,
            follow=False,
            previous=previous,
            since_seconds=since_seconds,
            tail_lines=tail_lines,
            timestamps=timestamps,
            limit_bytes=limit_bytes,
        )
        return await self._rest.get_text(self._ops.item(name, "log"), params)

    async def stream_log(
        self,
        name: str,
        *,
        container: str | None = None,
        since_seconds: int | None = None,
        tail_lines: int | None = None,
        timestamps: bool = False,
    ) -> AsyncIterator[str]:
        params = log_params(
            container=container,
            follow=True,
            previous=False,
            since_seconds=since_seconds,
            tail_lines=tail_lines,
            timestamps=timestamps,
            limit_bytes=None,
        )
        async for line in self._rest.stream_lines(self._ops.item(name, "log"), params):
            yield line


class Approval(ResourceClient[T]):
    """`certificatesigningrequests/approval`."""

    async def update_approval(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        result: T = await self._put(obj, "approval", rq.WriteOptions(dry_run, field_manager))
        return result


class EphemeralContainers(ResourceClient[T]):
    """`pods/ephemeralcontainers`."""

    async def update_ephemeral_containers(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        result: T = await self._put(
            obj, "ephemeralcontainers", rq.WriteOptions(dry_run, field_manager)
        )
        return result


class Resize(ResourceClient[T]):
    """`pods/resize`: in-place resource resize."""

    async def update_resize(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        result: T = await self._put(obj, "resize", rq.WriteOptions(dry_run, field_manager))
        return result
