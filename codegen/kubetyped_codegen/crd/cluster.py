"""CRD group-versions of a live apiserver: aggregated discovery + OpenAPI v3 documents."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from kubetyped_codegen import discovery
from kubetyped_codegen.crd.errors import CrdError
from kubetyped_codegen.crd.spec import CrdInputs, GroupFilter, build_spec, check_included
from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.openapi_v3 import v3_operations
from kubetyped_codegen.resources import Operation, analyse
from kubetyped_codegen.schemas import build_schemas
from kubetyped_codegen.snapshot import Fetch, httpx_fetch


def _json(fetch: Fetch, path: str, accept: str = "application/json") -> Any:
    try:
        return orjson.loads(fetch(path, accept))
    except orjson.JSONDecodeError as error:
        raise CrdError(f"invalid JSON ({error})", file=path) from None


def inputs_from_server(fetch: Fetch, selection: GroupFilter) -> CrdInputs:
    """The published OpenAPI v3 and aggregated discovery of the selected groups, read through
    ``fetch(path, accept)`` (a live server or a snapshot). Raises ``CrdError`` naming the path
    for a server without aggregated discovery or invalid JSON."""
    apis = _json(fetch, "/apis", discovery.DISCOVERY_ACCEPT)
    if apis.get("kind") != "APIGroupDiscoveryList":
        raise CrdError("the server does not serve aggregated discovery", file="/apis")
    served = [str(i.get("metadata", {}).get("name", "")) for i in apis.get("items", ())]
    check_included(selection, served, "/apis", "the server serves")
    items = [
        i for i in apis.get("items", ()) if selection.selects(i.get("metadata", {}).get("name", ""))
    ]
    inputs = CrdInputs(groups={str(i["metadata"]["name"]) for i in items})
    if not items:
        raise CrdError("the server serves none of the selected groups", file="/apis")
    inputs.discovery = [{**apis, "items": items}]
    operations: list[Operation] = []
    for item in items:
        group = str(item["metadata"]["name"])
        for entry in item.get("versions", ()):
            path = f"/openapi/v3/apis/{group}/{entry['version']}"
            document = _json(fetch, path)
            schemas: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
            for name, raw in schemas.items():
                inputs.components.setdefault(name, raw)
                inputs.origins.setdefault(name, (path, name))
            operations.extend(v3_operations(document.get("paths", {})))
    inputs.path_resources = analyse(operations, build_schemas(_kinds_only(inputs.components)))
    return inputs


def _kinds_only(components: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Schemas reduced to their GVKs: all the path analysis needs (no hoisting required)."""
    return {
        name: {k: v for k, v in raw.items() if k == "x-kubernetes-group-version-kind"}
        for name, raw in components.items()
    }


def snapshot_fetch(snapshot: Path) -> Fetch:
    """A fetch over a snapshot (``kubetyped snapshot`` output, folder or archive): the same
    documents as the server's, offline."""
    from kubetyped_codegen.layout import (
        DISCOVERY_DIR,
        OPENAPI_V3_DIR,
        read_snapshot,
        v3_file_name,
    )

    files = read_snapshot(snapshot)

    def fetch(path: str, accept: str) -> bytes:
        if path == "/apis":
            name = f"{DISCOVERY_DIR}/apis.json"
        else:
            name = f"{OPENAPI_V3_DIR}/{v3_file_name(path.removeprefix('/openapi/v3/'))}"
        if name not in files:
            raise CrdError("not in the snapshot", file=f"{snapshot}/{name}")
        return files[name]

    return fetch


def spec_from_snapshot(snapshot: Path, selection: GroupFilter) -> ApiSpec:
    """The CRD groups of a snapshot folder (``generate --spec SNAPSHOT --include-group G``)."""
    return build_spec(inputs_from_server(snapshot_fetch(snapshot), selection))


def spec_from_cluster(
    kubeconfig: Path | None, context: str | None, selection: GroupFilter
) -> ApiSpec:
    """The CRD groups a live cluster serves (``generate --kubeconfig K --include-group G``),
    read from ``/apis`` and ``/openapi/v3`` with the kubeconfig's credentials."""
    fetch, close = httpx_fetch(kubeconfig, context)
    try:
        return build_spec(inputs_from_server(fetch, selection))
    finally:
        close()
