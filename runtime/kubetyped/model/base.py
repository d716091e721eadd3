"""`KubeModel`: the pydantic base class of every generated Kubernetes model.

Two ways in:
- `Model(...)` / `Model.model_validate(...)`: full pydantic validation, for objects users build.
- `Model.from_raw(dict)` / `Model.from_json(bytes)`: the trusted decode path for server
  responses. It wraps the decoded JSON without validating it and materialises a field (and
  builds nested models) only when it is first read, so decoding a large list costs little
  more than `orjson.loads`.

Both kinds serialise back to exactly the JSON they came from (`to_dict`, `to_json`): no
injected nulls or defaults, and fields unknown to the model are kept and sent back.

Encoding: a decoded instance keeps its decoded JSON after materialising (`__kube_src__`) with
nested models and decoded containers put in place of their JSON, and every assignment writes
through to it. `to_json` is then one `orjson.dumps` of that structure, with a `default` hook
that writes each nested model's own structure. A read-only walk costs nothing to encode, and
the output keeps the input's key order. A model built by validation gets the same kind of wire
form when it is validated (`model_post_init`: its set fields under their wire names, in
declaration order, sharing its nested models' wire forms, then unknown fields), so its first
`to_json` is one `orjson.dumps` too: a walk of the finished tree in Python at the first encode
costs several times more. Its class's `WirePlan` for that set of fields reads the values with
one `itemgetter` call; only models, lists of models and times take a Python step. What
validation keeps per model is kept small to pay for it (the garbage collector's scans are most
of the cost of validating a large tree): one fields-set shared by the instances with the same
set fields (`SharedFieldsSet`, copied before a change) and no empty dict of unknown fields.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

import orjson
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

from kubetyped.model import jsonio, nested
from kubetyped.model.jsonio import ModelDecodeError

if TYPE_CHECKING:
    from msgspec import Raw
from kubetyped.model.plan import (
    ClassPlan,
    ItemDecodeError,
    Location,
    WirePlan,
    build_plan,
    child,
    encode_value,
)
from kubetyped.model.scalars import MicroTime, format_time
from kubetyped.model.strict import (
    strict_construction_enabled,
    unknown_attribute_message,
    unknown_fields_error,
)
from kubetyped.model.tracked import (
    SharedFieldsSet,
    TrackedExtra,
    TrackedFieldsSet,
    WireDict,
    WireList,
    set_dict_wire_key,
    set_dict_wire_owner,
    set_wire_key,
    set_wire_owner,
)

__all__ = ["KubeModel"]

RAW_SLOT = "__kube_raw__"
SRC_SLOT = "__kube_src__"
_DECODE_ERRORS = "__kube_decode_errors__"
_object_setattr = object.__setattr__
_object_getattribute = object.__getattribute__
_new_object = object.__new__


class KubeModel(BaseModel):
    """Base of generated models: snake_case attributes with wire-name aliases."""

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        defer_build=True,
        protected_namespaces=(),
        revalidate_instances="never",
        use_attribute_docstrings=False,
    )

    # A lazily decoded instance holds the decoded JSON here and nothing else: no `__dict__`
    # and no pydantic slots until a field is read. Fewer objects, less GC work.
    # Declared outside the class annotations: type checkers (pydantic's `dataclass_transform`)
    # would otherwise take it for a required constructor argument.
    # After materialising, `__kube_src__` holds the wire form (see the module docstring); None
    # for instances built by validation or copied, which are encoded from their fields.
    # (the slots are hidden from type checkers, which read them as the properties' objects)
    if not TYPE_CHECKING:
        __slots__ = ("__kube_raw__", "__kube_src__")
    else:

        @property
        def __kube_raw__(self) -> dict[str, Any] | Raw | None: ...

        @property
        def __kube_src__(self) -> dict[str, Any] | None: ...

    __kube_plan__: ClassVar[ClassPlan | None] = None
    __kube_namespace__: ClassVar[dict[str, Any] | None] = None

    def model_post_init(self, context: Any, /) -> None:
        """After pydantic's validation: not lazy; unknown fields refused in
        `strict_construction()` (`pydantic.ValidationError`); the wire form is built and the
        fields-set shared (`WirePlan`)."""
        _set_raw(self, None)
        extra = self.__pydantic_extra__
        if extra:
            if strict_construction_enabled():
                raise unknown_fields_error(type(self), extra)
        else:  # no unknown fields: no dict until one is added (as for decoded instances)
            _set_extra(self, None)
        # Nested models are validated (and post-initialised) first: each level adds one dict of
        # its set fields, sharing its children's. `to_json` is then one `orjson.dumps`.
        cls = type(self)
        plan = cls.__kube_plan__ or cls._plan()
        fields_set = self.__pydantic_fields_set__
        wire = plan.wire_plans.get(frozenset(fields_set)) or plan.wire_plan(fields_set)
        _set_fields_set(self, wire.fields_set)
        values: Any = self.__dict__  # (pyright takes it for a class's mapping proxy)
        try:
            src = wire.wire_form(self, values, True)
        except KeyError:  # (a field of `model_construct`'s fields-set without a value)
            src = _wire_form(self, wire, values, track_lists=True)
        _set_src(self, src)

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Self:
        """Wraps decoded JSON without validating it (trusted server data); lazy.

        ``raw`` is kept, not copied: reads never change it, but assignments to the model (and
        changes to the lists and dicts it returns) write through into it, so that ``to_json``
        is one ``orjson.dumps`` of the kept form. Pass a copy to keep the original untouched.
        Returns the model; nothing is validated or raised here (fields that do not fit raise
        ``ModelDecodeError`` when read).
        """
        instance = _new_object(cls)
        _set_raw(instance, raw)
        _set_private(instance, "")  # its location: the document root (see `locate`)
        return instance

    @classmethod
    def from_unparsed(cls, data: bytes | Raw) -> Self:
        """Wraps one object's JSON without parsing it (trusted server data); parsed on first read.

        For caches that hold many objects nobody may read (informers): the JSON is the only
        per-object allocation until then. ``data`` must be one JSON object; it is not checked."""
        import msgspec

        instance = _new_object(cls)
        _set_raw(instance, data if type(data) is msgspec.Raw else msgspec.Raw(data))
        _set_private(instance, "")
        return instance

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """Decodes JSON from the server (trusted, lazy). Use `model_validate_json` to validate.

        The items of a list object are not even parsed until they are read.
        """
        if cls._plan().lazy_items:
            return cls.from_raw(jsonio.loads_list_object(data, cls.__name__))
        return cls.from_raw(jsonio.loads_object(data, cls.__name__))

    # ---- serialisation ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The wire form (aliases, no unset fields), as a fresh structure."""
        result: dict[str, Any] = orjson.loads(self.to_json())
        return result

    def to_json(self) -> bytes:
        """The wire form as compact JSON bytes (the input's bytes for an object never read)."""
        raw = self.__kube_raw__
        if raw is not None and jsonio.is_raw(raw):  # never read: the bytes as they came
            return bytes(raw)  # type: ignore[arg-type]
        return orjson.dumps(self, default=_encode_default)

    def _to_raw(self) -> dict[str, Any]:
        """The wire form as plain JSON data. For an object never read: the decoded input itself
        (it may hold unparsed list items, which `jsonio.dumps` writes through); do not mutate."""
        raw = self.raw_view()
        if raw is not None:
            return raw
        return self.to_dict()

    def _wire(self) -> Any:
        """This instance's wire form for `orjson.dumps(..., default=_encode_default)`."""
        raw = self.__kube_raw__
        if raw is not None:
            return raw if type(raw) is dict else orjson.Fragment(bytes(raw))  # type: ignore[arg-type]
        src = self.__kube_src__
        return self._own_wire_form() if src is None else src

    def _own_wire_form(self) -> dict[str, Any]:
        """Gives an instance built from its fields without one (a copy) its wire form, which
        assignments keep current from then on, as for a decoded instance."""
        src = _wire_form_from_fields(self, track_lists=True)
        _set_src(self, src)
        return src

    def _write_through(self, name: str, value: Any) -> None:
        """Keeps `__kube_src__` equal to the wire form after assigning `name`."""
        src = self.__kube_src__
        if src is None or name.startswith("_"):
            return
        field = (type(self).__kube_plan__ or type(self)._plan()).by_python.get(name)
        if field is None:  # an unknown field kept from the input
            src[name] = value
        else:
            src[field.wire_name] = _wire_value(value, field.micro_time)

    def _resync_src(self) -> None:
        """Rebuilds `__kube_src__` in place (parents share it) from the fields, after a change
        that bypassed `__setattr__` (to the fields-set or unknown-fields container)."""
        src = self.__kube_src__
        if src is not None:
            fresh = _wire_form_from_fields(self, track_lists=False)
            src.clear()
            src.update(fresh)

    # ---- laziness -----------------------------------------------------------------------

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.__kube_plan__ = None  # each class builds its own plan on first use
        cls.__kube_namespace__ = vars(sys.modules[cls.__module__])

    @classmethod
    def _plan(cls) -> ClassPlan:
        plan = cls.__kube_plan__
        if plan is None:
            plan = build_plan(cls)
            cls.__kube_plan__ = plan
        return plan

    def raw_view(self) -> dict[str, Any] | None:
        """The decoded JSON behind an instance no field of which was read yet, else None.

        Read-only: lets caches read `metadata` without materialising the object.
        """
        raw = self.__kube_raw__
        if raw is None or isinstance(raw, dict):
            return raw
        parsed: Any = jsonio.parse(raw)  # an unparsed list item
        if type(parsed) is not dict:
            path = _location(self)
            raise ModelDecodeError(
                f"{path or '(root)'}: expected a JSON object ({type(self).__name__}), "
                f"got {_json_type(parsed)}",
                path=path,
            )
        _set_raw(self, parsed)
        result: dict[str, Any] = parsed
        return result

    def _parse_for_read(self, raw: Any, plan: ClassPlan) -> dict[str, Any]:
        """Unparsed JSON about to be materialised: a top-level object (a list item, a cached
        object) is parsed one level, its nested objects (metadata, spec, status) when read."""
        if not plan.split:
            result = self.raw_view()
            assert result is not None
            return result
        parsed = jsonio.parse_split(raw, plan.split)
        if type(parsed) is not dict:
            path = _location(self)
            raise ModelDecodeError(
                f"{path or '(root)'}: expected a JSON object ({type(self).__name__}), "
                f"got {_json_type(parsed)}",
                path=path,
            )
        return parsed

    def unparsed_json(self) -> memoryview | None:
        """The JSON bytes behind an instance not parsed yet (see `from_unparsed`), else None.

        Read-only, and it parses nothing: caches read keys and metadata from it without
        keeping a parsed copy."""
        raw = self.__kube_raw__
        if raw is None or isinstance(raw, dict):
            return None
        return memoryview(raw)

    def _materialize(self) -> None:
        raw: Any = self.__kube_raw__
        if raw is None:
            return
        try:  # the location a lazy instance keeps in the private slot (see `locate`)
            location: str = _get_private(self)
        except AttributeError:
            location = ""
        plan = type(self).__kube_plan__ or type(self)._plan()
        if type(raw) is not dict:  # unparsed JSON (a list item, a cached object)
            raw = self._parse_for_read(raw, plan)
        plain = plan.plain
        scalars = plan.scalars
        decoders = plan.decoders
        split = plan.split
        values = plan.template.copy()
        extra: dict[str, Any] | None = None
        errors: dict[str, tuple[str, Any, ModelDecodeError]] | None = None
        for key, value in raw.items():
            name = plain.get(key)
            if name is not None:  # kept as decoded JSON
                values[name] = value
                continue
            scalar = scalars.get(key)
            if scalar is not None and (type(value) is scalar[1] or value is None):
                values[scalar[0]] = value  # of its JSON type: no decoder call
                continue
            entry = decoders.get(key)
            if entry is None:
                if extra is None:
                    extra = {}
                extra[key] = value
                continue
            name, decode, in_place, located = entry
            if value is None:
                values[name] = value
                continue
            try:
                decoded = values[name] = (
                    decode(value, f"{location}.{key}" if location else key)
                    if located
                    else decode(value)
                )
                if split and key in split:
                    if jsonio.is_raw(value):  # unparsed: the model goes in the wire form (once
                        raw[key] = decoded  # parsed, it has its own dict)
                elif in_place:  # a decoded container: it puts itself in the wire form if changed
                    kind = type(decoded)
                    if kind is WireList:
                        _set_list_owner(decoded, raw)
                        _set_list_key(decoded, key)
                        if value and jsonio.is_raw(value[0]):  # unparsed list items (our own
                            raw[key] = decoded  # JSON): the items, once parsed, are written
                    elif kind is WireDict:
                        _set_dict_owner(decoded, raw)
                        _set_dict_key(decoded, key)
            except Exception as exc:  # one bad field: the others stay readable
                del values[name]
                if errors is None:
                    errors = {}
                errors[name] = (key, value, _decode_error(type(self), location, key, exc))
        _set_dict(self, values)
        # `__pydantic_fields_set__` is left unset: `__getattr__` derives it from the wire form
        _set_extra(self, extra)  # None until an unknown key exists
        _set_private(self, None if errors is None else {_DECODE_ERRORS: errors})
        _set_src(self, raw)
        _set_raw(self, None)

    def _decode_errors(self) -> dict[str, tuple[str, Any, ModelDecodeError]]:
        try:
            private = _object_getattribute(self, "__pydantic_private__")
        except AttributeError:  # never materialised
            return {}
        if type(private) is not dict:  # None, or the location of a lazy instance
            return {}
        return private.get(_DECODE_ERRORS) or {}

    def _raise_decode_errors(self) -> None:
        for _, _, error in self._decode_errors().values():
            raise error

    def _prepare_dump(self) -> None:
        """Before pydantic's serializer reads this instance's fields: materialised, decode
        errors raised (`ModelDecodeError`), own fields-set and extra dict."""
        self._materialize()
        self._raise_decode_errors()
        _thaw_fields_set(self)

    def _materialize_deep(self) -> None:
        self._prepare_dump()
        for value in self.__dict__.values():
            _materialize_value(value)
        if self.__pydantic_extra__:
            for value in self.__pydantic_extra__.values():
                _materialize_value(value)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name in (RAW_SLOT, SRC_SLOT):  # made without pydantic's init (copies)
                _object_setattr(self, name, None)
                return None
            if self.__kube_raw__ is not None:
                self._materialize()
                try:
                    return _object_getattribute(self, name)
                except AttributeError:
                    pass
            if name == "__pydantic_fields_set__":  # materialised: the fields its JSON holds
                src = self.__kube_src__
                fields_set: Any = (
                    set()
                    if src is None
                    else (type(self).__kube_plan__ or self._plan()).fields_set(src)
                )
                _set_fields_set(self, fields_set)
                return fields_set
            failed = self._decode_errors().get(name)
            if failed is not None:
                raise failed[2]
            return super().__getattr__(name)

        # Hidden from type checkers: a `__setattr__` would make them accept any attribute name.
        def __setattr__(self, name: str, value: Any) -> None:
            self._materialize()
            _thaw_fields_set(self)
            if name not in type(self).__pydantic_fields__ and not _settable_extra(self, name):
                raise AttributeError(unknown_attribute_message(type(self), name))
            super().__setattr__(name, value)
            self._decode_errors().pop(name, None)
            self._write_through(name, value)

        def __delattr__(self, name: str) -> None:
            self._materialize()
            _thaw_fields_set(self)
            super().__delattr__(name)
            self._resync_src()

    def __copy__(self) -> Self:
        self._materialize()
        copied = super().__copy__()
        _settle_copy(copied)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        self._materialize()
        copied = super().__deepcopy__(memo)
        _settle_copy(copied)
        return copied

    def __getstate__(self) -> dict[Any, Any]:
        self._materialize()
        return super().__getstate__()

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        _settle_copy(self)

    def __iter__(self) -> Any:
        self._materialize()
        return super().__iter__()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KubeModel):
            return NotImplemented
        if type(self) is not type(other):
            return False
        mine, theirs = self._to_raw(), other._to_raw()
        # Unparsed list items only compare equal to themselves: compare parsed forms then.
        return mine == theirs or orjson.loads(jsonio.dumps(mine)) == orjson.loads(
            jsonio.dumps(theirs)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr_args__(self) -> Any:
        """The fields that are set (from the input or by assignment), then unknown fields;
        fields at their default are left out (a Pod has ~200 of them)."""
        self._materialize()
        fields_set = self.__pydantic_fields_set__
        values = self.__dict__
        failed = self._decode_errors()
        secret = _is_secret(type(self))
        for name in type(self).__pydantic_fields__:
            if name in failed:  # shown as what is wrong with it, never its value
                yield name, _Undecodable(failed[name][2])
            elif name in fields_set:
                value = values.get(name)
                if secret and name in _SECRET_FIELDS and value is not None:
                    # the keys, never the values; a value of another shape not at all
                    value = (
                        dict.fromkeys(value, "<redacted>")
                        if isinstance(value, dict)
                        else "<redacted>"
                    )
                elif name in _CREDENTIAL_FIELDS and isinstance(value, str):
                    value = "<redacted>"
                yield name, value
        if self.__pydantic_extra__:
            yield from self.__pydantic_extra__.items()

    @property
    def model_fields_set(self) -> set[str]:
        """pydantic's: the fields set by the input or by assignment (changes write through)."""
        self._materialize()
        _thaw_fields_set(self)
        fields_set = self.__pydantic_fields_set__
        if type(fields_set) is not TrackedFieldsSet:  # the caller may change it: write through
            fields_set = TrackedFieldsSet(fields_set)
            fields_set.owner = self
            _set_fields_set(self, fields_set)
        return fields_set

    @property
    def model_extra(self) -> dict[str, Any] | None:
        """pydantic's: the fields the model does not declare, kept from the input."""
        self._materialize()
        _thaw_fields_set(self)
        extra = self.__pydantic_extra__
        if type(extra) is not TrackedExtra:  # the caller may change it: write through
            extra = TrackedExtra(extra or ())
            extra.owner = self
            _set_extra(self, extra)
        return extra

    def model_dump(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """pydantic's dump (wire names unless `by_alias=False`); `to_dict` gives the wire form."""
        self._materialize_deep()
        return super().model_dump(*args, **kwargs)

    def model_dump_json(self, *args: Any, **kwargs: Any) -> str:
        """pydantic's JSON dump; `to_json` gives the wire form as bytes."""
        self._materialize_deep()
        return super().model_dump_json(*args, **kwargs)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /
    ) -> CoreSchema:
        """The full schema for the class being built; nested models are built lazily
        (`kubetyped.model.nested`). pydantic's serializer reads an instance's fields directly,
        so the schema's serializer first materialises the instance: a lazily decoded model
        held by a user's own pydantic model dumps its fields, not nothing."""
        schema = nested.model_schema(cls, source, handler)
        if schema["type"] != "model" or "serialization" in schema:
            return schema
        prepared = dict(schema)
        prepared["serialization"] = core_schema.wrap_serializer_function_ser_schema(
            _serialize_prepared
        )
        return cast(CoreSchema, prepared)

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        """pydantic's rebuild, after binding the modules the annotations refer to."""
        nested.bind_references(cls)
        return super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth,
            _types_namespace=_types_namespace,
        )


