"""Impersonation (`kubectl --as`): who the request acts as, rendered as `Impersonate-*` headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Impersonation"]

# RFC 7230 token characters; anything else in an extra key is percent-encoded (client-go does too).
_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def escape_extra_key(key: str) -> str:
    """Percent-encode a user-extra key so it is a legal header name suffix."""
    out = []
    for ch in key:
        if ch in _TOKEN_CHARS and ch != "%":
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


@dataclass(frozen=True)
class Impersonation:
    """The identity to impersonate; empty fields send no header."""

    user: str | None = None
    uid: str | None = None
    groups: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def headers(self) -> list[tuple[str, str]]:
        """Header pairs in order; repeated names (groups, extra values) appear once per value."""
        pairs: list[tuple[str, str]] = []
        if self.user:
            pairs.append(("Impersonate-User", self.user))
        if self.uid:
            pairs.append(("Impersonate-Uid", self.uid))
        pairs.extend(("Impersonate-Group", group) for group in self.groups)
        for key in sorted(self.extra):
            name = f"Impersonate-Extra-{escape_extra_key(key)}"
            pairs.extend((name, value) for value in self.extra[key])
        return pairs

    def __bool__(self) -> bool:
        return bool(self.user or self.uid or self.groups or self.extra)
