"""Diff reports (text, Markdown, JSON, GitHub annotations) and the CLI exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubetyped.codegen.cli import main
from kubetyped.codegen.diff.changes import CATEGORIES, Change, DiffResult, Severity
from kubetyped.codegen.diff.report import (
    github_annotations,
    render_json,
    render_markdown,
    render_text,
)

CRDS = Path(__file__).resolve().parents[1] / "data" / "crds" / "cert-manager"

RESULT = DiffResult(
    "1.35", "1.36",
    (
        Change(Severity.BREAKING, "field-removed", "", "v1", "PodSpec", "workloadRef",
               "field PodSpec.workloadRef removed", "gone", "WorkloadReference", None, ("v1 Pod",)),
        Change(Severity.NON_BREAKING, "group-version-added", "scheduling.k8s.io", "v1alpha2", "", "",
               "scheduling.k8s.io/v1alpha2 is newly served", "new"),
    ),
)  # fmt: skip


def test_text_groups_by_group_version_and_kind() -> None:
    text = render_text(RESULT)
    assert (
        text.splitlines()[0] == "API diff 1.35 -> 1.36: 1 breaking, 1 non-breaking, 0 informational"
    )
    assert "\nv1\n  PodSpec\n    [breaking] field PodSpec.workloadRef removed (gone)\n" in text
    assert "\nscheduling.k8s.io/v1alpha2\n  [non-breaking] " in text


def test_markdown_has_summary_and_open_breaking_sections() -> None:
    markdown = render_markdown(RESULT)
    assert "| breaking | 1 |" in markdown
    assert "<details open>\n<summary><b>v1</b>: 1 changes (1 breaking)</summary>" in markdown
    assert "| PodSpec | **breaking** | field PodSpec.workloadRef removed | gone |" in markdown


def test_json_follows_the_documented_schema() -> None:
    document = json.loads(render_json(RESULT))
    assert document["schemaVersion"] == 1
    assert document["summary"] == {"breaking": 1, "non-breaking": 1, "informational": 0}
    first = document["changes"][0]
    assert set(first) == {"severity", "category", "group", "version", "apiVersion", "kind", "path",
                          "message", "reason", "old", "new", "affectedKinds"}  # fmt: skip
    assert first["apiVersion"] == "v1" and first["affectedKinds"] == ["v1 Pod"]
    doc = (Path(__file__).resolve().parents[2] / "docs" / "diff-json-schema.md").read_text()
    for key in first:
        assert f"`{key}`" in doc
    for category in CATEGORIES:
        assert f"`{category}`" in doc


def test_github_annotations() -> None:
    lines = github_annotations(RESULT).splitlines()
    assert lines[0] == "::error title=v1 PodSpec::field PodSpec.workloadRef removed (gone)"
    assert lines[1].startswith("::warning title=scheduling.k8s.io/v1alpha2::")


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