# Slot setters (C descriptors): faster than object.__setattr__ on the decode path.
_set_raw = KubeModel.__dict__[RAW_SLOT].__set__
_set_src = KubeModel.__dict__[SRC_SLOT].__set__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_list_owner, _set_list_key = set_wire_owner, set_wire_key
_set_dict_owner, _set_dict_key = set_dict_wire_owner, set_dict_wire_key


_raw_slot_get = KubeModel.__dict__[RAW_SLOT].__get__
_src_slot_get = KubeModel.__dict__[SRC_SLOT].__get__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_get_private = BaseModel.__dict__["__pydantic_private__"].__get__


def _location(model: KubeModel) -> Location:
    """Where a lazily decoded instance sits in the JSON it came from ("": the root, or not
    known); kept in the private slot until the instance is materialised."""
    try:
        private = _object_getattribute(model, "__pydantic_private__")
    except AttributeError:
        return ""
    return private if type(private) is str else ""


def locate(model: KubeModel, *keys: str | int) -> None:
    """Records that the lazily decoded ``model`` sits at ``keys`` of the document it came
    from (``"object"`` of a watch event, ``"items", 3`` of a list page), so decode errors
    name the full JSON path. No effect on a materialised instance."""
    if model.__kube_raw__ is None:
        return
    location: Location = ""
    for key in keys:
        location = child(location, key)
    _set_private(model, location)


