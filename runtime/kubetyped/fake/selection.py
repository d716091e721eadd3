"""Which objects a list, watch or deletecollection selects: namespace, labels and fields.

Field selectors: `path=value`, `path==value`, `path!=value` joined by commas, where `path` is a
dotted field path (`metadata.name`, `metadata.namespace`, `status.phase`, ...). The real
apiserver accepts only a few paths per resource; the fake accepts any and compares the field's
string form (a missing field is the empty string).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubetyped.cache.selectors import Selector, SelectorParseError, parse_selector
from kubetyped.fake import errors

__all__ = ["Selection"]


@dataclass(frozen=True, slots=True)
class FieldRequirement:
    """One term of a field selector: the dotted field path, `=`/`==` (equal True) or `!=`, and the
    value.
    """

    path: tuple[str, ...]
    equal: bool
    value: str

    def matches(self, obj: Mapping[str, Any]) -> bool:
        """True when the field's string form (see `field_string`) compares as the term asks."""
        return (field_string(obj, self.path) == self.value) == self.equal


def field_string(obj: Mapping[str, Any], path: tuple[str, ...]) -> str:
    """The field at `path` of `obj` as a field selector compares it: "" when missing or null,
    `true`/`false` for booleans, `str()` otherwise.
    """
    value: Any = obj
    for key in path:
        if not isinstance(value, Mapping):
            return ""
        value = value.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_field_selector(text: str | None) -> tuple[FieldRequirement, ...]:
    """The terms of a field selector (`"status.phase=Running,metadata.name!=x"`); () for None or "".
    Raises `BadRequestError` (400) for a term without an operator or field, as the apiserver does.
    """
    if not text:
        return ()
    requirements: list[FieldRequirement] = []
    for term in text.split(","):
        term = term.strip()
        if not term:
            continue
        op = next((o for o in ("!=", "==", "=") if o in term), None)
        if op is None:
            raise errors.bad_request(f"invalid field selector {text!r}: {term!r} has no operator")
        key, _, value = term.partition(op)
        equal = op != "!="
        key = key.strip()
        if not key:
            raise errors.bad_request(f"invalid field selector {text!r}: empty field in {term!r}")
        requirements.append(FieldRequirement(tuple(key.split(".")), equal, value.strip()))
    return tuple(requirements)


_EVERYTHING = Selector()


@dataclass(frozen=True, slots=True)
class Selection:
    """Namespace (None: all), label selector and field selector together."""

    namespace: str | None = None
    labels: Selector = _EVERYTHING
    fields: tuple[FieldRequirement, ...] = ()

    @classmethod
    def parse(
        cls, namespace: str | None, label_selector: str | None, field_selector: str | None
    ) -> Selection:
        """The selection of a list/watch request; a label selector that does not parse is a
        `BadRequestError` (400), as from the apiserver.
        """
        try:
            labels = parse_selector(label_selector)
        except SelectorParseError as exc:
            raise errors.bad_request(f"unable to parse requirement: {exc}") from None
        return cls(namespace, labels, parse_field_selector(field_selector))

    def matches(self, obj: Mapping[str, Any]) -> bool:
        """True when `obj` is in the namespace (if one is set) and matches the label and field
        selectors.
        """
        metadata = obj.get("metadata") or {}
        if self.namespace is not None and metadata.get("namespace") != self.namespace:
            return False
        if not self.labels.matches(metadata.get("labels")):
            return False
        return all(r.matches(obj) for r in self.fields)
