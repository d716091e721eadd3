"""`KubeModel`: the pydantic base class of every generated Kubernetes model.

Two ways in:
- `Model(...)` / `Model.model_validate(...)`: full pydantic validation, for objects users build.
- `Model.from_raw(dict)` / `Model.from_json(bytes)`: the trusted decode path for server
  responses. It wraps the decoded JSON without validating it and materialises a field (and
  builds nested models) only when it is first read, so decoding a large list costs little
  more than `orjson.loads`.

Both kinds serialise back to exactly the JSON they came from (`to_dict`, `to_json`): no
injected nulls or defaults, and fields unknown to the model are kept and sent back.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, ClassVar, Self

import orjson
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import CoreSchema

from kubetyped.model import jsonio, nested
from kubetyped.model.jsonio import ModelDecodeError

if TYPE_CHECKING:
    from msgspec import Raw
from kubetyped.model.plan import (
    ClassPlan,
    ItemDecodeError,
    Location,
    build_plan,
    child,
    encode_value,
    json_path,
)
from kubetyped.model.strict import (
    strict_construction_enabled,
    unknown_attribute_message,
    unknown_fields_error,
)

RAW_SLOT = "__kube_raw__"
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
    __slots__ = ("__kube_raw__",)
    if TYPE_CHECKING:

        @property
        def __kube_raw__(self) -> dict[str, Any] | Raw | None: ...

    __kube_plan__: ClassVar[ClassPlan | None] = None
    __kube_namespace__: ClassVar[dict[str, Any] | None] = None

    def model_post_init(self, context: Any, /) -> None:
        """After pydantic's validation: not lazy; unknown fields refused in
        `strict_construction()` (`pydantic.ValidationError`)."""
        _object_setattr(self, RAW_SLOT, None)
        if self.__pydantic_extra__ and strict_construction_enabled():
            raise unknown_fields_error(type(self), self.__pydantic_extra__)

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Self:
        """Wraps decoded JSON without validating it (trusted server data); lazy."""
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
        result: dict[str, Any] = orjson.loads(jsonio.dumps(self._to_raw()))
        return result

    def to_json(self) -> bytes:
        """The wire form as compact JSON bytes."""
        raw = self.__kube_raw__
        if raw is not None and jsonio.is_raw(raw):  # never read: the bytes as they came
            return bytes(raw)  # type: ignore[arg-type]
        return jsonio.dumps(self._to_raw())

    def _to_raw(self) -> dict[str, Any]:
        """The wire form; may share structure with the decoded input (and hold unparsed list
        items, which `jsonio.dumps` writes through). Do not mutate."""
        raw = self.raw_view()
        if raw is not None:
            return raw
        plan = type(self)._plan()
        values = self.__dict__
        fields_set = self.__pydantic_fields_set__
        result: dict[str, Any] = {}
        for python_name, value in values.items():
            if python_name not in fields_set:
                continue
            field = plan.by_python.get(python_name)
            if field is None:
                result[python_name] = encode_value(value)
            else:
                result[field.wire_name] = encode_value(value, micro_time=field.micro_time)
        extra = self.__pydantic_extra__
        if extra:
            for key, value in extra.items():
                result[key] = encode_value(value)
        for wire_name, value, _ in self._decode_errors().values():
            result[wire_name] = value  # written back as it came
        return result

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
            path = json_path(_location(self))
            raise ModelDecodeError(
                f"{path or '(root)'}: expected a JSON object ({type(self).__name__}), "
                f"got {_json_type(parsed)}",
                path=path,
            )
        _set_raw(self, parsed)
        result: dict[str, Any] = parsed
        return result

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
        if type(raw) is not dict:  # an unparsed list item
            raw = self.raw_view()
        plan = type(self).__kube_plan__ or type(self)._plan()
        decoders = plan.decoders
        values = plan.template.copy()
        extra: dict[str, Any] | None = None
        errors: dict[str, tuple[str, Any, ModelDecodeError]] | None = None
        for key, value in raw.items():
            entry = decoders.get(key)
            if entry is None:
                if extra is None:
                    extra = {}
                extra[key] = value
                continue
            name, decode, located = entry
            if decode is None or value is None:
                values[name] = value
                continue
            try:
                values[name] = (
                    decode(value, f"{location}.{key}" if location else key)
                    if located
                    else decode(value)
                )
            except Exception as exc:  # one bad field: the others stay readable
                del values[name]
                if errors is None:
                    errors = {}
                errors[name] = (key, value, _decode_error(type(self), location, key, exc))
        _object_setattr(self, "__dict__", values)
        _set_fields_set(self, plan.fields_set(raw))
        _set_extra(self, extra)  # None until an unknown key exists
        _set_private(self, None if errors is None else {_DECODE_ERRORS: errors})
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

    def _materialize_deep(self) -> None:
        self._materialize()
        self._raise_decode_errors()
        _thaw_fields_set(self)
        for value in self.__dict__.values():
            _materialize_value(value)
        if self.__pydantic_extra__:
            for value in self.__pydantic_extra__.values():
                _materialize_value(value)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name == RAW_SLOT:  # an instance made without pydantic's init or from_raw
                _object_setattr(self, RAW_SLOT, None)
                return None
            if self.__kube_raw__ is not None:
                self._materialize()
                try:
                    return _object_getattribute(self, name)
                except AttributeError:
                    pass
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

        def __delattr__(self, name: str) -> None:
            self._materialize()
            _thaw_fields_set(self)
            super().__delattr__(name)

    def __copy__(self) -> Self:
        self._materialize()
        copied = super().__copy__()
        _thaw_fields_set(copied)
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        self._materialize()
        copied = super().__deepcopy__(memo)
        _thaw_fields_set(copied)
        return copied

    def __getstate__(self) -> dict[Any, Any]:
        self._materialize()
        return super().__getstate__()

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
        secret = _is_secret(type(self))
        for name in type(self).__pydantic_fields__:
            if name in fields_set:
                value = values.get(name)
                if secret and name in _SECRET_FIELDS and isinstance(value, dict):
                    value = dict.fromkeys(value, "<redacted>")  # the keys, never the values
                yield name, value
        if self.__pydantic_extra__:
            yield from self.__pydantic_extra__.items()

    @property
    def model_fields_set(self) -> set[str]:
        """pydantic's: the fields set by the input or by assignment."""
        self._materialize()
        _thaw_fields_set(self)
        return self.__pydantic_fields_set__

    @property
    def model_extra(self) -> dict[str, Any] | None:
        """pydantic's: the fields the model does not declare, kept from the input."""
        self._materialize()
        _thaw_fields_set(self)
        return self.__pydantic_extra__

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
        (`kubetyped.model.nested`)."""
        return nested.model_schema(cls, source, handler)

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
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_get_private = BaseModel.__dict__["__pydantic_private__"].__get__


def _location(model: KubeModel) -> Location:
    """Where a lazily decoded instance sits in the JSON it came from (None: the root, or not
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
    path = json_path(location)
    return ModelDecodeError(f"{path}: {exc} ({field})", path=path)


def _json_type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _thaw_fields_set(model: BaseModel) -> None:
    """Materialised instances share frozen `fields_set`s and have no extra dict until needed;
    pydantic's own code paths expect a mutable set and a dict."""
    fields_set: Any = model.__pydantic_fields_set__
    if type(fields_set) is frozenset:
        _object_setattr(model, "__pydantic_fields_set__", set(fields_set))
    if model.__pydantic_extra__ is None:
        _object_setattr(model, "__pydantic_extra__", {})


_SECRET_FIELDS = frozenset({"data", "string_data"})


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
