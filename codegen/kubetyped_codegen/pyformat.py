"""Lay out generated Python as ``ruff format`` and ruff's isort rules would, without ruff.

Only the shapes the templates produce: bracketed lists (calls, subscripts, displays, class
bases, parameters) split the black way, ``X | None`` annotations and ``from`` import blocks.
Output is checked with ``ruff check``/``ruff format --check`` by the unit tests.
"""

from __future__ import annotations

import dataclasses
import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias

LINE = 100


@dataclass(frozen=True, slots=True)
class Brackets:
    """``<open><items, ...><close>``, e.g. ``Field(`` ... ``)`` or ``list[`` ... ``]``.

    ``display``: a collection literal (``{...}``, ``(...)``): split one item per line.
    ``one_tuple``: a 1-tuple, whose comma is kept (and so always splits one per line).
    """

    open: str
    items: tuple[Doc, ...]
    close: str
    display: bool = False
    one_tuple: bool = False
    #: a ``def``'s parameters: a lone one split onto its own line keeps a trailing comma
    parameters: bool = False


@dataclass(frozen=True, slots=True)
class Alternatives:
    """``A | B``: split before each ``|`` when too long (inside parentheses)."""

    parts: tuple[Doc, ...]


Doc: TypeAlias = "str | Brackets | Alternatives"


def flat(doc: Doc) -> str:
    """A layout document on one line, as it reads when it fits."""
    if isinstance(doc, str):
        return doc
    if isinstance(doc, Alternatives):
        return " | ".join(flat(p) for p in doc.parts)
    inner = ", ".join(flat(i) for i in doc.items) + ("," if doc.one_tuple else "")
    return doc.open + inner + doc.close


def prefixed(doc: Doc, prefix: str) -> Doc:
    """``doc`` with text before its first line (an assignment target, a keyword, ``| ``)."""
    if isinstance(doc, str):
        return prefix + doc
    if isinstance(doc, Alternatives):
        return Alternatives((prefixed(doc.parts[0], prefix), *doc.parts[1:]))
    return dataclasses.replace(doc, open=prefix + doc.open)


def layout(doc: Doc, indent: int, suffix: str = "", *, split: bool = False) -> list[str]:
    """The lines of ``doc`` at ``indent`` (``suffix`` after its last line).

    Flat when it fits (unless ``split``); otherwise the outer brackets are split and their
    content goes on one line if it fits (calls, subscripts, parameters) or one item per line.
    """
    pad = " " * indent
    text = flat(doc) + suffix
    if isinstance(doc, str) or (not split and indent + len(text) <= LINE):
        return [pad + text]
    if isinstance(doc, Alternatives):
        lines: list[str] = []
        for number, part in enumerate(doc.parts):
            lines += layout(prefixed(part, "| ") if number else part, indent)
        lines[-1] += suffix
        return lines
    if not doc.items:
        return [pad + text]
    inner = indent + 4
    joined = ", ".join(flat(i) for i in doc.items)
    one_per_line = doc.one_tuple or (doc.display and len(doc.items) > 1)
    if len(doc.items) == 1 and not one_per_line:
        body = layout(doc.items[0], inner, "," if doc.parameters else "")
    elif not one_per_line and inner + len(joined) <= LINE:
        body = [" " * inner + joined]
    else:
        body = [line for item in doc.items for line in layout(item, inner, ",")]
    return [pad + doc.open, *body, pad + doc.close + suffix]


def fit(doc: Doc, indent: int = 0, suffix: str = "") -> str:
    """``layout`` as text (for templates)."""
    return "\n".join(layout(doc, indent, suffix))


def strings(values: Iterable[str]) -> list[str]:
    """Each value as a double-quoted string literal (values are plain names, no escaping)."""
    return [f'"{v}"' for v in values]


