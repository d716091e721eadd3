"""Read every attribute of decoded objects, recursively, one walker per library.

Lazy designs (kubetyped) move decode cost to attribute access, so "decode + read every
field" is the fair end-to-end figure. Each walker returns the number of non-None leaves it
read, which doubles as a sanity check that every library saw the same data.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kubetyped.model import KubeModel

_LEAVES = (str, int, float, bool)


def walk_kubetyped(value: Any) -> int:
    if isinstance(value, KubeModel):
        count = 0
        for name in type(value).__pydantic_fields__:
            count += walk_kubetyped(getattr(value, name))
        return count
    return _walk_container(value, walk_kubetyped)


def walk_lightkube(value: Any) -> int:
    if isinstance(value, msgspec.Struct):
        count = 0
        for name in value.__struct_fields__:
            count += walk_lightkube(getattr(value, name))
        return count
    return _walk_container(value, walk_lightkube)


def walk_official(value: Any) -> int:
    types = getattr(type(value), "openapi_types", None)
    if types is not None:
        count = 0
        for name in types:
            count += walk_official(getattr(value, name))
        return count
    return _walk_container(value, walk_official)


def walk_plain(value: Any) -> int:
    return _walk_container(value, walk_plain)


def _walk_container(value: Any, walk: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, list):
        return sum(walk(item) for item in value)
    if isinstance(value, dict):
        return sum(walk(item) for item in value.values())
    return 1
