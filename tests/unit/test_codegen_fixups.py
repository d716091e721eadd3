"""Spec fixups apply where the defect is, and fail loudly where it is gone."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from upstream_specs import UPSTREAM, needs_upstream

from kubetyped_codegen.errors import FixupNoLongerAppliesError
from kubetyped_codegen.fixups import (
    ENDPOINT_SLICE,
    EVENTS_EVENT,
    FIXUPS,
    INT_OR_STRING,
    QUANTITY,
    UNTYPED_JSON,
    Fixup,
    apply_fixups,
)
from kubetyped_codegen.ir import VersionInfo

V134, V135, V136, V137 = (VersionInfo("1", m) for m in ("34", "35", "36", "37"))
SHARED = UPSTREAM


def fixup(name: str) -> Fixup:
    return next(f for f in FIXUPS if f.name == name)


def defective() -> dict[str, dict[str, Any]]:
    """Minimal definitions carrying every defect the fixups correct (as in 1.34/1.35)."""
    return {
        INT_OR_STRING: {"type": "string", "format": "int-or-string"},
        QUANTITY: {"type": "string"},
        **{name: {"description": "free-form"} for name in UNTYPED_JSON},
        ENDPOINT_SLICE: {"required": ["addressType", "endpoints"], "properties": {}},
        EVENTS_EVENT: {"required": ["eventTime"], "properties": {}},
    }


def test_all_apply_to_defective_spec() -> None:
    definitions = defective()
    applied = apply_fixups(definitions, V135)
    assert set(applied) == {f.name for f in FIXUPS}
    assert "type" not in definitions[INT_OR_STRING]
    assert definitions[INT_OR_STRING]["x-kubernetes-int-or-string"] is True
    assert definitions[QUANTITY]["format"] == "quantity"
    assert all(definitions[n]["x-kubernetes-preserve-unknown-fields"] for n in UNTYPED_JSON)
    assert definitions[ENDPOINT_SLICE]["required"] == ["addressType"]
    assert "required" not in definitions[EVENTS_EVENT]


@pytest.mark.parametrize(
    ("name", "correct"),
    [
        ("int_or_string_type", {INT_OR_STRING: {"x-kubernetes-int-or-string": True}}),
        ("quantity_format", {QUANTITY: {"type": "string", "format": "quantity"}}),
        ("untyped_json_any", {UNTYPED_JSON[0]: {"type": "object"}}),
        ("endpointslice_endpoints_optional", {ENDPOINT_SLICE: {"required": ["addressType"]}}),
        ("events_event_time_optional", {EVENTS_EVENT: {"required": ["reportingController"]}}),
    ],
)
def test_raises_when_target_already_correct(name: str, correct: dict[str, dict[str, Any]]) -> None:
    with pytest.raises(FixupNoLongerAppliesError) as caught:
        fixup(name).apply(copy.deepcopy(correct), V134)
    assert caught.value.fixup == name and caught.value.version == "1.34"


def test_outside_version_range_is_not_applied() -> None:
    definitions = defective()
    assert not fixup("endpointslice_endpoints_optional").apply(definitions, V136)
    assert definitions[ENDPOINT_SLICE]["required"] == ["addressType", "endpoints"]
    assert not fixup("events_event_time_optional").apply(definitions, V137)


def test_absent_target_is_skipped() -> None:
    assert apply_fixups({}, V136) == ()


def test_unknown_version_applies_only_where_defect_is_present() -> None:
    definitions: dict[str, dict[str, Any]] = {
        ENDPOINT_SLICE: {"required": ["addressType"]},
        QUANTITY: {"type": "string"},
    }
    assert apply_fixups(definitions, None) == ("quantity_format",)
    assert apply_fixups(definitions, VersionInfo("0", "0", "unknown")) == ()


@needs_upstream
@pytest.mark.parametrize("minor", ["34", "35", "36"])
def test_upstream_specs(minor: str) -> None:
    definitions = json.loads((SHARED / f"swagger-1.{minor}.json").read_text())["definitions"]
    applied = apply_fixups(definitions, VersionInfo("1", minor))
    assert ("endpointslice_endpoints_optional" in applied) == (minor != "36")
    assert "events_event_time_optional" in applied


@needs_upstream
def test_claiming_a_fixed_version_fails_loudly() -> None:
    """EndpointSlice.endpoints became optional in 1.36: claiming 1.36 must raise."""
    definitions = json.loads((SHARED / "swagger-1.36.json").read_text())["definitions"]
    stale = fixup("endpointslice_endpoints_optional")
    claimed = Fixup(stale.name, stale.summary, (1, 34), (1, 36), stale.targets, stale.body)
    with pytest.raises(FixupNoLongerAppliesError, match=r"1\.36"):
        claimed.apply(definitions, V136)
