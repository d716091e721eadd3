"""Typed errors of discovery and the RESTMapper."""

from __future__ import annotations

from collections.abc import Iterable

from kubetyped.errors import KubetypedError

__all__ = [
    "AmbiguousResourceError",
    "DiscoveryDocumentError",
    "DiscoveryError",
    "NoKindMatchError",
    "NoResourceMatchError",
]


class DiscoveryError(KubetypedError):
    """A discovery document could not be fetched or understood."""


class DiscoveryDocumentError(DiscoveryError):
    """A discovery or OpenAPI document does not have the expected shape (names the document)."""

    def __init__(self, document: str, problem: str) -> None:
        super().__init__(f"{document}: {problem}")
        self.document = document
        self.problem = problem


class NoKindMatchError(DiscoveryError):
    """No served resource has this group and kind (in the requested versions)."""

    def __init__(self, group: str, kind: str, versions: Iterable[str] = ()) -> None:
        self.group, self.kind, self.versions = group, kind, tuple(versions)
        where = f" in versions {', '.join(self.versions)}" if self.versions else ""
        group_text = group or "core"
        super().__init__(f"no resource of kind {kind!r} in group {group_text!r}{where}")


class NoResourceMatchError(DiscoveryError):
    """No served resource matches this (partial) resource name."""

    def __init__(self, partial: str) -> None:
        self.partial = partial
        super().__init__(f"the server has no resource matching {partial!r}")


class AmbiguousResourceError(DiscoveryError):
    """A partial resource name matches resources in several groups; qualify it with a group."""

    def __init__(self, partial: str, candidates: Iterable[str]) -> None:
        self.partial = partial
        self.candidates = tuple(candidates)
        super().__init__(
            f"{partial!r} is ambiguous, it matches {', '.join(self.candidates)}; "
            "qualify it as <resource>.<group> or <resource>.<version>.<group>"
        )
