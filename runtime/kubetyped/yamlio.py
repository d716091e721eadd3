"""The one YAML reader of kubetyped: YAML as Kubernetes reads it (``sigs.k8s.io/yaml``).

``sigs.k8s.io/yaml`` (kubectl, client-go's ``clientcmd``, the apiserver's YAML decoder)
parses YAML 1.1 with its go-yaml v2 fork and converts the result to JSON. This loader gives
the data that JSON holds, following go-yaml's ``resolve.go`` and sigs.k8s.io/yaml's
``convertToJSONableObject`` (checked against ``kubectl``), where PyYAML's safe loader differs:

- plain scalars: ``y``/``Y``/``n``/``N`` are booleans like ``yes``/``on``; ``1_000``, ``0x1F``,
  ``0o17``, ``0b101``, ``010`` (octal) are integers; ``1e3`` is a number (PyYAML: a string);
  ``1:30`` is a string (PyYAML: sexagesimal 90); unquoted timestamps stay strings; a plain
  ``=`` is a string (PyYAML refuses it);
- numbers as JSON carries them: a float with an integral value below 1e21 is an int
  (``1.0`` -> ``1``); ``.inf``/``.nan`` values are an error, as in ``encoding/json``;
- mapping keys are strings: ``on: x`` -> ``{"true": "x"}``, ``1: x`` -> ``{"1": x}``, float keys
  as Go's ``FormatFloat(f, 'g', -1, 32)``; a null or collection key is an error;
- anchors, aliases and ``<<`` merge keys work, merged keys overriding the keys before them
  (go-yaml v2); unknown tags (``!Ref``) are ignored, ``!!binary`` is decoded to text.

libyaml's parser is used when PyYAML was built with it; the data is built from its event
stream (no node graph). Used for CRDs (codegen), kubeconfig files, manifests and the fake
apiserver's YAML bodies.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from collections.abc import Iterator
from typing import Any

import yaml

from kubetyped.errors import KubetypedError

__all__ = ["YamlError", "load", "load_all"]

_Parser: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML = "tag:yaml.org,2002:"


class YamlError(KubetypedError, ValueError):
    """A document that is not valid YAML; ``source``, ``line`` and ``column`` (1-based) say where."""

    def __init__(self, problem: str, *, source: str, line: int | None, column: int | None) -> None:
        """``problem``: what is wrong; ``source``: the file or stream name."""
        at = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"{source}: invalid YAML{at}: {problem}")
        self.source = source
        self.problem = problem
        self.line = line
        self.column = column


class _Invalid(Exception):
    """A YAML document sigs.k8s.io/yaml refuses (raised while building, then located)."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.mark = mark


# ---- plain scalars: go-yaml v2 resolve.go ----------------------------------------------------

_WORDS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}  # fmt: skip
_MERGE = object()
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_GO_INT = re.compile(
    r"[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)\Z"
)  # strconv.ParseInt(s, 0, 64) syntax, underscores already removed
_INT64 = (-(2**63), 2**64 - 1)  # ParseInt, then ParseUint


def _go_int(text: str) -> int | None:
    if not _GO_INT.match(text):
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    prefix = digits[:2].lower()
    base = {"0x": 16, "0o": 8, "0b": 2}.get(prefix)
    if base is not None:
        value = sign * int(digits[2:], base)
    elif len(digits) > 1 and digits[0] == "0":
        value = sign * int(digits[1:], 8)  # Go's leading-zero octal
    else:
        value = sign * int(digits)
    if not _INT64[0] <= value <= _INT64[1]:
        return None  # out of int64/uint64: go-yaml tries a float next
    return value


def _resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar (go-yaml v2 ``resolve``, before JSON)."""
    if text in _WORDS:
        return _WORDS[text]
    if text == "<<":
        return _MERGE
    first = text[0]
    if first == ".":
        try:
            value = float(text)
        except ValueError:
            return text
        return text if math.isinf(value) else value  # ParseFloat's ErrRange: a string
    if first in "+-0123456789":
        plain = text.replace("_", "")
        found = _go_int(plain)
        if found is not None:
            return found
        if _FLOAT.match(plain):
            value = float(plain)
            return text if math.isinf(value) else value
    return text


def _json_number(value: float, mark: Any) -> int | float:
    """What ``encoding/json`` writes for a float64, read back: integral values are ints."""
    if math.isnan(value) or math.isinf(value):
        raise _Invalid(f"unsupported value: {value} (JSON has no NaN or infinity)", mark)
    if value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


# ---- keys: sigs.k8s.io/yaml convertToJSONableObject ---------------------------------------


def _float32(value: float) -> float:
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def _float32_key(value: float) -> str:
    """Go's ``strconv.FormatFloat(value, 'g', -1, 32)``."""
    if math.isnan(value):
        return ".nan"
    try:
        single = _float32(value)
    except OverflowError:  # beyond float32: Go's conversion gives an infinity
        single = math.copysign(math.inf, value)
    if math.isinf(single):
        return ".inf" if single > 0 else "-.inf"
    text = f"{single:.8e}"
    for precision in range(9):  # the shortest digits that give the same float32
        text = f"{single:.{precision}e}"
        if _float32(float(text)) == single:
            break
    mantissa, _, exponent_text = text.partition("e")
    digits = mantissa.replace(".", "").lstrip("-").rstrip("0") or "0"
    exponent = int(exponent_text)
    sign = "-" if mantissa.startswith("-") else ""
    if exponent < -4 or exponent >= 6:  # %e for the shortest form when the exponent is <-4 or >=6
        point = f".{digits[1:]}" if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{point}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{digits}"
    whole, fraction = digits[: exponent + 1], digits[exponent + 1 :]
    whole += "0" * (exponent + 1 - len(whole))
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def _key(value: Any, mark: Any) -> str:
    kind = type(value)
    if kind is str:
        result: str = value
        return result
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return _float32_key(value)
    found = "null" if value is None else kind.__name__
    raise _Invalid(f"unsupported map key of type {found}", mark)