def _decode_error(
    model: type[KubeModel], location: Location, key: str, exc: BaseException
) -> ModelDecodeError:
    """The typed error of field ``key`` that could not be decoded, with its full JSON path."""
    field = f"{model.__name__}.{key}"
    location = child(location, key)
    if isinstance(exc, ItemDecodeError):
        for item in exc.keys:
            location = child(location, item)
        exc = exc.cause
    return ModelDecodeError(f"{location}: {exc} ({field})", path=location)


def _wire_value(value: Any, micro_time: bool) -> Any:
    """A field value as the wire form holds it: times formatted, models as their shared wire
    dicts when they have one, anything else as it is (containers are shared, not copied)."""
    if isinstance(value, KubeModel):
        try:
            raw = _raw_slot_get(value)
            if raw is None:
                src = _src_slot_get(value)
                return value._own_wire_form() if src is None else src
        except AttributeError:  # made without pydantic's init: give it its slots
            _set_raw(value, None)
            _set_src(value, None)
            return value._own_wire_form()
        return raw if type(raw) is dict else value
    if isinstance(value, datetime):
        return format_time(value, micro=micro_time or isinstance(value, MicroTime))
    if micro_time and isinstance(value, list | dict):
        return encode_value(value, micro_time=True)
    return value


_LISTS = (list, WireList)
_src_of = _src_slot_get  # the kept wire form of a validated model (TypeError: not a model)


