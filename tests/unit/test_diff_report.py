"""Diff reports (text, Markdown, JSON, GitHub annotations) and the CLI exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kubetyped_codegen.cli import main
from kubetyped_codegen.diff.changes import CATEGORIES, Change, DiffResult, Severity
from kubetyped_codegen.diff.report import (
    github_annotations,
    render_json,
    render_markdown,
    render_text,
)

CRDS = Path(__file__).resolve().parents[1] / "data" / "crds" / "cert-manager"

RESULT = DiffResult(
    "v1.35", "v1.36.3",
    (
        Change(Severity.BREAKING, "field-removed", "", "v1", "PodSpec", "workloadRef",
               "field PodSpec.workloadRef removed", "gone", "WorkloadReference", None,
               ("v1 Pod", "apps/v1 Deployment", "apps/v1 StatefulSet", "batch/v1 Job"), "PodSpec"),
        Change(Severity.BREAKING, "field-now-optional", "authentication.k8s.io", "v1",
               "TokenRequest", "spec", "TokenRequest.spec is now optional", "absent",
               "required", "optional", ("authentication.k8s.io/v1 TokenRequest",), "TokenRequest"),
        Change(Severity.NON_BREAKING, "group-version-added", "scheduling.k8s.io", "v1alpha2", "", "",
               "scheduling.k8s.io/v1alpha2 is newly served", "new"),
        *(Change(Severity.INFORMATIONAL, "type-added", "", "v1", f"T{n}", "", f"type T{n} added",
                 "types only matter through the fields that use them") for n in range(30)),
    ),
    old_label="1.35", new_label="openapi/kubetyped_openapi/1.36.tar.xz",
)  # fmt: skip


def test_text_puts_breaking_first_grouped_by_kind() -> None:
    text = render_text(RESULT)
    lines = text.splitlines()
    assert lines[0] == "API diff 1.35 (v1.35) -> openapi/kubetyped_openapi/1.36.tar.xz (v1.36.3)"
    assert lines[1].startswith("2 breaking (breaks writers 1, readers 2, typed 2), 1 non-breaking")
    assert text.index("Breaking changes") < text.index("Non-breaking changes")
    assert text.index("Non-breaking changes") < text.index("Informational (30, collapsed)")
    # a shared type names the kinds it is in; each row says whom it breaks
    assert "  v1 PodSpec  (in v1 Pod, apps/v1 Deployment, apps/v1 StatefulSet +1 more)" in lines
    assert "    field PodSpec.workloadRef removed [breaks writers, readers, typed]: gone" in lines
    assert "    TokenRequest.spec is now optional [breaks readers, typed]: absent" in lines
    # 30 informational changes share one line with their reason, not 30 reasons
    assert text.count("types only matter") == 1
    assert "  type-added (30): types only matter through the fields that use them" in lines


def test_markdown_breaking_table_then_collapsed_sections() -> None:
    markdown = render_markdown(RESULT)
    assert markdown.startswith(
        "### API diff 1.35 (v1.35) -> openapi/kubetyped_openapi/1.36.tar.xz (v1.36.3)\n"
    )
    assert "#### Breaking changes (2)" in markdown
    assert (
        "| **v1 PodSpec**<br>in v1 Pod, apps/v1 Deployment, apps/v1 StatefulSet +1 more "
        "| `workloadRef` | field PodSpec.workloadRef removed | writers, readers, typed | gone |"
    ) in markdown
    assert "<summary>1 non-breaking change</summary>" in markdown
    assert "<summary>30 informational changes</summary>" in markdown
    assert markdown.count("types only matter") == 1
    assert markdown.index("#### Breaking") < markdown.index("non-breaking change</summary>")


def test_json_follows_the_documented_schema() -> None:
    document = json.loads(render_json(RESULT))
    assert document["schemaVersion"] == 1
    assert document["oldInput"] == "1.35" and document["new"] == "v1.36.3"
    assert document["summary"]["breaking"] == 2
    assert document["summary"]["breaks"] == {"writers": 1, "readers": 2, "typed": 2}
    first = document["changes"][0]
    assert set(first) == {"severity", "category", "group", "version", "apiVersion", "kind", "path",
                          "message", "reason", "old", "new", "affectedKinds", "breaks",
                          "stability", "type", "accepted"}  # fmt: skip
    assert first["apiVersion"] == "v1" and "v1 Pod" in first["affectedKinds"]
    doc = (Path(__file__).resolve().parents[2] / "docs" / "diff-json-schema.md").read_text()
    for key in (*first, *document, *document["summary"]):
        assert f"`{key}`" in doc, key
    for category in CATEGORIES:
        assert f"`{category}`" in doc


def test_github_annotations_fit_githubs_limits() -> None:
    """GitHub shows 10 annotations per level per step: a summary, one per kind, then "more"."""
    lines = github_annotations(RESULT).splitlines()
    assert lines[0].startswith("::error title=API diff::2 breaking")
    assert lines[1].startswith(
        "::error title=authentication.k8s.io/v1 TokenRequest%3A 1 breaking::"
    )
    assert lines[-1].startswith("::notice title=API diff::1 non-breaking and 30 informational")
    many = DiffResult("a", "b", tuple(
        Change(Severity.BREAKING, "field-removed", "", "v1", f"Kind{n}", f"f{m}", f"f{m} removed", "x")
        for n in range(40) for m in range(3)
    ))  # fmt: skip
    lines = github_annotations(many).splitlines()
    errors = [line for line in lines if line.startswith("::error")]
    assert len(errors) == 10
    assert "96 more breaking changes in 32 more kinds" in errors[-1]
    # nothing breaking: a notice, no error
    calm = DiffResult("a", "b", RESULT.changes[2:])
    assert [line.split(" ")[0] for line in github_annotations(calm).splitlines()] == [
        "::notice",
        "::notice",
    ]


@pytest.mark.parametrize(("fail_on", "code"), [("breaking", 1), ("any", 1), ("none", 0)])
def test_fail_on_exit_codes(fail_on: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = CRDS / "cert-manager.io_certificates.yaml", CRDS / "cert-manager.io_issuers.yaml"
    assert main(["diff", str(old), str(new), "--fail-on", fail_on, "--format", "json"]) == code
    document = json.loads(capsys.readouterr().out)
    assert any(
        c["category"] == "resource-removed" and c["kind"] == "Certificate"
        for c in document["changes"]
    )


def test_identical_inputs_pass_even_with_fail_on_any(capsys: pytest.CaptureFixture[str]) -> None:
    crd = CRDS / "cert-manager.io_issuers.yaml"
    assert main(["diff", str(crd), str(crd), "--fail-on", "any", "--github"]) == 0
    assert "::error" not in capsys.readouterr().out


def test_bad_input_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(tmp_path / "missing"), str(CRDS)]) == 2
    assert "no such file or folder" in capsys.readouterr().err


ALLOWLIST = Path(__file__).resolve().parents[1] / "data" / "diff" / "allowlist-1.35-1.36.yaml"


def _json_diff(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["diff", *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_shipped_versions_by_name_ga_only_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """`diff 1.35 1.36` names the shipped snapshots; alpha/beta changes are not counted."""
    code, document = _json_diff(["1.35", "1.36"], capsys)
    assert code == 1
    assert (document["oldInput"], document["new"]) == ("1.35", "v1.36.3")
    assert {c["stability"] for c in document["changes"]} == {"ga"}
    assert document["summary"]["notShown"] > 0
    code, everything = _json_diff(["1.35", "1.36", "--stability", "alpha"], capsys)
    assert {c["stability"] for c in everything["changes"]} == {"ga", "beta", "alpha"}
    assert everything["summary"]["notShown"] == 0
    assert len(everything["changes"]) == len(document["changes"]) + document["summary"]["notShown"]


def test_group_filter(capsys: pytest.CaptureFixture[str]) -> None:
    code, document = _json_diff(["1.35", "1.36", "--group", "batch", "--group", "core"], capsys)
    assert code == 1
    assert {c["group"] for c in document["changes"]} <= {"batch", ""}
    assert any(c["kind"] == "CronJob" for c in document["changes"])


def test_fail_on_by_audience(capsys: pytest.CaptureFixture[str]) -> None:
    """Writers are not broken by fields that became optional; typed readers are."""
    code, document = _json_diff(
        ["1.35", "1.36", "--group", "policy", "--fail-on", "writers"], capsys
    )
    assert code == 0 and document["summary"]["breaks"]["writers"] == 0
    assert document["summary"]["breaks"]["typed"] > 0
    assert _json_diff(["1.35", "1.36", "--group", "policy", "--fail-on", "typed"], capsys)[0] == 1
    assert main(["diff", "1.35", "1.36", "--fail-on", "authors"]) == 2
    assert "--fail-on 'authors'" in capsys.readouterr().err


def test_allowlist_accepts_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    code, document = _json_diff(["1.35", "1.36", "--allowlist", str(ALLOWLIST)], capsys)
    assert code == 0
    breaking = [c for c in document["changes"] if c["severity"] == "breaking"]
    assert breaking and all(c["accepted"] for c in breaking)
    assert document["summary"]["accepted"] == len(breaking)
    workload = next(c for c in breaking if c["path"] == "workloadRef")
    assert workload["accepted"] == "alpha field (gate GenericWorkload) that we never set"
    # accepted changes stay in the report, with the reason
    assert (
        main(["diff", "1.35", "1.36", "--allowlist", str(ALLOWLIST), "--format", "markdown"]) == 0
    )
    assert "accepted: alpha field (gate GenericWorkload)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("accepted:\n  - kind: PodSpec\n", "accepted[0]: `reason` is required"),
        ("accepted:\n  - reason: x\n", "accepted[0]: matches every change"),
        ("accepted:\n  - kind: A\n    reason: x\n  - kindd: B\n    reason: y\n",
         "accepted[1]: unknown key 'kindd'"),
        ("- a\n", "expected a mapping with an `accepted:` list"),
    ],
)  # fmt: skip
def test_bad_allowlist_names_file_and_entry(
    text: str, error: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    allowlist = tmp_path / "allow.yaml"
    allowlist.write_text(text)
    assert main(["diff", "1.35", "1.36", "--allowlist", str(allowlist)]) == 2
    assert f"{allowlist}: {error}" in capsys.readouterr().err


def test_github_writes_the_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["diff", "1.35", "1.36", "--github", "--output", str(tmp_path / "r.txt")]) == 1
    annotations = capsys.readouterr().out.splitlines()
    assert len([a for a in annotations if a.startswith("::error")]) <= 10
    assert not [a for a in annotations if a.startswith("::warning")]
    assert summary.read_text().startswith("### API diff 1.35 (v1.35) -> 1.36 (v1.36.3)")


def test_crd_changes_named_by_field_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CRD's nested type is reported as its kind and field path, not a generated name."""
    old = CRDS / "cert-manager.io_certificates.yaml"
    text = old.read_text()
    assert "rotationPolicy:" in text
    new = tmp_path / "certificates.yaml"
    new.write_text(text.replace("rotationPolicy:", "rotationPolicyRenamed:", 1))
    code, document = _json_diff([str(old), str(new)], capsys)
    assert code == 1
    removed = next(c for c in document["changes"] if c["category"] == "field-removed")
    assert (removed["kind"], removed["path"]) == ("Certificate", "spec.privateKey.rotationPolicy")
    assert removed["type"] == "CertificateSpecPrivateKey"
    assert document["oldInput"] == str(old) and document["newInput"] == str(new)
