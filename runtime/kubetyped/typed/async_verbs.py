"""Typed verbs for the AsyncClientset: one mixin per verb, combined by generated classes.

Every verb is a thin call of the request core (`kubetyped.resource.AsyncResourceClient` over the
resource's `BoundResource` and `ModelCodec`), which every client family shares.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kubetyped import request as rq
from kubetyped.model import KubeModel
from kubetyped.resource import AsyncResourceClient, ModelCodec
from kubetyped.rest import AsyncLogStream, AsyncRESTClient
from kubetyped.typed.operations import Body, log_params, typed_resource
from kubetyped.typed.resource import AllNamespaces, ResourceInfo
from kubetyped.watch import WatchEvent

if TYPE_CHECKING:  # the streaming verbs import httpx-ws (and asyncio) only when used
    from kubetyped import api
    from kubetyped.portforward import AsyncPortForwarder, AsyncPortForwardStream
    from kubetyped.remotecommand import AsyncExecSession, ExecResult
    from kubetyped.wait import WaitFor

__all__ = [
    "Apply",
    "Approval",
    "Attach",
    "Bind",
    "Create",
    "CreateToken",
    "Delete",
    "DeleteCollection",
    "EphemeralContainers",
    "Evict",
    "Exec",
    "Get",
    "List",
    "Log",
    "Patch",
    "PortForward",
    "Resize",
    "Scale",
    "Status",
    "TypedClient",
    "Update",
    "Watch",
]

T = TypeVar("T")
L = TypeVar("L")
S = TypeVar("S")
#: an apply configuration: the TypedDict generated next to a model (partial, wire names)
A = TypeVar("A")
SA = TypeVar("SA")


class TypedClient(Generic[T]):
    """A typed client for one resource, bound to a namespace (namespaced resources only; the
    `ALL_NAMESPACES` binding lists and watches only)."""

    resource: ResourceInfo

    def __init__(self, rest: AsyncRESTClient, namespace: str | AllNamespaces | None = None) -> None:
        self._rest = rest
        self._namespace = namespace
        self._client: AsyncResourceClient[T] = AsyncResourceClient(
            rest, typed_resource(self.resource, namespace)
        )

    def __repr__(self) -> str:
        scope = f", namespace={self._namespace!r}" if self.resource.namespaced else ""
        return f"{type(self).__name__}({self.resource.api_version}/{self.resource.plural}{scope})"

    def _subresource_client(self, subresource: str) -> AsyncResourceClient[Any]:
        """The client answering in `subresource`'s own model (the `ResourceInfo` names it)."""
        return self._client.with_codec(ModelCodec.of(self.resource.subresource_model(subresource)))

    def _path(self, name: str, subresource: str) -> str:
        return str(self._client.resource.item(name, subresource=subresource))


class Get(TypedClient[T]):
    """The `get` verb."""

    async def get(self, name: str, *, resource_version: str | None = None) -> T:
        """The object `name` (client-go `Get`).

        `resource_version`: "" or None reads the latest (quorum read); "0" allows any cached
        version. Raises `NotFoundError` (404), `ForbiddenError`, or another `ApiError` from the
        server's `Status`; `TransportError` when no answer arrives."""
        result: T = await self._client.get(name, rq.GetOptions(resource_version))
        return result


class List(TypedClient[T], Generic[T, L]):
    """The `list` verb: one call, or every item page by page."""

    async def list(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        limit: int | None = None,
        continue_: str | None = None,
        resource_version: str | None = None,
        resource_version_match: rq.ResourceVersionMatchArg | None = None,
        timeout_seconds: int | None = None,
    ) -> L:
        """One list call (client-go `List`): the typed list object, `items` decoded lazily.

        Selectors use the API's string syntax (`"app=web,tier!=db"`); `limit` and `continue_` page
        by hand (`iterate` pages for you); `resource_version`/`resource_version_match` choose the
        consistency (API convention "resourceVersion semantics"); `timeout_seconds` bounds the call
        on the server. Raises `ExpiredError` (410) for an expired `continue_`, else the typed
        `ApiError`."""
        options = rq.ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            limit=limit,
            continue_=continue_,
            resource_version=resource_version,
            resource_version_match=resource_version_match,
            timeout_seconds=timeout_seconds,
        )
        result: L = await self._client.list(options)
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
        codec = self._client.resource.codec
        async for page in self._client.pages(options):
            for item in codec.page_items(page):
                yield item


