"""Per-class field plans: how each wire field is decoded lazily and encoded back."""

from __future__ import annotations

import importlib
import sys
import types
import typing
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kubetyped.model.jsonio import is_raw
from kubetyped.model.scalars import MicroTime, Quantity, Time, format_time
from kubetyped.model.tracked import SharedFieldsSet, WireDict, WireList, own_items

if TYPE_CHECKING:
    from kubetyped.model.base import KubeModel

__all__: list[str] = []

Decoder = Callable[[Any], Any]
#: The decoder of a field that holds models takes the field's location too: it is stored in
#: each lazily decoded model, so a decode error deep inside names its full JSON path.
LocatedDecoder = Callable[[Any, str], Any]
#: Where a value sits in the JSON document it was decoded from, as its JSON path
#: (``items[3].spec``; "" for the document root). A string, not a structure: strings are not
#: tracked by the garbage collector, so locating every lazily decoded model costs little.
Location = str


def child(location: Location, key: str | int) -> Location:
    """The location of ``key`` (a wire name or a list index) within ``location``."""
    if type(key) is int:
        return f"{location}[{key}]"
    return f"{location}.{key}" if location else str(key)


class ItemDecodeError(Exception):
    """An item of a list or map field failed to decode: the keys (indexes or map keys) leading
    to it within the field, and why."""

    def __init__(self, keys: tuple[str | int, ...], cause: BaseException) -> None:
        location = ""
        for key in keys:
            location = child(location, key)
        super().__init__(f"{location}: {cause}")
        self.keys = keys
        self.cause = cause


def item_error(key: str | int, exc: BaseException) -> ItemDecodeError:
    """``exc`` raised for the item at ``key`` of a list or map, as an ``ItemDecodeError``."""
    if isinstance(exc, ItemDecodeError):
        return ItemDecodeError((key, *exc.keys), exc.cause)
    return ItemDecodeError((key,), exc)


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """How one field is decoded from and encoded to the wire."""

    python_name: str
    wire_name: str
    decode: Decoder | LocatedDecoder | None
    #: ``decode`` is a ``LocatedDecoder`` (the field holds models)
    located: bool
    micro_time: bool
    models: tuple[type[KubeModel], ...]
    #: decodes to a new list or dict (of models, times, quantities): the wire form holds that
    #: container, so changes to it are seen; a single model shares its JSON dict instead
    container: bool


@dataclass(frozen=True, slots=True)
class ClassPlan:
    """Every field's plan of one model class, built on its first lazy decode."""

    by_wire: dict[str, FieldPlan]
    by_python: dict[str, FieldPlan]
    defaults: tuple[tuple[str, Any], ...]
    #: a top-level kind (apiVersion, kind, metadata): wire names of its single-model fields,
    #: left unparsed when the object is parsed from its JSON bytes for a read
    split: frozenset[str]
    #: wire name -> python name of the fields kept as decoded JSON (no decoder)
    plain: dict[str, str]
    #: wire name -> (python name, decoder, whether the decoded value (a container) replaces
    #: the JSON in the wire form when changed, whether the decoder is located), for the
    #: materialisation loop
    decoders: dict[str, tuple[str, Any, bool, bool]]
    #: wire name -> (python name, JSON type) of the scalar fields (str, int, bool): a value of
    #: that type (or null) is kept as it is without calling the field's checking decoder
    scalars: dict[str, tuple[str, type]]
    #: every field at its default, copied as the start of a materialised `__dict__`
    template: dict[str, Any]
    #: a list object (`items` holds models): decode its items only when they are read
    lazy_items: bool
    #: (python name, wire name) of the fields holding lists of models
    model_lists: tuple[tuple[str, str], ...]
    #: python name -> declaration index / wire name; python names of MicroTime fields
    order: dict[str, int]
    wire_names: dict[str, str]
    micro_times: frozenset[str]
    #: python name -> how its value goes into the wire form (`ENCODE_*`)
    encode_kinds: dict[str, int]
    _fields_sets: dict[tuple[str, ...], SharedFieldsSet]
    #: the `WirePlan`s made so far, by fields-set (see `wire_plan`)
    wire_plans: dict[frozenset[str], WirePlan]

    def wire_plan(self, fields_set: AbstractSet[str]) -> WirePlan:
        """How an instance with ``fields_set`` gets its wire form from its fields; one plan
        (and one shared fields-set) per distinct set of set fields (bounded)."""
        key = fields_set.key if type(fields_set) is SharedFieldsSet else frozenset(fields_set)
        found = self.wire_plans.get(key)
        if found is None:
            found = self._new_wire_plan(key)
            if len(self.wire_plans) < _CACHED_SETS:
                self.wire_plans[key] = found
        return found

    def _new_wire_plan(self, key: frozenset[str]) -> WirePlan:
        order, kinds, wire_names = self.order, self.encode_kinds, self.wire_names
        names = tuple(sorted((n for n in key if n in order), key=order.__getitem__))
        shared = SharedFieldsSet(key)
        shared.key = key
        return WirePlan(
            fields_set=shared,
            python_names=names,
            wire_form=_wire_form_function(
                tuple((name, wire_names[name]) for name in names),
                tuple(
                    (name, wire_names[name], kinds[name], name in self.micro_times)
                    for name in names
                    if kinds[name] != ENCODE_AS_IS
                ),
            ),
        )

    def fields_set(self, raw: dict[str, Any]) -> SharedFieldsSet:
        """The python names of the fields present in `raw`, shared between equal key lists."""
        keys = tuple(raw)
        found = self._fields_sets.get(keys)
        if found is None:
            by_wire = self.by_wire
            found = self.wire_plan(
                frozenset(by_wire[key].python_name for key in keys if key in by_wire)
            ).fields_set
            if len(self._fields_sets) < _CACHED_SETS:
                self._fields_sets[keys] = found
        return found