def str_set(keyword: str, values: Iterable[str]) -> Brackets:
    """``keyword=frozenset({"a", "b"})``."""
    return Brackets(
        f"{keyword}=frozenset(", (Brackets("{", tuple(strings(values)), "}", display=True),), ")"
    )


def str_tuple(keyword: str, values: Iterable[str]) -> Brackets:
    """``keyword=("a", "b")``."""
    items = tuple(strings(values))
    return Brackets(f"{keyword}=(", items, ")", display=True, one_tuple=len(items) == 1)


_TOKEN = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|\[|\]|,|\||[^\[\],|\s"]+)""")


def parse_type(text: str) -> Doc:
    """An annotation such as ``list[core_v1.Pod] | None`` (names, subscripts, unions, and the
    string values of ``Literal[...]``)."""
    tokens = _TOKEN.findall(text)
    doc, end = _union(tokens, 0)
    if end != len(tokens):
        raise ValueError(f"cannot parse annotation {text!r}")
    return doc


def _union(tokens: list[str], at: int) -> tuple[Doc, int]:
    parts = []
    while True:
        part, at = _term(tokens, at)
        parts.append(part)
        if at < len(tokens) and tokens[at] == "|":
            at += 1
            continue
        return (parts[0] if len(parts) == 1 else Alternatives(tuple(parts))), at


def _term(tokens: list[str], at: int) -> tuple[Doc, int]:
    name = tokens[at]
    at += 1
    if at >= len(tokens) or tokens[at] != "[":
        return name, at
    items = []
    at += 1
    while tokens[at] != "]":
        item, at = _union(tokens, at)
        items.append(item)
        if tokens[at] == ",":
            at += 1
    return Brackets(f"{name}[", tuple(items), "]"), at + 1


def subscript(text: str) -> Doc:
    """``s.List["a", "b"]`` (a class base) as a splittable subscript."""
    return parse_type(text)


def sorted_names(names: Iterable[str]) -> list[str]:
    """isort order: CONSTANTS, then Classes, then functions (case-insensitive within each)."""

    def key(name: str) -> tuple[int, str, str]:
        kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
        return (kind, name.lower(), name)

    return sorted(set(names), key=key)


def import_line(module: str, names: Iterable[str], indent: int = 0) -> list[str]:
    """``from module import a, b``; one name per line when too long (isort's wrapping)."""
    ordered = sorted_names(names)
    pad = " " * indent
    line = f"{pad}from {module} import {', '.join(ordered)}"
    if len(line) <= LINE:
        return [line]
    return [f"{pad}from {module} import (", *[f"{pad}    {n}," for n in ordered], f"{pad})"]


def import_block(
    imports: Mapping[str, Iterable[str]], indent: int = 0, *, package: str
) -> list[str]:
    """``from`` imports sorted as isort does: third-party modules (the runtime ``kubetyped``,
    a base package such as ``kubetyped_kubernetes``) first, then the first-party section of the
    generated ``package`` itself (modules under its top-level name), as ruff classifies them
    wherever the package is written."""
    first_party = package.split(".")[0]
    sections: dict[bool, list[str]] = {}
    for module in sorted(imports):
        own = module.split(".")[0] == first_party
        sections.setdefault(own, []).extend(import_line(module, imports[module], indent))
    blocks = [sections[k] for k in sorted(sections)]
    return [line for number, b in enumerate(blocks) for line in ([""] if number else []) + b]


def literal(value: object) -> str:
    """A Python literal of JSON-ish data in ruff's style (double quotes, True)."""
    if value is True or value is False or value is None:
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.count('"') > value.count("'"):
        # the quotes needing fewer escapes, as ruff format picks them
        return "'" + text[1:-1].replace('\\"', '"').replace("'", "\\'") + "'"
    return text


def literal_doc(value: object) -> Doc:
    """``_literal`` as a layout document: lists and dicts split the way ruff splits them."""
    if isinstance(value, list) and value:
        return Brackets("[", tuple(literal_doc(v) for v in value), "]", display=True)
    if isinstance(value, dict) and value:
        items = tuple(prefixed(literal_doc(v), f"{literal(k)}: ") for k, v in value.items())
        return Brackets("{", items, "}", display=True)
    return literal(value)