def _wire_form_from_fields(model: KubeModel, *, track_lists: bool) -> dict[str, Any]:
    """``model``'s wire form from its fields (`_wire_form`), then the values that failed to
    decode (as they came): for a copy, or after a change to the fields-set or unknown fields."""
    plan = type(model).__kube_plan__ or type(model)._plan()
    src = _wire_form(
        model,
        plan.wire_plan(model.__pydantic_fields_set__),
        model.__dict__,
        track_lists=track_lists,
    )
    for wire_name, value, _ in model._decode_errors().values():
        src[wire_name] = value
    return src


def _wire_form(
    model: KubeModel, wire: WirePlan, values: Any, *, track_lists: bool
) -> dict[str, Any]:
    """The wire form of ``model`` (whose set fields ``wire`` plans) from its field ``values``:
    set fields under their wire names in declaration order, then unknown fields. Nested models
    appear as their own wire dicts (shared, so their changes show here); with ``track_lists``,
    lists of models as lists of their wire dicts (no encoder hook per item) behind a `WireList`
    field value that puts itself in when changed."""
    try:
        return wire.wire_form(model, values, track_lists)
    except KeyError:  # a field deleted after it was set: the plan of the fields still there
        plan = type(model).__kube_plan__ or type(model)._plan()
        present = plan.wire_plan(frozenset(n for n in wire.python_names if n in values))
        return present.wire_form(model, values, track_lists)