#: distinct fields-sets (and key lists) remembered per class; past that, plans are not shared
_CACHED_SETS = 1024


def _wire_form_function(
    names: tuple[tuple[str, str], ...], converted: tuple[tuple[str, str, int, bool], ...]
) -> WireFormFunction:
    """The function building the wire form of a model whose set fields are ``names`` (python
    name, wire name; ``converted``: those not `ENCODE_AS_IS`, with their kind and MicroTime):
    ``wire_form(model, values, track_lists)`` -> ``{wire name: value, ...}`` then unknown
    fields; KeyError when a field was deleted since it was set. Compiled once per plan: a dict
    display, then one step per converted field, costs a third of a generic loop over the
    fields. The names go in as `repr` literals; the helpers come from `base`."""
    from kubetyped.model.base import WIRE_FORM_HELPERS

    items = ", ".join(f"{wire!r}: values[{python!r}]" for python, wire in names)
    lines = ["def wire_form(model, values, track_lists):", f"    src = {{{items}}}"]
    for python, wire, kind, micro_time in converted:
        lines += [f"    value = values[{python!r}]", "    if value is not None:"]
        if kind == ENCODE_MODEL:  # a validated model's own wire dict, shared
            lines += [
                "        try:",
                "            child = src_of(value)",
                "        except (AttributeError, TypeError):",
                "            child = None",
                f"        src[{wire!r}] = wire_value(value, {micro_time}) if child is None else child",
            ]
        elif kind == ENCODE_MODEL_LIST:
            lines.append(
                f"        src[{wire!r}] = model_list(model, {python!r}, {wire!r}, value, src, "
                "track_lists)"
            )
        else:
            lines.append(f"        src[{wire!r}] = wire_value(value, {micro_time})")
    lines += [
        "    extra = model.__pydantic_extra__",
        "    if extra:",
        "        src.update(extra)",
        "    return src",
    ]
    namespace = dict(WIRE_FORM_HELPERS)
    exec("\n".join(lines) + "\n", namespace)
    function: WireFormFunction = namespace["wire_form"]
    return function


