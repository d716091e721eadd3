"""The API diff on real Kubernetes specs (upstream swagger files and the committed snapshot)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from upstream_specs import UPSTREAM, needs_upstream, upstream_spec

from kubetyped_codegen.diff import Severity, diff_specs
from kubetyped_codegen.diff.changes import Change, DiffResult
from kubetyped_codegen.ir import ApiSpec, Property
from kubetyped_codegen.load_v2 import load_v2
from kubetyped_codegen.load_v3 import load_v3
from kubetyped_codegen.pipeline import SpecSource, load_spec
from kubetyped_codegen.snapshot import snapshot_from_swagger

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "kubetyped_openapi" / "1.36.tar.xz"


def find(
    result: DiffResult, category: str, api_version: str, kind: str = "", path: str = ""
) -> Change:
    for change in result.changes:
        if (change.category, change.api_version, change.kind, change.path) == (
            category, api_version, kind, path
        ):  # fmt: skip
            return change
    raise AssertionError(f"no {category} {api_version} {kind}.{path}")


@pytest.fixture(scope="module")
def upstream() -> dict[str, ApiSpec]:
    """The shipped snapshots (1.34 and 1.35 from upstream swagger, 1.36 from an apiserver)."""
    return {v: load_spec_of(v) for v in ("1.34", "1.35", "1.36")}


def test_1_34_to_1_35(upstream: dict[str, ApiSpec]) -> None:
    result = diff_specs(upstream["1.34"], upstream["1.35"])
    added = find(result, "group-version-added", "scheduling.k8s.io/v1alpha1")
    assert added.severity is Severity.NON_BREAKING and "Workload" in added.message
    field = find(result, "field-added", "v1", "PodSpec", "workloadRef")
    assert field.severity is Severity.NON_BREAKING
    assert "v1 Pod" in field.affected_kinds and "apps/v1 Deployment" in field.affected_kinds
    removed = find(
        result, "resource-removed", "certificates.k8s.io/v1alpha1", "PodCertificateRequest"
    )
    assert removed.severity is Severity.BREAKING
    find(result, "resource-added", "certificates.k8s.io/v1beta1", "PodCertificateRequest")
    # a type inside one kind is named by its field path in that kind
    find(result, "field-added", "v1", "Node", "status.declaredFeatures")
    assert (
        find(
            result,
            "field-removed",
            "resource.k8s.io/v1alpha3",
            "DeviceTaintRule",
            "spec.deviceSelector.selectors",
        ).severity
        is Severity.BREAKING
    )


def test_1_35_to_1_36(upstream: dict[str, ApiSpec]) -> None:
    result = diff_specs(upstream["1.35"], upstream["1.36"])
    gone = find(result, "group-version-removed", "scheduling.k8s.io/v1alpha1")
    assert gone.severity is Severity.BREAKING
    find(result, "group-version-added", "scheduling.k8s.io/v1alpha2")
    assert (
        find(result, "field-added", "v1", "PodSpec", "schedulingGroup").severity
        is Severity.NON_BREAKING
    )
    assert (
        find(result, "field-removed", "v1", "PodSpec", "workloadRef").severity is Severity.BREAKING
    )
    find(result, "field-added", "v1", "Pod", "status.containerStatuses.volumeMounts.volumeStatus")
    # oasdiff reports response fields that became optional as errors; so do we, for readers
    optional = find(
        result, "field-now-optional", "authentication.k8s.io/v1", "TokenRequest", "spec"
    )
    assert optional.severity is Severity.BREAKING
    assert [a.value for a in optional.breaks] == ["readers", "typed"]
    find(result, "resource-added", "admissionregistration.k8s.io/v1", "MutatingAdmissionPolicy")
    required = find(result, "field-now-required", "batch/v1", "CronJob", "spec")
    assert required.severity is Severity.BREAKING
    deprecated = find(
        result,
        "field-deprecated",
        "certificates.k8s.io/v1beta1",
        "PodCertificateRequest",
        "spec.pkixPublicKey",
    )
    assert (
        deprecated.severity is Severity.INFORMATIONAL and "StubPKCS10Request" in deprecated.message
    )
    # nothing inside the removed group-version is reported field by field
    assert not [
        c for c in result.changes if c.api_version == "scheduling.k8s.io/v1alpha1" and c.path
    ]


@needs_upstream
def test_same_api_as_v2_and_v3_has_no_changes(tmp_path: Path, upstream: dict[str, ApiSpec]) -> None:
    upstream_spec("35")
    as_v2 = load_v2(UPSTREAM / "swagger-1.35.json")
    snapshot = snapshot_from_swagger(UPSTREAM / "swagger-1.35.json", tmp_path / "1.35", tmp_path)
    as_v3 = load_spec_of(snapshot)
    assert diff_specs(upstream["1.35"], as_v3).changes == ()
    result = diff_specs(as_v2, as_v3)
    assert result.changes == ()
    assert diff_specs(as_v3, as_v2).changes == ()


@needs_upstream
def test_two_full_specs_load_and_diff_deterministically(
    upstream: dict[str, ApiSpec], record_property: Callable[[str, object], None]
) -> None:
    started = time.perf_counter()
    result = diff_specs(
        load_v2(UPSTREAM / "swagger-1.35.json"), load_v2(UPSTREAM / "swagger-1.36.json")
    )
    # A measurement for the report (junit XML), not a threshold: tests are not benchmarks.
    record_property("load_and_diff_seconds", round(time.perf_counter() - started, 3))
    assert result.changes
    assert (
        result.changes
        == diff_specs(
            load_v2(UPSTREAM / "swagger-1.35.json"), load_v2(UPSTREAM / "swagger-1.36.json")
        ).changes
    )
    # the swagger 1.36 and the apiserver's 1.36 (shipped) are the same API
    assert diff_specs(load_v2(UPSTREAM / "swagger-1.36.json"), upstream["1.36"]).changes == ()


def _edit_property(spec: ApiSpec, schema: str, wire: str, **changes: object) -> ApiSpec:
    target = spec.schemas[schema]
    props = tuple(
        dataclasses.replace(p, **changes) if p.wire_name == wire else p
        for p in target.properties  # type: ignore[arg-type]
    )
    return ApiSpec(
        spec.version_info,
        spec.groups,
        {**spec.schemas, schema: dataclasses.replace(target, properties=props)},
    )


@pytest.fixture(scope="module")
def committed() -> ApiSpec:
    return load_v3(COMMITTED)


def test_committed_snapshot_against_itself(committed: ApiSpec) -> None:
    assert diff_specs(committed, committed).changes == ()
    assert any(p.enum for s in committed.schemas.values() for p in s.properties)


def test_committed_snapshot_field_edits(committed: ApiSpec) -> None:
    container = "io.k8s.api.core.v1.Container"
    old = _edit_property(
        committed,
        container,
        "imagePullPolicy",
        enum=("Always", "IfNotPresent", "Never", "Sometimes"),
    )
    new = _edit_property(committed, container, "name", required=False)
    removed = dataclasses.replace(
        new.schemas[container],
        properties=tuple(p for p in new.schemas[container].properties if p.wire_name != "tty"),
    )
    extra = Property(
        "newField", "new_field", committed.schemas[container].properties[0].type, required=True
    )
    new = ApiSpec(
        new.version_info,
        new.groups,
        {
            **new.schemas,
            container: dataclasses.replace(removed, properties=(*removed.properties, extra)),
        },
    )
    result = diff_specs(old, new)
    by_category = {c.category: c for c in result.changes}
    assert (
        by_category["enum-value-removed"].new is None
        and by_category["enum-value-removed"].old == "Sometimes"
    )
    assert by_category["enum-value-removed"].severity is Severity.BREAKING
    assert by_category["field-now-optional"].severity is Severity.BREAKING
    assert [a.value for a in by_category["field-now-optional"].breaks] == ["readers", "typed"]
    assert [a.value for a in by_category["field-added"].breaks] == ["writers", "typed"]
    assert by_category["field-removed"].path == "tty"
    assert by_category["field-added"].severity is Severity.BREAKING  # a required field
    assert {c.api_version for c in result.changes} == {"v1"}


#: oasdiff's `ERR`/`WARN` findings on the GA documents of 1.35 -> 1.36, one per distinct field
#: (how they were produced and why each level differs: docs/diff-vs-oasdiff.md).
OASDIFF_1_35_TO_1_36 = {
    ("v1", "PodSpec", "workloadRef", "request-property-removed"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "spec", "request-property-became-required"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "spec.policyName", "request-property-became-required"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "spec.validationActions", "request-property-became-required"),
    ("authentication.k8s.io/v1", "TokenRequest", "spec", "response-property-became-optional"),
    ("authentication.k8s.io/v1", "TokenRequestSpec", "audiences", "response-property-became-optional"),
    ("authentication.k8s.io/v1", "TokenRequestStatus", "expirationTimestamp", "response-property-became-optional"),
    ("authentication.k8s.io/v1", "TokenRequestStatus", "token", "response-property-became-optional"),
    ("authentication.k8s.io/v1", "TokenReview", "spec.token", "request-property-became-required"),
    ("autoscaling/v1", "HorizontalPodAutoscaler", "spec", "request-property-became-required"),
    ("autoscaling/v2", "HorizontalPodAutoscaler", "spec", "request-property-became-required"),
    ("batch/v1", "CronJob", "spec", "request-property-became-required"),
    ("discovery.k8s.io/v1", "EndpointSlice", "endpoints", "response-property-became-optional"),
    ("networking.k8s.io/v1", "IPAddress", "spec", "request-property-became-required"),
    ("policy/v1", "PodDisruptionBudget", "status.currentHealthy", "response-property-became-optional"),
    ("policy/v1", "PodDisruptionBudget", "status.desiredHealthy", "response-property-became-optional"),
    ("policy/v1", "PodDisruptionBudget", "status.disruptionsAllowed", "response-property-became-optional"),
    ("policy/v1", "PodDisruptionBudget", "status.expectedPods", "response-property-became-optional"),
    ("rbac.authorization.k8s.io/v1", "RoleRef", "apiGroup", "response-property-became-optional"),
    ("scheduling.k8s.io/v1", "PriorityClass", "value", "response-property-became-optional"),
}  # fmt: skip
OASDIFF_CHECK = {
    "request-property-removed": "field-removed",
    "request-property-became-required": "field-now-required",
    "response-property-became-optional": "field-now-optional",
}
#: documented in docs/diff-vs-oasdiff.md: kubetyped's fixup already made it optional in 1.35
EXPLAINED = {("discovery.k8s.io/v1", "EndpointSlice", "endpoints")}


def test_breaking_changes_agree_with_oasdiff(upstream: dict[str, ApiSpec]) -> None:
    result = diff_specs(upstream["1.35"], upstream["1.36"])
    ours = {
        (c.api_version, c.kind, c.path, c.category)
        for c in result.changes
        if c.severity is Severity.BREAKING and c.stability.value == "ga"
    }
    expected = {
        (api_version, kind, path, OASDIFF_CHECK[check])
        for api_version, kind, path, check in OASDIFF_1_35_TO_1_36
        if (api_version, kind, path) not in EXPLAINED
    }
    assert ours == expected


def load_spec_of(value: str | Path) -> ApiSpec:
    """One side of a diff as ``kubetyped diff`` reads it."""
    return load_spec(SpecSource(spec=value))
