"""Discovery documents recorded from the test kube-apiserver v1.36.3 (tests/unit/fixtures/discovery)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kubetyped.discovery import Discovery
from kubetyped.discovery.parse import (
    parse_aggregated,
    parse_api_group_list,
    parse_api_versions,
    parse_resource_list,
)

FIXTURES = Path(__file__).parent / "fixtures" / "discovery"


def document(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def legacy_resource_lists() -> dict[str, Any]:
    lists: dict[str, Any] = document("legacy_resource_lists.json")
    return lists


def aggregated_snapshot() -> Discovery:
    core_groups, core, _ = parse_aggregated(document("aggregated_api.json"), "/api")
    groups, named, _ = parse_aggregated(document("aggregated_apis.json"), "/apis")
    return Discovery(tuple(core_groups + groups), {**core, **named})


def legacy_snapshot() -> Discovery:
    core = parse_api_versions(document("legacy_api.json"))
    groups = parse_api_group_list(document("legacy_apis.json"))
    resources = {gv: parse_resource_list(doc, gv) for gv, doc in legacy_resource_lists().items()}
    return Discovery((core, *groups), resources)
