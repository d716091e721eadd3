"""Content negotiation of metadata-only requests, and the client-side fallback (pure, no I/O).

The apiserver answers `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
with only the metadata of each object. The trailing `application/json` lets servers (or
aggregated APIs) that cannot do so answer with full objects instead; those are then reduced to
the same `PartialObjectMetadata` shape here, so callers never see the difference (only the
bytes on the wire do).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from kubetyped.api import META_API_VERSION as API_VERSION

__all__ = ["ACCEPT_LIST", "ACCEPT_OBJECT"]

Obj = dict[str, Any]

PARTIAL = "PartialObjectMetadata"
PARTIAL_LIST = "PartialObjectMetadataList"


def _accept(kind: str) -> str:
    return f"application/json;as={kind};g=meta.k8s.io;v=v1,application/json"


#: Accept header of get, patch, delete and watch (watch events carry single objects).
ACCEPT_OBJECT: Final = _accept(PARTIAL)
#: Accept header of list.
ACCEPT_LIST: Final = _accept(PARTIAL_LIST)


def is_partial(obj: Obj, kind: str = PARTIAL) -> bool:
    """True when `obj` already is a `meta.k8s.io/v1` object of `kind` (`PartialObjectMetadata` by
    default), i.e. the server honoured the `Accept` header.
    """
    return obj.get("kind") == kind and obj.get("apiVersion") == API_VERSION


@cache
def _type_decoder() -> Any:
    import msgspec

    optional_str = str | None
    head = msgspec.defstruct(
        "_TypeMeta", [("apiVersion", optional_str, None), ("kind", optional_str, None)]
    )
    return msgspec.json.Decoder(head)


def is_partial_json(data: Any) -> bool:
    """`is_partial` of one object's JSON (bytes, or a `msgspec.Raw`), reading only its
    `apiVersion` and `kind` (the rest is skipped, not parsed)."""
    try:
        head = _type_decoder().decode(data)
    except Exception:  # msgspec.DecodeError/ValidationError: not a PartialObjectMetadata
        return False
    return bool(head.kind == PARTIAL and head.apiVersion == API_VERSION)


def partial_object(obj: Obj) -> Obj:
    """`obj` as a PartialObjectMetadata: a full object loses everything but its metadata."""
    if is_partial(obj):
        return obj
    return {"apiVersion": API_VERSION, "kind": PARTIAL, "metadata": obj.get("metadata") or {}}


def partial_list(body: Obj) -> Obj:
    """`body` as a PartialObjectMetadataList (items reduced when the server sent full objects)."""
    if is_partial(body, PARTIAL_LIST):
        return body if body.get("items") is not None else {**body, "items": []}
    return {
        "apiVersion": API_VERSION,
        "kind": PARTIAL_LIST,
        "metadata": body.get("metadata") or {},
        "items": [partial_object(item) for item in body.get("items") or ()],
    }


def partial_event_object(event_type: str, obj: Obj) -> Obj:
    """A watch event's object: ERROR events keep their `Status`, the rest become partial."""
    return obj if event_type == "ERROR" else partial_object(obj)
