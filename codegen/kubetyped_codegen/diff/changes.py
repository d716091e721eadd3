"""One API change, its severity and why; the vocabulary every diff report shares."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How a change affects users: `breaking` (some user's code or manifests stop working, see
    `BREAKS`), `non-breaking` (additions) or `informational` (short names, formats, deprecations,
    definitions added or removed).
    """

    BREAKING = "breaking"
    NON_BREAKING = "non-breaking"
    INFORMATIONAL = "informational"


class Audience(StrEnum):
    """Who a change breaks (``--fail-on writers,readers,typed``).

    - ``writers``: code and manifests that send objects (create, update, apply);
    - ``readers``: code that reads objects from the server as JSON (any client);
    - ``typed``: code type-checked against kubetyped's generated models (mypy, pyright): a
      field that becomes optional gains ``| None`` and reading it stops type-checking.
    """

    WRITERS = "writers"
    READERS = "readers"
    TYPED = "typed"


_ALL = (Audience.WRITERS, Audience.READERS, Audience.TYPED)
#: Who each breaking category breaks (``field-added`` only when the new field is required).
BREAKS: Mapping[str, tuple[Audience, ...]] = {
    "group-version-removed": _ALL,
    "resource-removed": _ALL,
    "kind-changed": _ALL,
    "scope-changed": _ALL,
    "verb-removed": _ALL,
    "subresource-removed": _ALL,
    "field-removed": _ALL,
    "field-type-changed": _ALL,
    "field-added": (Audience.WRITERS, Audience.TYPED),
    "field-now-required": (Audience.WRITERS, Audience.TYPED),
    "field-now-optional": (Audience.READERS, Audience.TYPED),
    "enum-value-removed": (Audience.WRITERS,),
}


class Stability(StrEnum):
    """The stability level of a group-version, from its version name (``v1beta2`` -> beta)."""

    GA = "ga"
    BETA = "beta"
    ALPHA = "alpha"

    @classmethod
    def of(cls, version: str) -> Stability:
        """The stability of a version name: `v1alpha1`/`v2alpha` → alpha, `v1beta2` → beta, anything
        else GA (the Kubernetes API versioning convention).
        """
        if re.fullmatch(r"v\d+alpha\d*", version):
            return cls.ALPHA
        if re.fullmatch(r"v\d+beta\d*", version):
            return cls.BETA
        return cls.GA

    def includes(self, other: Stability) -> bool:
        """``--stability beta`` includes GA and beta, ``alpha`` everything."""
        order = (Stability.GA, Stability.BETA, Stability.ALPHA)
        return order.index(other) <= order.index(self)


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
    apimachinery types); ``kind`` is the resource kind when the changed type belongs to one
    kind only (every nested type of a CRD), else the type (definition) the change is in;
    ``path`` the field path inside it (``spec.privateKey.size``) or the subresource ("" for
    the kind itself); ``type_name`` the definition's class name, when the change is in one.
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
    type_name: str = ""

    @property
    def api_version(self) -> str:
        """`group/version`, or the bare version for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def breaks(self) -> tuple[Audience, ...]:
        """Who the change breaks (empty for non-breaking and informational changes)."""
        if self.severity is not Severity.BREAKING:
            return ()
        return BREAKS.get(self.category, _ALL)

    @property
    def stability(self) -> Stability:
        """The stability level of the change's version (`Stability.of`)."""
        return Stability.of(self.version)

    @property
    def location(self) -> str:
        """``Certificate spec.privateKey.size``, ``PodSpec workloadRef``, or the kind alone."""
        return f"{self.kind} {self.path}".strip()

    def sort_key(self) -> tuple[str, str, str, str, str, str]:
        """The report order: group, version, kind, path, category, message."""
        return (self.group, self.version, self.kind, self.path, self.category, self.message)


@dataclass(frozen=True, slots=True)
class DiffResult:
    """The changes from ``old_version`` to ``new_version``.

    ``old_label``/``new_label`` name the inputs as given (``1.35``, a file, a cluster context);
    ``hidden`` counts the changes left out by ``--stability``/``--group``; ``accepted`` maps
    changes an allowlist accepts to its reason (they stay in the report, never fail it).
    """

    old_version: str
    new_version: str
    changes: tuple[Change, ...]
    old_label: str = ""
    new_label: str = ""
    hidden: int = 0
    hidden_note: str = ""
    accepted: Mapping[Change, str] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        """How many changes have `severity`."""
        return sum(1 for c in self.changes if c.severity is severity)

    @property
    def breaking(self) -> tuple[Change, ...]:
        """The breaking changes, in report order."""
        return tuple(c for c in self.changes if c.severity is Severity.BREAKING)

    def count_breaking(self, audience: Audience) -> int:
        """How many breaking changes break `audience`."""
        return sum(1 for c in self.changes if audience in c.breaks)