def assignment(target: str, type_text: str, value: Doc | None, indent: int) -> list[str]:
    """``target: type_text = value`` (or a bare annotation) laid out as ruff would."""
    pad = " " * indent
    if value is None:
        line = f"{target}: {type_text}"
        if indent + len(line) <= LINE:
            return [pad + line]
        hint = parse_type(type_text)
        if isinstance(hint, Brackets):
            return layout(prefixed(hint, f"{target}: "), indent, split=True)
        if isinstance(hint, str) and indent + 4 + len(hint) > LINE:
            return [pad + line]  # ruff parenthesises only when that makes it fit
        return [f"{pad}{target}: (", *layout(hint, indent + 4), f"{pad})"]
    head = f"{target}: {type_text} = "
    opening = value.open if isinstance(value, Brackets) else flat(value)
    if indent + len(head) + len(opening) <= LINE:
        return layout(prefixed(value, head), indent)
    if indent + len(head) + 1 <= LINE and (
        max(len(line) for line in layout(value, indent + 4)) <= LINE
        or isinstance(parse_type(type_text), Alternatives | Brackets)
    ):
        return [f"{pad}{head}(", *layout(value, indent + 4), f"{pad})"]  # parenthesise the value
    if indent + len(head) + 1 <= LINE:  # too long anyway (a long CEL rule): ruff hugs the call
        return layout(prefixed(value, head), indent, split=True)
    hint = parse_type(type_text)  # the annotation itself is too long
    if isinstance(hint, Alternatives):  # parenthesised, split at `|`
        return [
            f"{pad}{target}: (",
            *layout(hint, indent + 4),
            *layout(prefixed(value, ") = "), indent),
        ]
    if isinstance(hint, Brackets):  # split its own brackets
        lines = layout(prefixed(hint, f"{target}: "), indent, split=True)[:-1]
        return lines + layout(prefixed(value, "] = "), indent)
    return layout(prefixed(value, head), indent, split=True)


def assignment_value(target: str, value: str, indent: int) -> list[str]:
    """``target = value``; ruff parenthesises the value when that makes the line fit."""
    pad = " " * indent
    line = f"{pad}{target} = {value}"
    if len(line) <= LINE or len(f"{pad}{target} = (") > LINE:
        return [line]
    return [f"{pad}{target} = (", f"{pad}    {value}", f"{pad})"]


def escape(text: str) -> str:
    """Text made safe inside a triple-quoted docstring (backslashes, quotes, tabs)."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\t", "    ")
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    return text


def docstring_lines(description: str, indent: int) -> list[str]:
    """An attribute/class docstring wrapped at 100 columns; nothing for no description."""
    text = escape(description.strip())
    if not text:
        return []
    pad = " " * indent
    width = LINE - indent
    wrapped: list[str] = []
    first, *rest = text.splitlines()
    lines = [first, *textwrap.dedent("\n".join(rest)).splitlines()]  # ruff strips common indent
    for number, line in enumerate(lines):
        line = line.rstrip()
        opening = 3 if number == 0 else 0  # the first line follows the opening quotes
        if len(line) + opening <= width or line.startswith(" "):
            wrapped.append(line)
        else:
            chunks = textwrap.wrap(
                "\0" * opening + line, width, break_long_words=False, break_on_hyphens=False
            )
            wrapped.extend(c.replace("\0", "") for c in chunks)
    if len(wrapped) == 1:  # ruff keeps one-line docstrings on one line, whatever their length
        return [f'{pad}"""{wrapped[0]}"""']
    body = [f"{pad}{w}" if w else "" for w in wrapped]
    body[0] = f'{pad}"""{wrapped[0]}'
    return [*body, f'{pad}"""']
