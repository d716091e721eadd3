"""JSON in and out for models: orjson, with list items kept as unparsed JSON until first read.

A list response (`PodList`, …) is split with msgspec into its items without building any Python
object for them; each item is parsed by orjson when it is first read. Unread items are written
back verbatim (`orjson.Fragment`).
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Any

import orjson

from kubetyped.errors import KubetypedError

if TYPE_CHECKING:
    import msgspec
    from msgspec import Raw

__all__ = ["ModelDecodeError"]


class ModelDecodeError(KubetypedError, ValueError):
    """Server JSON that does not fit the model: not a JSON object, or a field whose value
    cannot be decoded (a bad timestamp, an object where a list belongs...). Raised when the
    field is read; the other fields stay readable.

    ``path`` is the field's full JSON path from the root of the document the server sent, with
    wire names and list indexes, like pydantic's ``loc``: ``metadata.creationTimestamp`` for a
    get, ``items[3].spec.containers[0].ports[1].containerPort`` for a list, ``object.spec...``
    for a watch event ("" for the whole document). The message starts with it and names the
    model and field."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


@cache
def _decoders() -> tuple[
    msgspec.json.Decoder[dict[str, Raw]], msgspec.json.Decoder[list[Raw] | None]
]:
    import msgspec  # imported on the first list response, not at start-up

    return (
        msgspec.json.Decoder(dict[str, msgspec.Raw]),
        msgspec.json.Decoder(list[msgspec.Raw] | None),
    )


def is_raw(value: Any) -> bool:
    """True for an unparsed list item (msgspec is loaded once any exists)."""
    msgspec = sys.modules.get("msgspec")
    return msgspec is not None and type(value) is msgspec.Raw


def parse(raw: Raw) -> Any:
    """The Python value of one unparsed JSON value."""
    return orjson.loads(memoryview(raw))


def parse_split(raw: Raw, lazy_keys: frozenset[str]) -> Any:
    """One unparsed JSON object, parsed one level: the values of `lazy_keys` that are objects
    stay unparsed (`Raw`), the others are parsed. Anything but an object: parsed whole."""
    import msgspec

    try:
        top = _decoders()[0].decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return parse(raw)  # not an object: the caller reports it
    return {
        key: value
        if key in lazy_keys and bytes(memoryview(value)[:1]) == b"{"
        else orjson.loads(memoryview(value))
        for key, value in top.items()
    }


def loads_object(data: bytes | str, model: str) -> dict[str, Any]:
    """The JSON object in `data` (a response body) as a dict; `ModelDecodeError` naming `model` when
    it is not JSON or not an object.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ModelDecodeError(f"{model}: response is not JSON ({exc})") from None
    if not isinstance(value, dict):
        raise ModelDecodeError(f"{model}: expected a JSON object, got {type(value).__name__}")
    return value


def loads_list_object(data: bytes | str, model: str) -> dict[str, Any]:
    """A list object whose `items` stay unparsed (`Raw`) until read."""
    import msgspec

    top_level, items = _decoders()
    try:
        top = top_level.decode(data)
        return {
            key: items.decode(value) if key == "items" else parse(value)
            for key, value in top.items()
        }
    except (msgspec.DecodeError, msgspec.ValidationError, orjson.JSONDecodeError) as exc:
        raise ModelDecodeError(f"{model}: response is not a JSON list object ({exc})") from None


def _fragment(value: Any) -> Any:
    if is_raw(value):
        return orjson.Fragment(bytes(value))
    raise TypeError(f"cannot serialise {type(value).__name__} as JSON")


def dumps(value: Any) -> bytes:
    """Compact JSON bytes; unread list items are copied through as they came."""
    return orjson.dumps(value, default=_fragment)
