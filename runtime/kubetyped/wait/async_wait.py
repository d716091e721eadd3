"""`wait_for_object`: wait until one object satisfies a `WaitFor`.

List the object (field selector `metadata.name`), decide; else watch from the listed
resourceVersion with a server-side timeout of the time left, deciding on every event; a
`410 Gone` (`ExpiredError`) relists. No polling: between events the request is idle on the
server. Source: client-go `tools/watch.UntilWithSync`, kubectl `wait`.
"""

from __future__ import annotations

import math
import time

from kubetyped.errors import ExpiredError
from kubetyped.request import ListOptions, ResourcePath
from kubetyped.rest import AsyncRESTClient
from kubetyped.wait.core import Obj, WaitFor, WaitState

__all__ = ["wait_for_object"]


async def wait_for_object(
    rest: AsyncRESTClient,
    collection: ResourcePath,
    name: str,
    wait_for: WaitFor,
    *,
    timeout: float,
) -> Obj | None:
    """Waits until the object `name` of `collection` satisfies `wait_for`; returns it as JSON
    (None for `deleted()`). `timeout` is in seconds.

    Raises `WaitTimeoutError` (carrying the last seen object) when the time is up, and the
    typed `ApiError` of a failed list or watch (410 Gone excepted: it relists).
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    deadline = time.monotonic() + timeout
    state = WaitState(name, wait_for)
    selector = f"metadata.name={name}"
    what = collection.resource
    while True:
        listed = await rest.list(collection, ListOptions(field_selector=selector))
        outcome = state.on_list(listed.get("items") or [])
        if outcome is not None:
            return outcome.obj
        version = (listed.get("metadata") or {}).get("resourceVersion")
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise state.timeout_error(what, timeout)
            options = ListOptions(
                field_selector=selector,
                resource_version=version,
                timeout_seconds=max(1, math.ceil(remaining)),
                allow_watch_bookmarks=True,
            )
            try:
                async with rest.watch(collection, options) as stream:
                    async for event in stream:
                        outcome = state.on_event(event.type.value, event.object)
                        if outcome is not None:
                            return outcome.obj
                        version = event.resource_version or version
                        if time.monotonic() >= deadline:
                            raise state.timeout_error(what, timeout)
            except ExpiredError:
                break  # the listed version is gone: relist
