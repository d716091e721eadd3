"""One API change, its severity and why; the vocabulary every diff report shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    BREAKING = "breaking"
    NON_BREAKING = "non-breaking"
    INFORMATIONAL = "informational"


#: Stable identifiers of the change categories (the ``category`` of the JSON report).
CATEGORIES: tuple[str, ...] = (
    "group-version-added",
    "group-version-removed",
    "resource-added",
    "resource-removed",
    "kind-changed",
    "scope-changed",
    "verb-added",
    "verb-removed",
    "subresource-added",
    "subresource-removed",
    "short-names-changed",
    "type-added",
    "type-removed",
    "type-deprecated",
    "field-added",
    "field-removed",
    "field-type-changed",
    "field-format-changed",
    "field-now-required",
    "field-now-optional",
    "field-deprecated",
    "enum-value-added",
    "enum-value-removed",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two APIs.

    ``group``/``version`` place the change ("" group is core; ``meta``/``v1`` for the shared
    apimachinery types); ``kind`` is the resource kind or the type (definition) the change is
    in; ``path`` the field or subresource inside it ("" for the kind itself).
    """

    severity: Severity
    category: str
    group: str
    version: str
    kind: str
    path: str
    message: str
    reason: str
    old: str | None = None
    new: str | None = None
    affected_kinds: tuple[str, ...] = field(default=())

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def sort_key(self) -> tuple[str, str, str, str, str, str]:
        return (self.group, self.version, self.kind, self.path, self.category, self.message)


@dataclass(frozen=True, slots=True)
class DiffResult:
    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for c in self.changes if c.severity is severity)

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.severity is Severity.BREAKING)