def _model_list_field(
    model: KubeModel,
    python_name: str,
    wire_name: str,
    value: Any,
    src: dict[str, Any],
    track_lists: bool,
) -> Any:
    """The wire form of a list-of-models field (see `_wire_form`)."""
    if not track_lists or type(value) not in _LISTS:
        return _wire_value(value, False)
    try:
        dicts: list[Any] | None = list(map(_src_of, value))
    except (AttributeError, TypeError):
        dicts = None
    if dicts is None or None in dicts:  # not all validated models: item by item
        return _model_list_wire(model, python_name, wire_name, value, src)
    tracked = WireList(value)
    _set_list_owner(tracked, src)
    _set_list_key(tracked, wire_name)
    vars(model)[python_name] = tracked
    return dicts


def _model_list_wire(
    model: KubeModel, python_name: str, wire_name: str, items: list[Any], src: dict[str, Any]
) -> list[Any]:
    """The wire form of a list-of-models field: the items' wire dicts. The field then holds a
    `WireList` that puts itself (the models) in ``src`` when changed. Items that are not all
    models with a wire dict: the list itself (the encoder's hook writes them)."""
    dicts = []
    for item in items:
        item_wire = _wire_value(item, False)
        if type(item_wire) is not dict:
            return items
        dicts.append(item_wire)
    tracked = WireList(items)
    _set_list_owner(tracked, src)
    _set_list_key(tracked, wire_name)
    vars(model)[python_name] = tracked
    return dicts


