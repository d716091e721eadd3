"""What a CI gate counts: stability and group filters, an allowlist, and ``--fail-on``.

Modelled on oasdiff (``--match-path``, ``--include-checks``, stability levels) and buf
(``breaking.ignore`` with a reason per entry): alpha and beta group-versions are left out unless
``--stability`` asks for them, and accepted breaking changes stay in the report, marked with
the team's reason, without failing the job.

The allowlist is YAML (or JSON)::

    accepted:
      - category: field-removed          # every key but reason is optional; globs allowed
        apiVersion: v1
        kind: PodSpec
        path: workloadRef
        reason: alpha field, never used by our controllers   # required
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from kubetyped_codegen.diff.changes import Audience, Change, DiffResult, Severity, Stability
from kubetyped_codegen.errors import CodegenError

#: Keys an allowlist entry may match on, and the ``Change`` attribute each reads.
MATCH_KEYS: Mapping[str, str] = {
    "category": "category",
    "apiVersion": "api_version",
    "group": "group",
    "version": "version",
    "kind": "kind",
    "path": "path",
    "type": "type_name",
}
FAIL_ON_WORDS = ("breaking", "any", "none", *(a.value for a in Audience))


class AllowlistError(CodegenError):
    """A malformed allowlist file: names the file, the entry and the field."""

    def __init__(self, message: str, *, file: Path, entry: int | None = None) -> None:
        where = f"{file}" + (f": accepted[{entry}]" if entry is not None else "")
        super().__init__(f"{where}: {message}")
        self.file = file
        self.entry = entry


@dataclass(frozen=True, slots=True)
class Accepted:
    """One allowlist entry: glob patterns by ``MATCH_KEYS`` and the reason it is accepted."""

    patterns: tuple[tuple[str, str], ...]
    reason: str

    def matches(self, change: Change) -> bool:
        """True when every pattern of the entry matches its field of `change` (shell-style globs,
        case-sensitive).
        """
        return all(
            fnmatchcase(str(getattr(change, MATCH_KEYS[key])), pattern)
            for key, pattern in self.patterns
        )

    def describe(self) -> str:
        """The entry's patterns as `key=pattern, ...`, for messages about it."""
        return ", ".join(f"{key}={pattern}" for key, pattern in self.patterns)


def load_allowlist(path: Path) -> tuple[Accepted, ...]:
    """The entries of an allowlist file; ``AllowlistError`` names the entry and key at fault."""
    try:
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AllowlistError(f"cannot read: {error.strerror}", file=path) from None
    except yaml.YAMLError as error:
        raise AllowlistError(f"not YAML: {error}", file=path) from None
    if not isinstance(document, dict) or not isinstance(document.get("accepted"), list):
        raise AllowlistError("expected a mapping with an `accepted:` list", file=path)
    entries = []
    for number, raw in enumerate(document["accepted"]):
        if not isinstance(raw, dict):
            raise AllowlistError("an entry must be a mapping", file=path, entry=number)
        unknown = sorted(set(raw) - set(MATCH_KEYS) - {"reason"})
        if unknown:
            raise AllowlistError(
                f"unknown key {unknown[0]!r} (known: {', '.join(MATCH_KEYS)}, reason)",
                file=path,
                entry=number,
            )
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise AllowlistError(
                "`reason` is required: say why it is accepted", file=path, entry=number
            )
        patterns = tuple((key, str(raw[key])) for key in MATCH_KEYS if key in raw)
        if not patterns:
            raise AllowlistError(
                "matches every change: give at least one key", file=path, entry=number
            )
        entries.append(Accepted(patterns, reason.strip()))
    return tuple(entries)


@dataclass(frozen=True, slots=True)
class Policy:
    """``--stability`` (default ``ga``), ``--group`` and ``--allowlist``."""

    stability: Stability = Stability.GA
    groups: frozenset[str] = frozenset()
    allowlist: tuple[Accepted, ...] = ()

    def shows(self, change: Change) -> bool:
        """True when `change` passes `--stability` (its version is that stable or more) and
        `--group` (none given, or its group is listed; the core group is `core`).
        """
        if not self.stability.includes(change.stability):
            return False
        group = change.group or "core"
        return not self.groups or group in self.groups or change.group in self.groups


def apply_policy(result: DiffResult, policy: Policy) -> DiffResult:
    """The result with filtered-out changes counted in ``hidden`` and accepted ones marked."""
    shown = tuple(c for c in result.changes if policy.shows(c))
    hidden = [c for c in result.changes if not policy.shows(c)]
    levels = [
        level.value
        for level in (Stability.BETA, Stability.ALPHA)
        if any(c.stability is level for c in hidden) and not policy.stability.includes(level)
    ]
    parts = []
    if levels:
        parts.append(f"{'/'.join(levels)} group-versions (--stability {levels[-1]})")
    if policy.groups and any(policy.stability.includes(c.stability) for c in hidden):
        parts.append(f"groups other than {', '.join(sorted(policy.groups))} (--group)")
    note = " and ".join(parts)
    accepted = {}
    for change in shown:
        for entry in policy.allowlist:
            if change.severity is Severity.BREAKING and entry.matches(change):
                accepted[change] = entry.reason
                break
    return dataclasses.replace(
        result, changes=shown, hidden=len(hidden), hidden_note=note, accepted=accepted
    )


def unused_entries(result: DiffResult, policy: Policy) -> list[Accepted]:
    """Allowlist entries that accepted nothing (stale entries to remove)."""
    used = set(result.accepted.values())
    return [
        e
        for e in policy.allowlist
        if e.reason not in used or not any(e.matches(c) for c in result.accepted)
    ]


def parse_fail_on(value: str) -> frozenset[str]:
    """``breaking``, ``any``, ``none`` or a comma list of audiences (``writers,typed``)."""
    words = frozenset(w.strip() for w in value.split(",") if w.strip())
    unknown = sorted(words - set(FAIL_ON_WORDS))
    if unknown or not words:
        raise CodegenError(
            f"--fail-on {value!r}: expected one of {', '.join(FAIL_ON_WORDS)} "
            "(audiences may be combined: writers,typed)"
        )
    return words


def failing(result: DiffResult, fail_on: Iterable[str]) -> list[Change]:
    """The changes that fail the gate: not accepted and matching ``fail_on``."""
    words = frozenset(fail_on)
    if "none" in words:
        return []
    out = []
    for change in result.changes:
        if change in result.accepted:
            continue
        breaking = change.severity is Severity.BREAKING
        by_audience = any(a.value in words for a in change.breaks)
        if "any" in words or ("breaking" in words and breaking) or by_audience:
            out.append(change)
    return out