class Watch(TypedClient[T]):
    """The `watch` verb."""

    async def watch(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        resource_version: str | None = None,
        timeout_seconds: int | None = None,
        allow_watch_bookmarks: bool | None = None,
        send_initial_events: bool | None = None,
        resource_version_match: rq.ResourceVersionMatchArg | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncGenerator[WatchEvent[T], None]:
        """Typed events until the server ends the watch; an ERROR event raises its typed error.
        A generator (the stream of the request core underneath is closed with it, also when
        the loop is left early).

        BOOKMARK events are yielded only when asked for: ``allow_watch_bookmarks=True``, or
        ``send_initial_events=True`` (its end is a bookmark). By default they are still
        requested, so a silent connection is noticed (`idle_timeout`), and dropped here;
        ``False`` neither requests nor yields them. Informers use them regardless. The same
        rule holds for every client family (`kubetyped.request.watch_bookmarks`).
        `idle_timeout`: seconds without any byte before `WatchIdleTimeoutError` (0: never; None:
        `kubetyped.request.watch_idle_timeout`, 150 s with bookmarks)."""
        options = rq.ListOptions(
            label_selector=label_selector,
            field_selector=field_selector,
            resource_version=resource_version,
            timeout_seconds=timeout_seconds,
            allow_watch_bookmarks=allow_watch_bookmarks,
            send_initial_events=send_initial_events,
            resource_version_match=resource_version_match,
            idle_timeout=idle_timeout,
        )
        async with self._client.watch(options) as stream:  # closed with the generator
            async for event in stream:
                yield event

    async def wait_for(self, name: str, for_: WaitFor, *, timeout: float) -> T | None:
        """Waits until the object `name` satisfies `for_` (`kubectl wait`): one of
        `kubetyped.wait.condition("Available")`, `field_equals(".status.phase", "Running")`,
        `exists()` or `deleted()`. Returns the object that satisfied it (None for
        `deleted()`); `timeout` is in seconds.

        Lists, then watches from the listed resourceVersion (relisting after 410 Gone); never
        polls. Raises `WaitTimeoutError` (its `last` is the object as last seen) and the typed
        `ApiError` of a failed request. Source: client-go `watch.UntilWithSync`."""
        from kubetyped.wait.async_wait import wait_for_object

        path = self._client.resource.path
        obj = await wait_for_object(self._rest, path, name, for_, timeout=timeout)
        return None if obj is None else self.resource.model_class().from_raw(obj)


class Create(TypedClient[T]):
    """The `create` verb."""

    async def create(
        self,
        obj: T | dict[str, Any],
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: rq.FieldValidationArg | None = None,
    ) -> T:
        """POST `obj` (a model or a dict; apiVersion/kind filled in) and return the created object.

        `dry_run` validates without persisting; `field_manager` names the writer in managedFields;
        `field_validation` is "Strict", "Warn" or "Ignore" (unknown fields). Raises
        `AlreadyExistsError` (409), `InvalidError` with field causes (422), or another `ApiError`
        (client-go `Create`)."""
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        result: T = await self._client.create(obj, options)
        return result


class Update(TypedClient[T]):
    """The `update` verb."""

    async def update(
        self,
        obj: T | dict[str, Any],
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: rq.FieldValidationArg | None = None,
    ) -> T:
        """PUT the whole object (client-go `Update`) and return the stored object.

        The object's `metadata.resourceVersion`, when set, must match the stored one, else
        `ConflictError` (409; see `retry_on_conflict`). Options as for `create`.
        """
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        result: T = await self._client.update(obj, options)
        return result


class Patch(TypedClient[T]):
    """The `patch` verb."""

    async def patch(
        self,
        name: str,
        patch: Body,
        patch_type: rq.PatchTypeArg,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
        field_validation: rq.FieldValidationArg | None = None,
    ) -> T:
        """JSON patch (a list of operations), merge patch or strategic merge patch."""
        options = rq.WriteOptions(dry_run, field_manager, field_validation)
        result: T = await self._client.patch(name, patch, patch_type, options)
        return result


class Apply(TypedClient[T], Generic[T, A]):
    """Server-side apply (a `patch` with `application/apply-patch+yaml`)."""

    async def apply(
        self,
        obj: T | A,
        *,
        field_manager: str,
        force: bool = False,
        dry_run: bool = False,
        field_validation: rq.FieldValidationArg | None = None,
    ) -> T:
        """Server-side apply of the fields set in `obj` (apiVersion and kind are filled in).

        `obj` is a model or its apply configuration (`<Kind>ApplyConfiguration`, a TypedDict
        with wire-name keys, every key optional: client-go's applyconfigurations); a dict
        literal is checked against it by type checkers. Returns the object the server stored.
        """
        options = rq.ApplyOptions(field_manager, force, dry_run, field_validation)
        result: T = await self._client.apply(obj, options)
        return result


class Delete(TypedClient[T]):
    """The `delete` verb."""

    async def delete(
        self,
        name: str,
        *,
        propagation_policy: rq.PropagationPolicyArg | None = None,
        grace_period_seconds: int | None = None,
        preconditions: rq.Preconditions | None = None,
        dry_run: bool = False,
    ) -> T | api.Status:
        """DELETE the object `name` (client-go `Delete`); returns the server's answer, as every
        client family does: the object (deleted, or marked for deletion while finalizers or a
        grace period run: `metadata.deletion_timestamp` is set) or a `kubetyped.api.Status`
        (which answer a resource gives is the server's choice).

        `propagation_policy`: "Orphan", "Background" or "Foreground"; `grace_period_seconds`
        overrides the object's; `preconditions` (uid / resourceVersion) make the delete conditional
        (409 on mismatch). Raises `NotFoundError` (404) when it does not exist."""
        options = rq.DeleteOptions(propagation_policy, grace_period_seconds, preconditions, dry_run)
        result: T | api.Status = await self._client.delete(name, options)
        return result


class DeleteCollection(TypedClient[T]):
    """The `deletecollection` verb."""

    async def delete_collection(
        self,
        *,
        label_selector: rq.SelectorArg | None = None,
        field_selector: rq.SelectorArg | None = None,
        propagation_policy: rq.PropagationPolicyArg | None = None,
        grace_period_seconds: int | None = None,
        dry_run: bool = False,
    ) -> KubeModel:
        """DELETE every object matching the selectors (client-go `DeleteCollection`); returns the
        server's answer: the list of deleted objects (the resource's list model) or a
        `kubetyped.api.Status` (narrow with `isinstance`).

        Options as for `delete`; the server deletes them one by one (no atomicity).
        """
        list_options = rq.ListOptions(label_selector=label_selector, field_selector=field_selector)
        options = rq.DeleteOptions(propagation_policy, grace_period_seconds, None, dry_run)
        result: KubeModel = await self._client.delete_collection(list_options, options)
        return result


class Status(TypedClient[T], Generic[T, A]):
    """The `status` subresource."""

    async def get_status(self, name: str) -> T:
        """The object `name` read through its `status` subresource."""
        result: T = await self._client.get(name, None, "status")
        return result

    async def update_status(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        """PUT the object's `status` (client-go `UpdateStatus`); changes outside status are ignored.

        Raises `ConflictError` (409) when `metadata.resourceVersion` is stale.
        """
        options = rq.WriteOptions(dry_run, field_manager)
        result: T = await self._client.update(obj, options, "status")
        return result

    async def patch_status(
        self,
        name: str,
        patch: Body,
        patch_type: rq.PatchTypeArg,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
    ) -> T:
        """Patch the `status` subresource (see `patch` for `patch_type`)."""
        options = rq.WriteOptions(dry_run, field_manager)
        result: T = await self._client.patch(name, patch, patch_type, options, "status")
        return result

    async def apply_status(
        self,
        obj: T | A,
        *,
        field_manager: str,
        force: bool = False,
        dry_run: bool = False,
    ) -> T:
        """Server-side apply to the `status` subresource as `field_manager` (see `apply`)."""
        options = rq.ApplyOptions(field_manager, force, dry_run)
        result: T = await self._client.apply(obj, options, "status")
        return result


class Scale(TypedClient[T], Generic[T, S, SA]):
    """The `scale` subresource, as the scale model the resource's `ResourceInfo` names
    (`subresource_models`; autoscaling/v1 `Scale` for every built-in resource and CRD)."""

    async def get_scale(self, name: str) -> S:
        """The `scale` subresource of `name`, as the scale model the resource names (autoscaling/v1
        `Scale`; client-go `GetScale`).
        """
        result: S = await self._subresource_client("scale").get(name, None, "scale")
        return result

    async def update_scale(
        self,
        name: str,
        scale: S | dict[str, Any],
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
    ) -> S:
        """PUT the `scale` subresource (e.g. `spec.replicas`); returns the stored scale.

        Raises `ConflictError` (409) when the scale's `metadata.resourceVersion` is stale.
        """
        options = rq.WriteOptions(dry_run, field_manager)
        client = self._subresource_client("scale")
        result: S = await client.update(scale, options, "scale", name=name)
        return result

    async def patch_scale(
        self,
        name: str,
        patch: Body,
        patch_type: rq.PatchTypeArg,
        *,
        dry_run: bool = False,
        field_manager: str | None = None,
    ) -> S:
        """Patch the `scale` subresource (see `patch` for `patch_type`)."""
        options = rq.WriteOptions(dry_run, field_manager)
        client = self._subresource_client("scale")
        result: S = await client.patch(name, patch, patch_type, options, "scale")
        return result

    async def apply_scale(
        self, name: str, scale: S | SA, *, field_manager: str, force: bool = False
    ) -> S:
        """Server-side apply of `scale` to the `scale` subresource as `field_manager`."""
        options = rq.ApplyOptions(field_manager, force)
        client = self._subresource_client("scale")
        result: S = await client.apply(scale, options, "scale", name=name)
        return result


class Evict(TypedClient[T], Generic[T, S]):
    """`pods/eviction`: evicts a pod, honouring PodDisruptionBudgets."""

    async def evict(
        self, name: str, eviction: S | dict[str, Any] | None = None, *, dry_run: bool = False
    ) -> None:
        """POST an Eviction for pod `name` (policy/v1; client-go `EvictV1`).

        Raises `TooManyRequestsError` (429) while a PodDisruptionBudget forbids it; retry later.
        """
        body: Any = (
            eviction
            if eviction is not None
            else {"metadata": {"name": name, "namespace": self._namespace}}
        )
        request = self._client.resource.create(
            body,
            rq.WriteOptions(dry_run),
            name=name,
            subresource="eviction",
            api_version="policy/v1",
            kind="Eviction",
        )
        await self._rest.send(request)


class Bind(TypedClient[T], Generic[T, S]):
    """`pods/binding`: binds a pod to a node."""

    async def bind(self, name: str, binding: S | dict[str, Any], *, dry_run: bool = False) -> None:
        """POST a Binding that assigns pod `name` to a node (what a scheduler does)."""
        request = self._client.resource.create(
            binding,
            rq.WriteOptions(dry_run),
            name=name,
            subresource="binding",
            api_version="v1",
            kind="Binding",
        )
        await self._rest.send(request)


class CreateToken(TypedClient[T], Generic[T, S]):
    """`serviceaccounts/token`: requests a bound service-account token."""

    async def create_token(
        self, name: str, token_request: S | dict[str, Any], *, dry_run: bool = False
    ) -> S:
        """Request a bound token for service account `name` (authentication.k8s.io/v1 TokenRequest);
        returns the TokenRequest with `status.token` and its expiry.
        """
        client = self._subresource_client("token")
        options = rq.WriteOptions(dry_run)
        result: S = await client.create(token_request, options, name=name, subresource="token")
        return result


class Log(TypedClient[T]):
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
        """The container log of pod `name` as text (`pods/log`).

        `container` is required when the pod has several; `previous` reads the last terminated
        instance; `since_seconds`, `tail_lines` and `limit_bytes` bound what is returned."""
        params = log_params(
            container=container,
            follow=False,
            previous=previous,
            since_seconds=since_seconds,
            tail_lines=tail_lines,
            timestamps=timestamps,
            limit_bytes=limit_bytes,
        )
        return await self._rest.get_text(self._path(name, "log"), params)

    def stream_log(
        self,
        name: str,
        *,
        container: str | None = None,
        follow: bool = True,
        previous: bool = False,
        since_seconds: int | None = None,
        tail_lines: int | None = None,
        timestamps: bool = False,
        limit_bytes: int | None = None,
    ) -> AsyncLogStream:
        """The container's log lines as they arrive (`kubectl logs -f`): with `follow` the
        stream stays open and yields lines appended later; without it, it ends at the end of
        the current log.

        Parameters are `PodLogOptions`: `container` (needed when the pod has several),
        `previous` (the last terminated instance), `since_seconds`, `tail_lines` (from the
        end), `timestamps` (each line prefixed by its RFC 3339 time), `limit_bytes`. Lines have
        no terminator. The request is sent on first iteration; `close()` or leaving its
        `async with` block ends it (a blocked read too: from another thread, or by cancelling
        the task). Raises `ApiError` subclasses (e.g. `BadRequestError` for a container that
        is not running, `NotFoundError`) and `TransportError`. Source: client-go
        `PodExpansion.GetLogs` + `Request.Stream`.
        """
        params = log_params(
            container=container,
            follow=follow,
            previous=previous,
            since_seconds=since_seconds,
            tail_lines=tail_lines,
            timestamps=timestamps,
            limit_bytes=limit_bytes,
        )
        return self._rest.stream_lines(self._path(name, "log"), params)


class Exec(TypedClient[T]):
    """`pods/exec`: run a command in a container (`kubectl exec`)."""

    async def exec(
        self,
        name: str,
        command: Sequence[str],
        *,
        container: str | None = None,
        stdin: bytes | str | None = None,
        tty: bool = False,
    ) -> ExecResult:
        """Runs `command` (argv, no shell) in the pod's container to completion: its stdout,
        stderr and exit code as an `ExecResult` (a non-zero exit is a result, not an error;
        `result.check()` raises for it). `stdin` is sent, then end-of-file.

        `container` is needed when the pod has several. Raises the typed `ApiError` of a
        refused request (`NotFoundError`, `BadRequestError` for a container that is not
        running, `ForbiddenError`), `RemoteCommandError` when the command could not run
        (`status` is the apiserver's `Status`), `StreamProtocolError`, `TransportError`.
        Source: client-go `remotecommand.NewWebSocketExecutor` + `StreamWithContext`.
        """
        async with self.stream_exec(
            name, command, container=container, stdin=stdin is not None, tty=tty
        ) as session:
            return await session.collect(stdin)

    def stream_exec(
        self,
        name: str,
        command: Sequence[str],
        *,
        container: str | None = None,
        stdin: bool = False,
        stdout: bool = True,
        stderr: bool = True,
        tty: bool = False,
    ) -> AsyncExecSession:
        """An interactive exec session (`kubectl exec -it`), opened by `async with`: write
        stdin, `resize()` the TTY, read output as it comes, `wait()` for the exit code. With
        `tty` stderr is merged into stdout. See `AsyncExecSession` for the errors."""
        from kubetyped.remotecommand import AsyncExecSession
        from kubetyped.remotecommand.protocol import stream_params

        if not command:
            raise ValueError("exec needs a command")
        params = stream_params(
            container=container,
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            tty=tty,
            command=command,
        )
        return AsyncExecSession(self._rest, self._path(name, "exec"), params)


class Attach(TypedClient[T]):
    """`pods/attach`: attach to a running container's stdio (`kubectl attach`)."""

    def attach(
        self,
        name: str,
        *,
        container: str | None = None,
        stdin: bool = False,
        stdout: bool = True,
        stderr: bool = True,
        tty: bool = False,
    ) -> AsyncExecSession:
        """A session on the main process of the container, opened by `async with`: its output
        from now on, and its stdin when the container has one open. Same shape and errors as
        `stream_exec`. Source: client-go `PodExpansion` attach + `remotecommand`."""
        from kubetyped.remotecommand import AsyncExecSession
        from kubetyped.remotecommand.protocol import stream_params

        params = stream_params(
            container=container, stdin=stdin, stdout=stdout, stderr=stderr, tty=tty
        )
        return AsyncExecSession(self._rest, self._path(name, "attach"), params)


class PortForward(TypedClient[T]):
    """`pods/portforward`: connections to a pod's ports (`kubectl port-forward`)."""

    def port_forward(
        self, name: str, port: int, *, local_port: int = 0, address: str = "127.0.0.1"
    ) -> AsyncPortForwarder:
        """A local listener on `address`:`local_port` (0: a free port, read
        `forwarder.local_port` once open) whose every accepted connection reaches `port` of
        the pod through its own WebSocket; opened by `async with`. Several connections may be
        open at once. Connection errors are kept in `forwarder.errors` (`PortForwardError`,
        `ApiError`) and logged. Source: client-go `portforward.PortForwarder.ForwardPorts`."""
        from kubetyped.portforward import AsyncPortForwarder

        return AsyncPortForwarder(
            self._rest,
            self._path(name, "portforward"),
            port,
            local_port=local_port,
            address=address,
        )

    def port_forward_stream(self, name: str, port: int) -> AsyncPortForwardStream:
        """One byte stream to `port` of the pod, opened by `async with`: `send()`,
        `receive()` (`b""` at the end). Raises the typed `ApiError` of a refused upgrade and
        `PortForwardError` when the kubelet cannot connect to the port."""
        from kubetyped.portforward import AsyncPortForwardStream

        return AsyncPortForwardStream(self._rest, self._path(name, "portforward"), port)


class Approval(TypedClient[T]):
    """`certificatesigningrequests/approval`."""

    async def update_approval(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        """PUT the CertificateSigningRequest's `approval` subresource (approve or deny it)."""
        options = rq.WriteOptions(dry_run, field_manager)
        result: T = await self._client.update(obj, options, "approval")
        return result


class EphemeralContainers(TypedClient[T]):
    """`pods/ephemeralcontainers`."""

    async def update_ephemeral_containers(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        """PUT the pod's `ephemeralcontainers` subresource (adds debug containers)."""
        options = rq.WriteOptions(dry_run, field_manager)
        result: T = await self._client.update(obj, options, "ephemeralcontainers")
        return result


class Resize(TypedClient[T]):
    """`pods/resize`: in-place resource resize."""

    async def update_resize(
        self, obj: T | dict[str, Any], *, dry_run: bool = False, field_manager: str | None = None
    ) -> T:
        """PUT the pod's `resize` subresource (in-place resource changes)."""
        options = rq.WriteOptions(dry_run, field_manager)
        result: T = await self._client.update(obj, options, "resize")
        return result
