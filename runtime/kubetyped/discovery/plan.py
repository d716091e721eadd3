"""Sans-IO discovery plan: which documents to fetch, and what they add up to.

A plan is a generator that yields batches of `httpx.Request`s and receives, for each batch, the
outcomes in the same order: the `httpx.Response` (2xx) or the `ApiError` the REST client raised.
`DiscoveryClient` sends a batch one by one, `AsyncDiscoveryClient` concurrently.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

import httpx
import orjson

from kubetyped.discovery.errors import DiscoveryDocumentError, DiscoveryError
from kubetyped.discovery.model import APIGroup, APIResource, Discovery
from kubetyped.discovery.parse import (
    AGGREGATED_ACCEPT,
    is_aggregated,
    legacy_group_versions,
    parse_aggregated,
    parse_api_group_list,
    parse_api_versions,
    parse_resource_list,
    resource_list_path,
)
from kubetyped.errors import ApiError, NotFoundError
from kubetyped.request import JSON, build_request

__all__: list[str] = []

Outcome = httpx.Response | ApiError
Plan = Generator[list[httpx.Request], list[Outcome], Discovery]


def get(path: str, accept: str = JSON) -> httpx.Request:
    """A GET of the discovery document at `path` with `accept` (JSON, or the aggregated discovery media
    types).
    """
    return build_request("GET", path, accept=accept)


def json_document(response: httpx.Response, source: str) -> Any:
    """The JSON body of a discovery response; `DiscoveryDocumentError` naming `source` when it is not
    JSON.
    """
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise DiscoveryDocumentError(source, f"not JSON ({exc})") from None


def _required(outcome: Outcome) -> httpx.Response:
    if isinstance(outcome, ApiError):
        raise DiscoveryError(f"discovery failed: {outcome}") from outcome
    return outcome


def discovery_plan() -> Plan:
    """Aggregated discovery on `/api` and `/apis`, falling back per endpoint to legacy discovery."""
    api_outcome, apis_outcome = yield [
        get("/api", AGGREGATED_ACCEPT),
        get("/apis", AGGREGATED_ACCEPT),
    ]
    groups: list[APIGroup] = []
    resources: dict[str, tuple[APIResource, ...]] = {}
    failed: dict[str, str] = {}
    legacy: list[APIGroup] = []

    api = _required(api_outcome)
    document = json_document(api, "/api")
    if is_aggregated(api.headers.get("content-type", ""), document):
        core_groups, core_resources, core_failed = parse_aggregated(document, "/api")
        groups += core_groups
        resources.update(core_resources)
        failed.update(core_failed)
    else:
        core = parse_api_versions(document)
        groups.append(core)
        legacy.append(core)

    # Very old or unusual servers may not serve /apis at all: then there are only core resources.
    if not isinstance(apis_outcome, NotFoundError):
        apis = _required(apis_outcome)
        document = json_document(apis, "/apis")
        if is_aggregated(apis.headers.get("content-type", ""), document):
            named_groups, named_resources, named_failed = parse_aggregated(document, "/apis")
            groups += named_groups
            resources.update(named_resources)
            failed.update(named_failed)
        else:
            named = parse_api_group_list(document)
            groups += named
            legacy += named

    pending = legacy_group_versions(None, legacy)
    if pending:
        outcomes = yield [get(resource_list_path(gv)) for gv in pending]
        resources.update(_resource_lists(pending, outcomes, failed))
    return Discovery(tuple(groups), resources, failed)


def _resource_lists(
    group_versions: Sequence[str], outcomes: Sequence[Outcome], failed: dict[str, str]
) -> dict[str, tuple[APIResource, ...]]:
    found: dict[str, tuple[APIResource, ...]] = {}
    for gv, outcome in zip(group_versions, outcomes, strict=True):
        if isinstance(outcome, ApiError):
            failed[gv] = str(outcome)
            continue
        source = resource_list_path(gv)
        found[gv] = parse_resource_list(json_document(outcome, source), source)
    return found
