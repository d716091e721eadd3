"""Containers that keep a model's wire form (`KubeModel.__kube_src__`) current when changed.

A materialised model keeps its decoded JSON as its wire form. A field holding a decoded
container (a list of models, a dict of quantities...) is a new Python object, not the JSON
list or dict it came from; until it is changed the wire form keeps that JSON. The first change
puts the container itself in the wire form (`owner[key] = container`), where the encoder's hook
writes its items. `model_fields_set` and `model_extra` hand out containers that rebuild the
wire form from the fields after a change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubetyped.model.base import KubeModel

__all__: list[str] = []


class _Tracked:
    __slots__ = ()

    def _changed(self) -> None:
        try:
            owner: Any = self._wire_owner  # type: ignore[attr-defined]
        except AttributeError:  # not (or no longer) part of a wire form
            return
        if isinstance(owner, _Tracked):  # an inner container: the outer one goes in
            owner._changed()
        elif owner is not None:
            owner[self._wire_key] = self  # type: ignore[attr-defined]


class WireList(list[Any], _Tracked):
    """A decoded list field (see the module docstring); copies and pickles are plain lists."""

    __slots__ = ("_wire_key", "_wire_owner")

    def __reduce_ex__(self, protocol: Any) -> Any:
        return list, (list(self),)


class WireDict(dict[str, Any], _Tracked):
    """A decoded dict field (see the module docstring); copies and pickles are plain dicts."""

    __slots__ = ("_wire_key", "_wire_owner")

    def __reduce_ex__(self, protocol: Any) -> Any:
        return dict, (dict(self),)


def _track(cls: type, names: tuple[str, ...]) -> None:
    base = cls.__mro__[1]
    for name in names:
        method = getattr(base, name)

        def wrapper(self: Any, *args: Any, _method: Any = method, **kwargs: Any) -> Any:
            result = _method(self, *args, **kwargs)
            self._changed()
            return result

        wrapper.__name__ = wrapper.__qualname__ = name
        setattr(cls, name, wrapper)


def _refuse(cls: type, names: tuple[str, ...]) -> None:
    for name in names:
        setattr(cls, name, cls._refused)  # type: ignore[attr-defined]


class TrackedFieldsSet(set[str]):
    """`model_fields_set` as handed out: a change rebuilds the owner's wire form."""

    __slots__ = ("owner",)
    owner: KubeModel

    def _changed(self) -> None:
        self.owner._resync_src()

    def __reduce_ex__(self, protocol: Any) -> Any:  # copies and pickles are plain sets
        return set, (list(self),)


class SharedFieldsSet(set[str]):
    """A fields-set shared by every instance of a class with the same set fields (validated or
    materialised): one set per distinct set, not one per instance, which is less for the
    garbage collector to scan. A real `set` (pydantic-core reads it); copied into a plain set
    before the instance changes it (`base._thaw_fields_set`); a change to it is refused."""

    __slots__ = ("key",)
    #: the same names, frozen: the key of its `WirePlan`
    key: frozenset[str]

    def _refused(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a shared fields-set is not changed in place (copy it first)")

    def __reduce_ex__(self, protocol: Any) -> Any:  # copies and pickles are plain sets
        return set, (list(self),)


class TrackedExtra(dict[str, Any]):
    """`model_extra` as handed out: a change rebuilds the owner's wire form."""

    __slots__ = ("owner",)
    owner: KubeModel

    def _changed(self) -> None:
        self.owner._resync_src()

    def __reduce_ex__(self, protocol: Any) -> Any:  # copies and pickles are plain dicts
        return dict, (dict(self),)


def own_items(container: list[Any] | dict[str, Any], items: Any) -> None:
    """Makes the decoded containers among `items` report their changes to `container`."""
    for item in items:
        if type(item) is WireList:
            set_wire_owner(item, container)
        elif type(item) is WireDict:
            set_dict_wire_owner(item, container)


_track(
    WireList,
    (
        "__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend", "insert",
        "pop", "remove", "clear", "sort", "reverse",
    ),
)  # fmt: skip
_DICT_CHANGES = (
    "__setitem__", "__delitem__", "__ior__", "pop", "popitem", "clear", "update", "setdefault",
)  # fmt: skip
_track(WireDict, _DICT_CHANGES)
_track(TrackedExtra, _DICT_CHANGES)
_SET_CHANGES = (
    "add", "discard", "remove", "pop", "clear", "update", "difference_update",
    "intersection_update", "symmetric_difference_update", "__ior__", "__iand__", "__isub__",
    "__ixor__",
)  # fmt: skip
_track(TrackedFieldsSet, _SET_CHANGES)
_refuse(SharedFieldsSet, _SET_CHANGES)


set_wire_owner = WireList.__dict__["_wire_owner"].__set__
set_wire_key = WireList.__dict__["_wire_key"].__set__
set_dict_wire_owner = WireDict.__dict__["_wire_owner"].__set__
set_dict_wire_key = WireDict.__dict__["_wire_key"].__set__