#: the names the compiled `WirePlan.wire_form` functions call (`plan._wire_form_function`)
WIRE_FORM_HELPERS: dict[str, Any] = {
    "src_of": _src_of,
    "wire_value": _wire_value,
    "model_list": _model_list_field,
}


def _settle_copy(copied: KubeModel) -> None:
    """A copy gets plain containers (not the original's write-through ones) and its own wire
    form."""
    _object_setattr(copied, "__pydantic_fields_set__", set(copied.__pydantic_fields_set__))
    _object_setattr(copied, "__pydantic_extra__", dict(copied.__pydantic_extra__ or ()))
    _set_raw(copied, None)
    _set_src(copied, None)


def _encode_default(value: Any) -> Any:
    """orjson's `default`: nested models, unparsed list items and times."""
    if isinstance(value, KubeModel):
        try:
            raw = _raw_slot_get(value)
            if raw is None:  # materialised: its wire form, else its fields
                src = _src_slot_get(value)
                return value._wire() if src is None else src
        except AttributeError:  # made without pydantic's init (copies)
            return value._wire()
        return raw if type(raw) is dict else orjson.Fragment(bytes(raw))
    if isinstance(value, datetime):
        return format_time(value, micro=isinstance(value, MicroTime))
    if jsonio.is_raw(value):
        return orjson.Fragment(bytes(value))
    if isinstance(value, set | frozenset):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__} as JSON")


