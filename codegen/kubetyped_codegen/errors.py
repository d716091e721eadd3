"""Typed errors raised by the generator."""

from __future__ import annotations

from kubetyped.errors import KubetypedError


class CodegenError(KubetypedError):
    """Base class of every generator error."""


class SpecError(CodegenError):
    """An input spec (OpenAPI v2/v3 document, discovery document, snapshot) is malformed."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(f"{source}: {message}" if source else message)
        self.source = source


class NamingConflictError(CodegenError):
    """Two different sources map to the same Python name in one scope."""

    def __init__(self, scope: str, name: str, first: str, second: str) -> None:
        super().__init__(
            f"Python name {name!r} in {scope} is claimed by both {first!r} and {second!r}"
        )
        self.scope = scope
        self.name = name
        self.first = first
        self.second = second


class FixupNoLongerAppliesError(CodegenError):
    """A spec fixup's target is already correct (or gone): the fixup must be retired."""

    def __init__(self, fixup: str, version: str, reason: str) -> None:
        super().__init__(f"fixup {fixup!r} no longer applies to Kubernetes {version}: {reason}")
        self.fixup = fixup
        self.version = version
        self.reason = reason


class HandwrittenFileError(CodegenError):
    """The writer was asked to overwrite a file that does not carry the generated marker."""


class SnapshotError(CodegenError):
    """Fetching or writing a spec snapshot failed."""
