"""Small pure helpers over wire-form objects: copies, metadata access, server-set fields."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson

from kubetyped.fake import errors
from kubetyped.model.scalars import format_time
from kubetyped.typed.resource import ResourceInfo

__all__: list[str] = []

Obj = dict[str, Any]
T = TypeVar("T")

#: metadata fields only the server sets; writes keep the stored values
SERVER_METADATA = (
    "uid",
    "creationTimestamp",
    "generation",
    "resourceVersion",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "selfLink",
)

_NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # apimachinery's SimpleNameGenerator alphabet


def deep_copy(obj: T) -> T:
    """An independent copy of a JSON value (through orjson, so only JSON types survive)."""
    result: T = orjson.loads(orjson.dumps(obj))
    return result


def wire(obj: Any) -> Obj:
    """A fresh wire-form dict of a model or a dict."""
    to_raw = getattr(obj, "_to_raw", None)
    raw = to_raw() if to_raw is not None else obj
    if not isinstance(raw, dict):
        raise errors.bad_request(f"expected an object, got {type(raw).__name__}")
    result: Obj = deep_copy(raw)
    return result


def metadata(obj: Obj) -> Obj:
    """The `metadata` dict of `obj`, created empty when missing; `BadRequestError` (400) when it is
    not an object.
    """
    meta = obj.get("metadata")
    if meta is None:
        meta = obj["metadata"] = {}
    if not isinstance(meta, dict):
        raise errors.bad_request("metadata must be an object")
    return meta


def name_of(obj: Obj) -> str:
    """`metadata.name` of `obj`, "" when it has none."""
    name = (obj.get("metadata") or {}).get("name")
    return name if isinstance(name, str) else ""


def timestamp(now: float) -> str:
    """A `metav1.Time` (whole seconds) of the epoch time `now`."""
    return format_time(datetime.fromtimestamp(int(now), UTC), micro=False)


def generated_name(prefix: str) -> str:
    """`prefix` plus 5 random characters, as the apiserver's `names.SimpleNameGenerator` makes them: the
    name of a create with `metadata.generateName`.
    """
    return prefix + "".join(secrets.choice(_NAME_CHARS) for _ in range(5))


def tracks_generation(info: ResourceInfo) -> bool:
    """Objects with a `spec` get `metadata.generation` (a simplification, see docs/fake.md)."""
    model = info.model_class()
    return "spec" in model._plan().by_wire


def desired_state(obj: Obj) -> Obj:
    """Everything but metadata and status: what a change of bumps the generation."""
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "apiVersion", "kind")}


def check_type(info: ResourceInfo, obj: Obj) -> None:
    """apiVersion and kind must name the resource when set (they are filled in when not)."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if api_version not in (None, "", info.api_version):
        raise errors.bad_request(
            f"the API version in the data ({api_version}) does not match the expected API "
            f"version ({info.api_version})"
        )
    if kind not in (None, "", info.kind):
        raise errors.bad_request(
            f"the kind in the data ({kind}) does not match the expected kind ({info.kind})"
        )
    obj["apiVersion"], obj["kind"] = info.api_version, info.kind