#: ``wire_form(model, values, track_lists)`` of a `WirePlan`
WireFormFunction = Callable[[Any, dict[str, Any], bool], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class WirePlan:
    """How a model built from its fields (by validation, or a copy) with one set of set fields
    gets its wire form: those fields' values under their wire names in declaration order, the
    values that are not JSON as they are replaced, then unknown fields."""

    #: the fields-set itself, shared by the validated instances that have it (copied before a
    #: change, see `SharedFieldsSet`)
    fields_set: SharedFieldsSet
    python_names: tuple[str, ...]
    #: (instance, its ``__dict__``, whether lists of models become lists of their wire dicts)
    #: -> its wire form (KeyError: a field deleted since it was set); see `_wire_form_function`
    wire_form: WireFormFunction


def inject_references(cls: type) -> None:
    """Binds the group-version modules a generated class refers to into its module.

    Generated modules import them only under TYPE_CHECKING, so that importing one class
    does not import everything it can reach.
    """
    namespace = module_namespace(cls)
    references: dict[str, str] = namespace.get("__kube_refs__", {})
    for alias, module_name in references.items():
        if alias not in namespace:
            namespace[alias] = importlib.import_module(module_name)


def module_namespace(cls: type) -> dict[str, Any]:
    """The globals of the module that defined `cls` (kept even if sys.modules drops it)."""
    namespace: dict[str, Any] | None = cls.__dict__.get("__kube_namespace__")
    if namespace is None:
        namespace = vars(sys.modules[cls.__module__])
    return namespace


def build_plan(cls: type[KubeModel]) -> ClassPlan:
    """The decode/encode plan of a model class from its fields and their annotations."""
    hints = _field_annotations(cls)
    by_wire: dict[str, FieldPlan] = {}
    by_python: dict[str, FieldPlan] = {}
    defaults: list[tuple[str, Any]] = []
    for python_name, info in cls.__pydantic_fields__.items():
        wire_name = info.serialization_alias or info.alias or python_name
        annotation = _strip_optional(hints.get(python_name, Any))
        decode, models, located = _decoder_for(annotation)
        if decode is None and CHECK_SCALARS and isinstance(annotation, type):
            decode = _SCALAR_DECODERS.get(annotation)  # located: False (a scalar has no inside)
        plan = FieldPlan(
            python_name=python_name,
            wire_name=wire_name,
            decode=decode,
            located=located,
            micro_time=annotation is MicroTime,
            models=models,
            container=_is_container(annotation),
        )
        by_wire[wire_name] = plan
        by_python[python_name] = plan
        defaults.append((python_name, None if info.is_required() else info.get_default()))
    return ClassPlan(
        by_wire=by_wire,
        by_python=by_python,
        defaults=tuple(defaults),
        split=frozenset(
            wire for wire, plan in by_wire.items() if plan.models and not plan.container
        )
        if {"apiVersion", "kind", "metadata"} <= by_wire.keys()
        else frozenset(),
        plain={wire: plan.python_name for wire, plan in by_wire.items() if plan.decode is None},
        decoders={
            wire: (plan.python_name, plan.decode, plan.container, plan.located)
            for wire, plan in by_wire.items()
            if plan.decode is not None
        },
        scalars={
            wire: (plan.python_name, _SCALAR_TYPES[plan.decode])
            for wire, plan in by_wire.items()
            if plan.decode in _SCALAR_TYPES
        },
        template=dict(defaults),
        lazy_items="items" in by_wire and bool(by_wire["items"].models),
        order={name: index for index, name in enumerate(by_python)},
        wire_names={name: plan.wire_name for name, plan in by_python.items()},
        micro_times=frozenset(name for name, plan in by_python.items() if plan.micro_time),
        encode_kinds={
            name: _encode_kind(hints.get(name, Any), plan) for name, plan in by_python.items()
        },
        model_lists=tuple(
            (plan.python_name, wire)
            for wire, plan in by_wire.items()
            if plan.container and plan.models and _is_model_list(hints.get(plan.python_name))
        ),
        _fields_sets={},
        wire_plans={},
    )


#: How a field's value goes into the wire form of a model built by validation: as it is (JSON
#: data: strings, numbers, plain lists and dicts, quantities), as the nested model's wire dict,
#: as a list of the items' wire dicts, or converted (times, containers holding models or times).
ENCODE_AS_IS, ENCODE_MODEL, ENCODE_MODEL_LIST, ENCODE_CONVERTED = 0, 1, 2, 3


def _encode_kind(annotation: Any, plan: FieldPlan) -> int:
    if _is_model_list(annotation):
        return ENCODE_MODEL_LIST
    if plan.models:
        return ENCODE_CONVERTED if plan.container else ENCODE_MODEL
    return ENCODE_CONVERTED if _holds_time(_strip_optional(annotation)) else ENCODE_AS_IS


def _holds_time(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, datetime)
    return any(_holds_time(_strip_optional(arg)) for arg in typing.get_args(annotation))


def _field_annotations(cls: type[KubeModel]) -> dict[str, Any]:
    """Evaluates the field annotations of `cls` and its generated bases, each in its module."""
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        own = klass.__dict__.get("__annotations__", {})  # noqa: RUF063 (inspect is slow to import)
        if not own or klass.__module__.startswith(("pydantic", "kubetyped.model")):
            continue
        inject_references(klass)
        fields = {name: own[name] for name in own if name in cls.__pydantic_fields__}
        # The public evaluator, on an object holding only the fields' annotations: names resolve
        # in the module's namespace alone (no class attributes, no pydantic base annotations).
        try:
            hints.update(
                typing.get_type_hints(
                    types.SimpleNamespace(__annotations__=fields),
                    globalns=module_namespace(klass),
                    include_extras=True,
                )
            )
        except NameError:  # a user's class naming local classes: pydantic resolved them
            hints.update(_resolved_annotations(cls, fields))
    return hints


def _resolved_annotations(cls: type[KubeModel], names: Any) -> dict[str, Any]:
    """pydantic's evaluated annotations of ``names`` (complete classes), with their metadata."""
    hints: dict[str, Any] = {}
    for name in names:
        info = cls.__pydantic_fields__[name]
        annotation = info.annotation
        if isinstance(annotation, str | typing.ForwardRef):
            continue  # not resolved yet: decoded as plain JSON
        hints[name] = typing.Annotated[annotation, *info.metadata] if info.metadata else annotation
    return hints


def _strip_optional(annotation: Any) -> Any:
    if _is_union(annotation):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def _is_union(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin is typing.Union or origin is types.UnionType


def _is_model_list(annotation: Any) -> bool:
    annotation = _strip_optional(annotation)
    args = typing.get_args(annotation)
    return (
        typing.get_origin(annotation) is list
        and bool(args)
        and _model_class(_strip_optional(args[0])) is not None
    )


def _is_container(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (list, dict)


def _model_class(annotation: Any) -> type[KubeModel] | None:
    from kubetyped.model.base import KubeModel

    if isinstance(annotation, type) and issubclass(annotation, KubeModel):
        return annotation
    return None


def _decoder_for(
    annotation: Any,
) -> tuple[Decoder | LocatedDecoder | None, tuple[type[KubeModel], ...], bool]:
    """The field's decoder, the models it holds, and whether the decoder is located."""
    model = _model_class(annotation)
    if model is not None:
        return _model_decoder(model), (model,), True
    if isinstance(annotation, type) and issubclass(annotation, Time):
        return annotation.from_wire, (), False
    if annotation is Quantity:
        return _quantity, (), False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and args:
        item_model = _model_class(_strip_optional(args[0]))
        if item_model is not None:
            return _model_list_decoder(item_model), (item_model,), True
        inner_type = _strip_optional(args[0])
        inner, models, located = _decoder_for(inner_type)
        if inner is None:
            return None, models, False
        return _list_decoder(inner, _is_container(inner_type), located), models, True
    if origin is dict and len(args) == 2:
        inner_type = _strip_optional(args[1])
        inner, models, located = _decoder_for(inner_type)
        if inner is None:
            return None, models, False
        return _dict_decoder(inner, _is_container(inner_type), located), models, True
    return None, (), False


# Scalar fields of the trusted path: the JSON type is checked when the object is materialised
# (its first field read), so a server value that does not fit (``replicas: "three"``, a CRD
# field whose type changed) raises ModelDecodeError naming the field when that field is read,
# as Time fields do. Only fields that are scalars: maps and lists of scalars (labels, args)
# stay as decoded JSON (no copy per read).
CHECK_SCALARS = True


def _check_int(value: Any) -> Any:
    if type(value) is int:
        return value
    raise TypeError(f"expected an integer, got {_kind(value)}")


def _check_float(value: Any) -> Any:
    if type(value) is float or type(value) is int:
        return value
    raise TypeError(f"expected a number, got {_kind(value)}")


def _check_str(value: Any) -> Any:
    if type(value) is str:
        return value
    raise TypeError(f"expected a string, got {_kind(value)}")


def _check_bool(value: Any) -> Any:
    if type(value) is bool:
        return value
    raise TypeError(f"expected a boolean, got {_kind(value)}")


_SCALAR_DECODERS: dict[Any, Decoder] = {
    int: _check_int,
    float: _check_float,
    str: _check_str,
    bool: _check_bool,
}

#: the checking decoders whose accepted values are exactly one JSON type
_SCALAR_TYPES: dict[Any, type] = {_check_int: int, _check_str: str, _check_bool: bool}

_new_object = object.__new__


def _model_decoder(model: type[KubeModel]) -> LocatedDecoder:
    set_raw = _raw_descriptor(model).__set__
    set_location = _location_descriptor().__set__

    def decode(value: Any, location: Location) -> Any:
        if type(value) is not dict and not is_raw(value):
            if isinstance(value, _kube_model()):
                return value
            raise TypeError(f"expected a JSON object ({model.__name__}), got {_kind(value)}")
        instance = _new_object(model)
        set_raw(instance, value)
        set_location(instance, location)
        return instance

    return decode


def _kube_model() -> type:
    from kubetyped.model.base import KubeModel

    return KubeModel


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _raw_descriptor(model: type[KubeModel]) -> Any:
    """The `__kube_raw__` slot of KubeModel (every generated model inherits it)."""
    from kubetyped.model.base import RAW_SLOT, KubeModel

    return KubeModel.__dict__[RAW_SLOT]


def _location_descriptor() -> Any:
    """The slot a lazily decoded model keeps its `Location` in until it is materialised:
    pydantic's `__pydantic_private__`, unused until then (so no memory per instance)."""
    from pydantic import BaseModel

    return BaseModel.__dict__["__pydantic_private__"]


def _list_decoder(inner: Any, nested: bool, located: bool) -> LocatedDecoder:
    def decode(value: Any, location: Location) -> Any:
        if type(value) is not list:
            return value
        items: list[Any] = []
        for i, item in enumerate(value):
            try:
                if item is None:
                    items.append(item)
                else:
                    items.append(inner(item, f"{location}[{i}]") if located else inner(item))
            except Exception as exc:
                raise item_error(i, exc) from None
        result = WireList(items)
        if nested:
            own_items(result, result)
        return result

    return decode


def _model_list_decoder(model: type[KubeModel]) -> LocatedDecoder:
    """Lists of models, the commonest nested shape, without a call per item."""
    set_raw = _raw_descriptor(model).__set__
    set_location = _location_descriptor().__set__

    def decode(value: Any, location: Location) -> Any:
        if type(value) is not list:
            raise TypeError(f"expected a JSON list of {model.__name__}, got {_kind(value)}")
        items = []
        for i, item in enumerate(value):
            if type(item) is dict or is_raw(item):
                instance = _new_object(model)
                set_raw(instance, item)
                set_location(instance, f"{location}[{i}]")
                items.append(instance)
            else:
                raise ItemDecodeError(
                    (i,), TypeError(f"expected a JSON object ({model.__name__}), got {_kind(item)}")
                )
        return WireList(items)

    return decode


def _dict_decoder(inner: Any, nested: bool, located: bool) -> LocatedDecoder:
    def decode(value: Any, location: Location) -> Any:
        if type(value) is not dict:
            return value
        items: dict[str, Any] = {}
        for key, item in value.items():
            if item is None:
                items[key] = item
                continue
            try:
                items[key] = inner(item, child(location, key)) if located else inner(item)
            except Exception as exc:
                raise item_error(key, exc) from None
        result = WireDict(items)
        if nested:
            own_items(result, result.values())
        return result

    return decode


#: Quantities decoded so far, shared: a cluster's objects repeat a few values ("100m",
#: "128Mi") and a Quantity cannot change. Bounded; values past the bound are not shared.
_QUANTITIES: dict[str, Quantity] = {}
_QUANTITIES_MAX = 4096


def _quantity(value: Any) -> Any:
    if type(value) is str:
        shared = _QUANTITIES.get(value)
        if shared is None:
            shared = Quantity(value)
            if len(_QUANTITIES) < _QUANTITIES_MAX:
                _QUANTITIES[value] = shared
        return shared
    if isinstance(value, str):
        return Quantity(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Quantity(str(value))
    return value


_PLAIN = (str, int, float, bool, type(None))


def encode_value(value: Any, *, micro_time: bool = False) -> Any:
    """Turns a model value back into JSON-ready data (models, lists, dicts, times)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    to_raw = getattr(value, "_to_raw", None)
    if to_raw is not None:
        return to_raw()
    if kind is list or isinstance(value, list | tuple):
        return [encode_value(item, micro_time=micro_time) for item in value]
    if kind is dict or isinstance(value, dict):
        return {key: encode_value(item, micro_time=micro_time) for key, item in value.items()}
    if isinstance(value, datetime):
        return format_time(value, micro=micro_time or isinstance(value, MicroTime))
    if isinstance(value, str):
        return value
    return value