def _json_type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


class _Undecodable:
    """In a repr, a field whose JSON did not decode: what is wrong with it, not its value."""

    __slots__ = ("error",)

    def __init__(self, error: ModelDecodeError) -> None:
        self.error = error

    def __repr__(self) -> str:
        return f"<undecodable: {self.error}>"


def _serialize_prepared(value: Any, handler: core_schema.SerializerFunctionWrapHandler) -> Any:
    """pydantic's own serializer of a model, after `KubeModel._prepare_dump`."""
    if isinstance(value, KubeModel):
        value._prepare_dump()
    return handler(value)


def _thaw_fields_set(model: BaseModel) -> None:
    """Validated and materialised instances share their fields-sets (`SharedFieldsSet`), and
    materialised ones have no extra dict until needed; pydantic's own code paths change the
    instance's own set and dict."""
    fields_set: Any = model.__pydantic_fields_set__
    if type(fields_set) is SharedFieldsSet:
        _object_setattr(model, "__pydantic_fields_set__", set(fields_set))
    if model.__pydantic_extra__ is None:
        _object_setattr(model, "__pydantic_extra__", {})


_SECRET_FIELDS = frozenset({"data", "string_data"})
# String fields that carry a credential in any model: authentication/v1 TokenRequestStatus.token
# and TokenReviewSpec.token (a service-account or user bearer token), and CRDs' fields so named.
_CREDENTIAL_FIELDS = frozenset({"token"})


def _is_secret(cls: type[KubeModel]) -> bool:
    """core/v1 Secret: its values never appear in a repr (project rule)."""
    return getattr(cls, "kube_kind", None) == "Secret" and getattr(cls, "kube_group", None) == ""


def _settable_extra(model: BaseModel, name: str) -> bool:
    """Private attributes, and unknown fields the model already holds (kept from the input)."""
    if name.startswith("_"):
        return True
    extra = model.__pydantic_extra__
    return extra is not None and name in extra


def _materialize_value(value: Any) -> None:
    if isinstance(value, KubeModel):
        value._materialize_deep()
    elif isinstance(value, list):
        for item in value:
            _materialize_value(item)
    elif isinstance(value, dict):
        for item in value.values():
            _materialize_value(item)
