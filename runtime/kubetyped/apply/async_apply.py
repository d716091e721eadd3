"""`apply_manifests` for an `AsyncDynamicClient`.

Each object, in order: its resource and scope from the REST mapper (discovery is refreshed
once when a kind is unknown), its namespace defaulted, then server-side apply with the field
manager. A CustomResourceDefinition is waited for until `Established` and discovery refreshed,
so custom resources later in the same set apply in the same call. A failing object is
reported in its `ApplyResult`; the others are still applied. Source: kubectl `apply
--server-side` (`ApplyOptions.Run`, `resource.Builder`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kubetyped.apply.common import ApplyResult, identity, is_crd, place, prepare
from kubetyped.dynamic import AsyncDynamicClient
from kubetyped.errors import KubetypedError
from kubetyped.wait import condition

__all__ = ["apply_manifests"]

#: How long a CRD of the set may take to become Established (seconds).
CRD_ESTABLISHED_TIMEOUT = 60.0


async def apply_manifests(
    dynamic: AsyncDynamicClient,
    objects: Iterable[Any],
    *,
    field_manager: str,
    force: bool = False,
    namespace: str = "default",
    dry_run: bool = False,
    crd_timeout: float = CRD_ESTABLISHED_TIMEOUT,
) -> list[ApplyResult]:
    """Applies `objects` (models or dicts, e.g. from `kubetyped.manifests.load_manifests`)
    in order; one `ApplyResult` per object, in the same order.

    `field_manager` names the owner of the applied fields; `force` takes over fields owned by
    other managers (otherwise a conflict is that object's `ConflictError`); `namespace` is
    given to namespaced objects that name none (the context's namespace, as kubectl);
    `dry_run` sends `dryRun=All` (nothing is stored; a CRD of the set is then not
    established, so its custom resources fail with `NoKindMatchError`). Errors of one object
    (`ApiError`s, `NoKindMatchError`, `ApplyError`, `WaitTimeoutError` for a CRD) are in its
    result; nothing is raised for them.
    """
    results: list[ApplyResult] = []
    for obj in objects:
        try:
            body = prepare(obj)
        except KubetypedError as error:
            api_version, kind, name, ns = identity(obj if isinstance(obj, dict) else {})
            results.append(ApplyResult(api_version, kind, name, ns, error=error))
            continue
        api_version, kind, name, ns = identity(body)
        try:
            resource = await dynamic.resource_for_kind(api_version, kind)
            ns = place(body, resource.namespaced, namespace)
            if ns is not None:
                resource = resource.namespace(ns)
            applied = await resource.apply(
                body, field_manager=field_manager, force=force, dry_run=dry_run
            )
            if is_crd(body) and not dry_run:
                await resource.wait_for(name, condition("Established"), timeout=crd_timeout)
                dynamic.discovery.invalidate()  # its kinds are served now
        except KubetypedError as error:
            results.append(ApplyResult(api_version, kind, name, ns, error=error))
            continue
        results.append(ApplyResult(api_version, kind, name, ns, object=applied))
    return results
