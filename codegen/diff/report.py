"""Render a ``DiffResult`` as text, Markdown, JSON (docs/diff-json-schema.md) or annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from kubetyped.codegen.diff.changes import Change, DiffResult, Severity

JSON_SCHEMA_VERSION = 1
_ORDER = (Severity.BREAKING, Severity.NON_BREAKING, Severity.INFORMATIONAL)


def summary(result: DiffResult) -> str:
    counts = ", ".join(f"{result.count(s)} {s.value}" for s in _ORDER)
    return f"API diff {result.old_version} -> {result.new_version}: {counts}"


def _by_group_version(changes: Iterable[Change]) -> Iterator[tuple[str, list[Change]]]:
    for api_version, items in groupby(changes, key=lambda c: c.api_version):
        yield api_version, list(items)


def _by_kind(changes: Iterable[Change]) -> Iterator[tuple[str, list[Change]]]:
    for kind, items in groupby(changes, key=lambda c: c.kind):
        yield kind, list(items)


def render_text(result: DiffResult) -> str:
    lines = [summary(result)]
    for api_version, changes in _by_group_version(result.changes):
        lines += ["", api_version]
        for kind, items in _by_kind(changes):
            indent = "  "
            if kind:
                lines.append(f"  {kind}")
                indent = "    "
            for change in items:
                lines.append(
                    f"{indent}[{change.severity.value}] {change.message} ({change.reason})"
                )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: DiffResult) -> str:
    lines = [f"### {summary(result)}", ""]
    if not result.changes:
        return "\n".join([*lines, "No API changes."]) + "\n"
    lines += ["| severity | count |", "|---|---|"]
    lines += [f"| {s.value} | {result.count(s)} |" for s in _ORDER]
    for api_version, changes in _by_group_version(result.changes):
        breaking = sum(1 for c in changes if c.severity is Severity.BREAKING)
        mark = f" ({breaking} breaking)" if breaking else ""
        lines += ["", f"<details{' open' if breaking else ''}>",
                  f"<summary><b>{api_version}</b>: {len(changes)} changes{mark}</summary>", "",
                  "| kind | severity | change | reason |", "|---|---|---|---|"]  # fmt: skip
        for change in changes:
            severity = (
                f"**{change.severity.value}**"
                if change.severity is Severity.BREAKING
                else change.severity.value
            )
            lines.append(
                f"| {_cell(change.kind) or '-'} | {severity} | {_cell(change.message)} "
                f"| {_cell(change.reason)} |"
            )
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def change_json(change: Change) -> dict[str, Any]:
    return {
        "severity": change.severity.value,
        "category": change.category,
        "group": change.group,
        "version": change.version,
        "apiVersion": change.api_version,
        "kind": change.kind,
        "path": change.path,
        "message": change.message,
        "reason": change.reason,
        "old": change.old,
        "new": change.new,
        "affectedKinds": list(change.affected_kinds),
    }


def render_json(result: DiffResult) -> str:
    document = {
        "schemaVersion": JSON_SCHEMA_VERSION,
        "old": result.old_version,
        "new": result.new_version,
        "summary": {s.value: result.count(s) for s in _ORDER},
        "changes": [change_json(c) for c in result.changes],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


_COMMANDS = {Severity.BREAKING: "error", Severity.NON_BREAKING: "warning"}


def github_annotations(result: DiffResult) -> str:
    """``::error``/``::warning`` workflow commands (breaking / non-breaking; no informational)."""
    lines = []
    for change in result.changes:
        command = _COMMANDS.get(change.severity)
        if command is None:
            continue
        title = _escape_annotation(f"{change.api_version} {change.kind}".strip())
        message = _escape_annotation(f"{change.message} ({change.reason})")
        title = title.replace(",", "%2C").replace(":", "%3A")
        lines.append(f"::{command} title={title}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
