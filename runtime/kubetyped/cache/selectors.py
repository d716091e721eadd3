"""Label selector parsing and matching (the string syntax of ``labelSelector``).

Supported: ``k=v``, ``k==v``, ``k!=v``, ``k in (a,b)``, ``k notin (a,b)``, ``k`` (exists) and
``!k`` (does not exist), joined by commas. Also builds selectors from the structured
``LabelSelector`` form (``matchLabels`` / ``matchExpressions``). Reusable by fakes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kubetyped.errors import KubetypedError

__all__ = [
    "Requirement",
    "Selector",
    "SelectorParseError",
    "parse_selector",
    "selector_from_label_selector",
    "selector_from_labels",
]

Operator = Literal["=", "!=", "in", "notin", "exists", "!"]


class SelectorParseError(KubetypedError, ValueError):
    """A label selector string is malformed; names the selector and the position."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """One term of a label selector (apimachinery `labels.Requirement`): a key, an operator (`=`,
    `!=`, `in`, `notin`, `exists`, `!`) and its values.
    """

    key: str
    operator: Operator
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """True when `labels` satisfy the term; `!=` and `notin` also match objects without the
        label, as in Kubernetes.
        """
        present = self.key in labels
        if self.operator == "exists":
            return present
        if self.operator == "!":
            return not present
        if self.operator in ("=", "in"):
            return present and labels[self.key] in self.values
        # "!=" and "notin" match objects without the label, as in Kubernetes
        return not present or labels[self.key] not in self.values

    def __str__(self) -> str:
        if self.operator == "exists":
            return self.key
        if self.operator == "!":
            return f"!{self.key}"
        if self.operator in ("=", "!="):
            return f"{self.key}{self.operator}{next(iter(self.values))}"
        return f"{self.key} {self.operator} ({','.join(sorted(self.values))})"


@dataclass(frozen=True, slots=True)
class Selector:
    """A conjunction of requirements; the empty selector matches everything."""

    requirements: tuple[Requirement, ...] = ()

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        """True when `labels` (None: no labels) satisfy every requirement."""
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        """True for the selector that matches everything (no requirements)."""
        return not self.requirements

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


_TOKEN = re.compile(r"\s*(!=|==|=|!|\(|\)|,|[^\s!=(),]+)")
_KEY = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None:  # pragma: no cover - the pattern matches any non-space
                raise self.error("unexpected character", pos)
            self.tokens.append((m.group(1), m.start(1)))
            pos = m.end()
        self.i = 0

    def error(self, what: str, pos: int | None = None) -> SelectorParseError:
        if pos is None:
            pos = self.tokens[self.i][1] if self.i < len(self.tokens) else len(self.text)
        return SelectorParseError(f"invalid label selector {self.text!r} at {pos}: {what}")

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            raise self.error("unexpected end")
        self.i += 1
        return tok

    def key(self) -> str:
        tok = self.take()
        if not _KEY.match(tok) or tok in ("in", "notin"):
            self.i -= 1
            raise self.error(f"invalid label key {tok!r}")
        return tok

    def value(self) -> str:
        tok = self.peek()
        if tok in (None, ",", ")"):
            return ""  # "k=" selects the empty value
        self.take()
        if not _VALUE.match(tok or "") or len(tok or "") > 63:
            self.i -= 1
            raise self.error(f"invalid label value {tok!r}")
        return tok or ""

    def value_set(self) -> frozenset[str]:
        if self.take() != "(":
            self.i -= 1
            raise self.error("expected '('")
        values: set[str] = set()
        while True:
            values.add(self.value())
            tok = self.take()
            if tok == ")":
                return frozenset(values)
            if tok != ",":
                self.i -= 1
                raise self.error("expected ',' or ')'")

    def requirement(self) -> Requirement:
        if self.peek() == "!":
            self.take()
            return Requirement(self.key(), "!")
        key = self.key()
        op = self.peek()
        if op in (None, ","):
            return Requirement(key, "exists")
        self.take()
        if op in ("=", "=="):
            return Requirement(key, "=", frozenset({self.value()}))
        if op == "!=":
            return Requirement(key, "!=", frozenset({self.value()}))
        if op in ("in", "notin"):
            values = self.value_set()
            return Requirement(key, "in" if op == "in" else "notin", values)
        self.i -= 1
        raise self.error(f"unknown operator {op!r}")

    def parse(self) -> Selector:
        reqs: list[Requirement] = []
        if not self.tokens:
            return Selector()
        while True:
            reqs.append(self.requirement())
            tok = self.peek()
            if tok is None:
                return Selector(tuple(reqs))
            if tok != ",":
                raise self.error("expected ','")
            self.take()


def parse_selector(text: str | Mapping[str, str] | Selector | None) -> Selector:
    """Parse a label selector string ("" or None selects everything); a map is ``k=v,...``."""
    if isinstance(text, Selector):
        return text
    if isinstance(text, Mapping):
        return selector_from_labels(text)
    if not text:
        return Selector()
    return _Parser(text).parse()


def selector_from_labels(labels: Mapping[str, str]) -> Selector:
    """The selector ``k1=v1,k2=v2`` for a label map; ``SelectorParseError`` if it is not a
    mapping of strings to strings."""
    if not isinstance(labels, Mapping):
        raise SelectorParseError(f"matchLabels must be a mapping, got {type(labels).__name__}")
    for k, v in labels.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise SelectorParseError(
                f"matchLabels[{k!r}]: keys and values must be strings, got {type(v).__name__}"
            )
    return Selector(tuple(Requirement(k, "=", frozenset({v})) for k, v in sorted(labels.items())))


_EXPR_OPS: dict[str, Operator] = {
    "In": "in",
    "NotIn": "notin",
    "Exists": "exists",
    "DoesNotExist": "!",
}


def selector_from_label_selector(spec: Mapping[str, Any]) -> Selector:
    """Build a selector from a structured ``LabelSelector`` dict (matchLabels/Expressions).

    Raises ``SelectorParseError`` naming the field for anything that is not a LabelSelector
    (wrong types, unknown operators, values with Exists/DoesNotExist, no values with In/NotIn),
    as apimachinery's ``LabelSelectorAsSelector`` does."""
    if not isinstance(spec, Mapping):
        raise SelectorParseError(f"label selector must be a mapping, got {type(spec).__name__}")
    reqs = list(selector_from_labels(spec.get("matchLabels") or {}).requirements)
    exprs = spec.get("matchExpressions") or []
    if not isinstance(exprs, list | tuple):
        raise SelectorParseError(f"matchExpressions must be a list, got {type(exprs).__name__}")
    for i, expr in enumerate(exprs):
        where = f"matchExpressions[{i}]"
        if not isinstance(expr, Mapping):
            raise SelectorParseError(f"{where} must be a mapping, got {type(expr).__name__}")
        key, values = expr.get("key"), expr.get("values") or []
        if not isinstance(key, str) or not key:
            raise SelectorParseError(f"{where}.key must be a non-empty string, got {key!r}")
        operator = expr.get("operator")
        op = _EXPR_OPS.get(operator) if isinstance(operator, str) else None
        if op is None:
            raise SelectorParseError(
                f"{where}: unknown operator {expr.get('operator')!r} for key {key!r}"
            )
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            raise SelectorParseError(f"{where}.values must be a list of strings, got {values!r}")
        if op in ("in", "notin") and not values:
            raise SelectorParseError(f"{where}.values must not be empty for {expr['operator']}")
        if op in ("exists", "!") and values:
            raise SelectorParseError(f"{where}.values must be empty for {expr['operator']}")
        reqs.append(Requirement(key, op, frozenset(values)))
    return Selector(tuple(reqs))
