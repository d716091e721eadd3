"""Render a ``DiffResult`` as text, Markdown, JSON (docs/diff-json-schema.md) or annotations.

Reviewers read breaking changes first, grouped by kind and field path, with whom each breaks;
non-breaking changes follow; informational ones are collapsed by category, their shared reason
said once. GitHub annotations stay within what GitHub shows (10 of each level per step).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from kubetyped_codegen.diff.changes import Audience, Change, DiffResult, Severity

JSON_SCHEMA_VERSION = 1
_ORDER = (Severity.BREAKING, Severity.NON_BREAKING, Severity.INFORMATIONAL)
_TITLES = {
    Severity.BREAKING: "Breaking changes",
    Severity.NON_BREAKING: "Non-breaking changes",
    Severity.INFORMATIONAL: "Informational",
}
#: affected kinds listed before "+N more"
_KINDS_SHOWN = 3
#: GitHub shows 10 annotations of each level per step; one ::error is the summary
GITHUB_ERRORS = 10


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _side(label: str, version: str) -> str:
    return version if not label or label == version else f"{label} ({version})"


def title(result: DiffResult) -> str:
    """``API diff 1.35 (v1.35) -> 1.36 (v1.36.3)``: the inputs as given, and their versions."""
    old = _side(result.old_label, result.old_version)
    new = _side(result.new_label, result.new_version)
    return f"API diff {old} -> {new}"


def counts(result: DiffResult) -> str:
    """``3 breaking (writers 2, readers 1, typed 3; 1 accepted), 4 non-breaking, ...``."""
    breaking = result.count(Severity.BREAKING)
    text = f"{breaking} breaking"
    if breaking:
        who = ", ".join(f"{a.value} {result.count_breaking(a)}" for a in Audience)
        accepted = f"; {len(result.accepted)} accepted" if result.accepted else ""
        text += f" (breaks {who}{accepted})"
    text += f", {result.count(Severity.NON_BREAKING)} non-breaking"
    text += f", {result.count(Severity.INFORMATIONAL)} informational"
    if result.hidden:
        text += f"; {result.hidden} changes in {result.hidden_note} not shown"
    return text


def summary(result: DiffResult) -> str:
    """One line: the title and the counts (`API diff 1.35 -> 1.36: 3 breaking (...), ...`)."""
    return f"{title(result)}: {counts(result)}"


def heading(change: Change) -> str:
    """The group a row is listed under: ``batch/v1 CronJob``, or the group-version alone."""
    return f"{change.api_version} {change.kind}".strip()


def _by_heading(changes: Iterable[Change]) -> Iterator[tuple[str, list[Change]]]:
    ordered = sorted(changes, key=lambda c: (heading(c), c.path, c.category, c.message))
    for key, items in groupby(ordered, key=heading):
        yield key, list(items)


def affected(change: Change) -> str:
    """``v1 Pod, apps/v1 Deployment +9 more`` for a shared type; "" when it names its kind."""
    kinds = [k for k in change.affected_kinds if k.rsplit(" ", 1)[-1] != change.kind]
    if not kinds or change.kind not in (change.type_name, ""):
        return ""
    shown = ", ".join(kinds[:_KINDS_SHOWN])
    more = len(kinds) - _KINDS_SHOWN
    return f"{shown} +{more} more" if more > 0 else shown


def breaks(change: Change, result: DiffResult) -> str:
    """The "breaks" cell of a change: `accepted: <reason>` for an allowlisted change, else who it
    breaks (`writers, typed`), "" for a change that breaks no one.
    """
    reason = result.accepted.get(change)
    if reason is not None:
        return f"accepted: {reason}"
    return ", ".join(a.value for a in change.breaks)


def _severity(result: DiffResult, severity: Severity) -> list[Change]:
    return [c for c in result.changes if c.severity is severity]


# --- text ----------------------------------------------------------------------------------


def render_text(result: DiffResult) -> str:
    """The plain-text report (`--format text`): title, counts, then breaking and non-breaking
    changes grouped by group-version and kind, with who each breaks; informational changes last,
    listed by category.
    """
    lines = [title(result), counts(result)]
    for severity in (Severity.BREAKING, Severity.NON_BREAKING):
        changes = _severity(result, severity)
        if not changes:
            continue
        lines += ["", _TITLES[severity]]
        for key, items in _by_heading(changes):
            users = affected(items[0])
            lines.append(f"  {key}" + (f"  (in {users})" if users else ""))
            for change in items:
                who = breaks(change, result)
                tag = f" [{'' if change in result.accepted else 'breaks '}{who}]" if who else ""
                lines.append(f"    {change.message}{tag}: {change.reason}")
    lines += _informational_text(_severity(result, Severity.INFORMATIONAL))
    return "\n".join(lines) + "\n"


def _informational_text(changes: list[Change]) -> list[str]:
    if not changes:
        return []
    lines = ["", f"{_TITLES[Severity.INFORMATIONAL]} ({len(changes)}, collapsed)"]
    for category, reason, items in _by_category(changes):
        lines.append(f"  {category} ({len(items)}): {reason}")
        listing = ", ".join(f"{c.api_version} {c.location}".strip() for c in items)
        lines += textwrap.wrap(listing, 96, initial_indent="    ", subsequent_indent="    ")
    return lines


def _by_category(changes: list[Change]) -> Iterator[tuple[str, str, list[Change]]]:
    ordered = sorted(changes, key=lambda c: (c.category, c.reason, c.sort_key()))
    for (category, reason), items in groupby(ordered, key=lambda c: (c.category, c.reason)):
        yield category, reason, list(items)


# --- markdown ------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(changes: list[Change], result: DiffResult, with_breaks: bool) -> list[str]:
    header = "| kind | field path | change | " + ("breaks | " if with_breaks else "") + "why |"
    lines = [header, "|---" * (5 if with_breaks else 4) + "|"]
    for key, items in _by_heading(changes):
        users = affected(items[0])
        where = f"**{_cell(key)}**" + (f"<br>in {_cell(users)}" if users else "")
        for change in items:
            cells = [
                where,
                f"`{_cell(change.path)}`" if change.path else "-",
                _cell(change.message),
            ]
            if with_breaks:
                cells.append(_cell(breaks(change, result)))
            cells.append(_cell(change.reason))
            lines.append("| " + " | ".join(cells) + " |")
            where = ""
    return lines


def render_markdown(result: DiffResult) -> str:
    """The Markdown report (`--format markdown`, and the GitHub step summary): breaking changes as a
    table, non-breaking and informational ones in collapsed `<details>` sections.
    """
    lines = [f"### {title(result)}", "", counts(result) + ".", ""]
    if not result.changes:
        return "\n".join([*lines, "No API changes."]) + "\n"
    breaking = _severity(result, Severity.BREAKING)
    if breaking:
        lines += [f"#### {_TITLES[Severity.BREAKING]} ({len(breaking)})", ""]
        lines += _table(breaking, result, with_breaks=True)
        lines.append("")
    non_breaking = _severity(result, Severity.NON_BREAKING)
    if non_breaking:
        summary_line = _plural(len(non_breaking), "non-breaking change")
        lines += ["<details>", f"<summary>{summary_line}</summary>", ""]
        lines += _table(non_breaking, result, with_breaks=False)
        lines += ["", "</details>", ""]
    informational = _severity(result, Severity.INFORMATIONAL)
    if informational:
        summary_line = _plural(len(informational), "informational change")
        lines += ["<details>", f"<summary>{summary_line}</summary>", ""]
        for category, reason, items in _by_category(informational):
            listing = ", ".join(f"`{_cell(c.api_version + ' ' + c.location)}`" for c in items)
            lines.append(f"- **{category}** ({len(items)}; {_cell(reason)}): {listing}")
        lines += ["", "</details>", ""]
    return "\n".join(lines)


# --- json ----------------------------------------------------------------------------------


def change_json(change: Change, result: DiffResult | None = None) -> dict[str, Any]:
    """One change as an object of the JSON report (`severity`, `category`, `apiVersion`, `kind`,
    `path`, `breaks`, `accepted`…; stable keys, see `JSON_SCHEMA_VERSION`).
    """
    accepted = result.accepted.get(change) if result is not None else None
    return {
        "severity": change.severity.value,
        "category": change.category,
        "group": change.group,
        "version": change.version,
        "apiVersion": change.api_version,
        "stability": change.stability.value,
        "kind": change.kind,
        "path": change.path,
        "type": change.type_name,
        "message": change.message,
        "reason": change.reason,
        "breaks": [a.value for a in change.breaks],
        "accepted": accepted,
        "old": change.old,
        "new": change.new,
        "affectedKinds": list(change.affected_kinds),
    }


def render_json(result: DiffResult) -> str:
    """The JSON report (`--format json`): `schemaVersion`, both versions and inputs, a summary of
    counts and every change (`change_json`), keys sorted.
    """
    document = {
        "schemaVersion": JSON_SCHEMA_VERSION,
        "old": result.old_version,
        "new": result.new_version,
        "oldInput": result.old_label or result.old_version,
        "newInput": result.new_label or result.new_version,
        "summary": {
            **{s.value: result.count(s) for s in _ORDER},
            "breaks": {a.value: result.count_breaking(a) for a in Audience},
            "accepted": len(result.accepted),
            "notShown": result.hidden,
        },
        "changes": [change_json(c, result) for c in result.changes],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


# --- GitHub --------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(",", "%2C").replace(":", "%3A")


def _annotation(level: str, heading_text: str, message: str) -> str:
    return f"::{level} title={_escape_property(heading_text)}::{_escape_data(message)}"


def github_annotations(result: DiffResult, failed: bool | None = None) -> str:
    """Workflow commands that fit what GitHub shows (10 per level per step).

    One summary annotation (``::error`` when the gate fails, else ``::notice``), then one
    ``::error`` per kind with unaccepted breaking changes (at most ``GITHUB_ERRORS - 2``, then
    one "N more"), and one ``::notice`` for the non-breaking and informational changes. The
    full report belongs in the job summary (``--github`` writes it to $GITHUB_STEP_SUMMARY).
    """
    breaking = [c for c in _severity(result, Severity.BREAKING) if c not in result.accepted]
    failed = bool(breaking) if failed is None else failed
    lines = [_annotation("error" if failed else "notice", "API diff", counts(result))]
    groups = list(_by_heading(breaking))
    room = GITHUB_ERRORS - 2 if len(groups) > GITHUB_ERRORS - 1 else GITHUB_ERRORS - 1
    level = "error" if failed else "warning"
    for key, items in groups[:room]:
        text = "; ".join(
            f"{c.message} (breaks {', '.join(a.value for a in c.breaks)})" for c in items
        )
        lines.append(_annotation(level, f"{key}: {len(items)} breaking", text))
    if len(groups) > room:
        rest = sum(len(items) for _, items in groups[room:])
        lines.append(
            _annotation(
                level,
                "API diff",
                f"{_plural(rest, 'more breaking change')} in {_plural(len(groups) - room, 'more kind')}; "
                "see the job summary",
            )
        )
    others = len(result.changes) - len(breaking)
    if others:
        lines.append(
            _annotation(
                "notice",
                "API diff",
                f"{result.count(Severity.NON_BREAKING)} non-breaking and "
                f"{result.count(Severity.INFORMATIONAL)} informational changes"
                + (f", {len(result.accepted)} accepted breaking" if result.accepted else "")
                + "; see the job summary",
            )
        )
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