# ---- tagged scalars ------------------------------------------------------------------------


def _tagged(tag: str, text: str, mark: Any) -> Any:
    """An explicitly tagged scalar; tags go-yaml does not know are ignored (the text)."""
    if not tag.startswith(_YAML) or tag == _YAML + "str":
        return text
    kind = tag[len(_YAML) :]
    if kind == "binary":
        try:
            return base64.b64decode("".join(text.split()), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise _Invalid("!!binary value is not base64", mark) from None
    if kind not in ("int", "float", "bool", "null"):
        return text
    value = _resolve_plain(text) if text else None
    ok = {
        "int": type(value) is int,
        "float": type(value) in (int, float),
        "bool": type(value) is bool,
        "null": value is None,
    }[kind]
    if not ok:
        raise _Invalid(f"cannot decode !!{kind} `{text}`", mark)
    return _json_number(float(value), mark) if kind == "float" else value  # type: ignore[arg-type]


# ---- building data from the event stream ----------------------------------------------------

_NO_KEY = object()


def _merge(target: dict[str, Any], value: Any, mark: Any) -> None:
    """go-yaml v2 ``merge``: a mapping, or a list of them (earlier ones win), sets its keys."""
    if isinstance(value, dict):
        target.update(value)
        return
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        for item in reversed(value):
            target.update(item)
        return
    raise _Invalid("map merge requires map or sequence of maps as the value", mark)


def _document(parser: Any, anchors: dict[str, Any]) -> Any:
    """The data of one document, from just after its DocumentStartEvent to its end."""
    # A frame: [container, pending key (mappings only), key mark].
    stack: list[list[Any]] = []
    root: Any = None
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    get_event = parser.get_event
    while True:
        event = get_event()
        kind = type(event)
        is_key = bool(stack) and type(stack[-1][0]) is dict and stack[-1][1] is _NO_KEY
        if kind is scalar:
            tag = event.tag
            if tag is None and event.implicit[0]:
                value = _resolve_plain(event.value)
                if value is _MERGE:
                    if is_key:
                        stack[-1][1], stack[-1][2] = _MERGE, event.start_mark
                        continue
                    value = event.value
                elif type(value) is float and not is_key:
                    value = _json_number(value, event.start_mark)
            elif tag is None or tag == "!":
                value = event.value
            else:
                value = _tagged(tag, event.value, event.start_mark)
            if event.anchor is not None:
                anchors[event.anchor] = value
        elif kind is alias:
            if event.anchor not in anchors:
                raise _Invalid(f"unknown anchor {event.anchor!r}", event.start_mark)
            value = anchors[event.anchor]
        elif kind is mapping_start or kind is sequence_start:
            container: Any = {} if kind is mapping_start else []
            if event.anchor is not None:
                anchors[event.anchor] = container
            if is_key:
                raise _Invalid("unsupported map key of type map or list", event.start_mark)
            stack.append([container, _NO_KEY, event.start_mark])
            continue
        elif kind in collection_end:
            value = stack.pop()[0]
        else:  # DocumentEndEvent
            return root
        if not stack:
            root = value
            continue
        frame = stack[-1]
        container = frame[0]
        if type(container) is list:
            container.append(value)
        elif frame[1] is _NO_KEY:
            frame[1], frame[2] = _key(value, event.start_mark), event.start_mark
        else:
            key = frame[1]
            frame[1] = _NO_KEY
            if key is _MERGE:
                _merge(container, value, frame[2])
            else:
                container[key] = value


def _documents(text: str | bytes) -> Iterator[Any]:
    parser: Any = _Parser(text)  # PyYAML has no annotations
    try:
        parser.get_event()  # StreamStartEvent
        while not parser.check_event(yaml.StreamEndEvent):
            parser.get_event()  # DocumentStartEvent
            yield _document(parser, {})
    finally:
        parser.dispose()


def _error(error: yaml.YAMLError | _Invalid, source: str) -> YamlError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return YamlError(str(problem), source=source, line=None, column=None)
    return YamlError(str(problem), source=source, line=mark.line + 1, column=mark.column + 1)


def load(text: str | bytes, *, source: str = "<yaml>") -> Any:
    """The single document of ``text`` as plain data (None for an empty document).

    Raises ``YamlError`` naming ``source`` and the line for invalid YAML and for what
    sigs.k8s.io/yaml refuses (null keys, NaN values).
    """
    try:
        documents = list(_documents(text))
    except (yaml.YAMLError, _Invalid) as error:
        raise _error(error, source) from None
    if len(documents) > 1:
        raise YamlError("expected a single document", source=source, line=None, column=None)
    return documents[0] if documents else None


def load_all(text: str | bytes, *, source: str = "<yaml>") -> list[Any]:
    """Every document of a multi-document stream (``---``), empty documents dropped.

    Raises ``YamlError`` naming ``source`` and the line for invalid YAML and for what
    sigs.k8s.io/yaml refuses (null keys, NaN values).
    """
    try:
        return [d for d in _documents(text) if d is not None]
    except (yaml.YAMLError, _Invalid) as error:
        raise _error(error, source) from None
