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

from typing import TYPE_CHECKING, Any, ClassVar, Self

import orjson
from pydantic import BaseModel, ConfigDict

from kubetyped.model.plan import ClassPlan, build_plan, encode_value, inject_references

_RAW = "_kubetyped_raw"
_object_setattr = object.__setattr__


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

    __kube_plan__: ClassVar[ClassPlan | None] = None

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Self:
        """Wraps decoded JSON without validating it (trusted server data); lazy."""
        instance = cls.__new__(cls)
        _object_setattr(instance, "__dict__", {})
        _object_setattr(instance, "__pydantic_fields_set__", set())
        _object_setattr(instance, "__pydantic_extra__", {})
        _object_setattr(instance, "__pydantic_private__", {_RAW: raw})
        return instance

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """Decodes JSON from the server (trusted, lazy). Use `model_validate_json` to validate."""
        raw = orjson.loads(data)
        if not isinstance(raw, dict):
            raise ValueError(f"{cls.__name__}: expected a JSON object, got {type(raw).__name__}")
        return cls.from_raw(raw)

    # ---- serialisation ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The wire form (aliases, no unset fields), as a fresh structure."""
        result: dict[str, Any] = orjson.loads(orjson.dumps(self._to_raw()))
        return result

    def to_json(self) -> bytes:
        """The wire form as compact JSON bytes."""
        return orjson.dumps(self._to_raw())

    def _to_raw(self) -> dict[str, Any]:
        """The wire form; may share structure with the decoded input. Do not mutate."""
        private = self.__pydantic_private__
        if private is not None and _RAW in private:
            raw: dict[str, Any] = private[_RAW]
            return raw
        plan = type(self)._plan()
        fields_set = self.__pydantic_fields_set__
        result: dict[str, Any] = {}
        for python_name, value in self.__dict__.items():
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
        return result

    # ---- laziness -----------------------------------------------------------------------

    @classmethod
    def _plan(cls) -> ClassPlan:
        plan = cls.__dict__.get("__kube_plan__")
        if plan is None:
            plan = build_plan(cls)
            cls.__kube_plan__ = plan
        return plan

    def _is_lazy(self) -> bool:
        private = self.__pydantic_private__
        return private is not None and _RAW in private

    def _materialize(self) -> None:
        private = self.__pydantic_private__
        if private is None or _RAW not in private:
            return
        raw: dict[str, Any] = private.pop(_RAW)
        plan = type(self)._plan()
        values = self.__dict__
        fields_set = self.__pydantic_fields_set__
        extra = self.__pydantic_extra__
        assert extra is not None
        by_wire = plan.by_wire
        for key, value in raw.items():
            field = by_wire.get(key)
            if field is None:
                extra[key] = value
                continue
            name = field.python_name
            if name in values:
                continue
            decode = field.decode
            values[name] = value if decode is None or value is None else decode(value)
            fields_set.add(name)
        for name, default in plan.defaults:
            if name not in values:
                values[name] = default

    def _materialize_deep(self) -> None:
        self._materialize()
        for value in self.__dict__.values():
            _materialize_value(value)
        if self.__pydantic_extra__:
            for value in self.__pydantic_extra__.values():
                _materialize_value(value)

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            private = object.__getattribute__(self, "__pydantic_private__")
            if private is not None and _RAW in private:
                self._materialize()
                values = object.__getattribute__(self, "__dict__")
                if name in values:
                    return values[name]
            return super().__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._materialize()
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._materialize()
        super().__delattr__(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KubeModel):
            return NotImplemented
        return type(self) is type(other) and self._to_raw() == other._to_raw()

    __hash__ = None  # type: ignore[assignment]

    def __repr_args__(self) -> Any:
        self._materialize()
        return super().__repr_args__()

    @property
    def model_fields_set(self) -> set[str]:
        self._materialize()
        return self.__pydantic_fields_set__

    @property
    def model_extra(self) -> dict[str, Any] | None:
        self._materialize()
        return self.__pydantic_extra__

    def model_dump(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """pydantic's dump (python names unless `by_alias`); `to_dict` gives the wire form."""
        self._materialize_deep()
        return super().model_dump(*args, **kwargs)

    def model_dump_json(self, *args: Any, **kwargs: Any) -> str:
        self._materialize_deep()
        return super().model_dump_json(*args, **kwargs)

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        _resolve_closure(cls, set())
        return super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth,
            _types_namespace=_types_namespace,
        )


def _materialize_value(value: Any) -> None:
    if isinstance(value, KubeModel):
        value._materialize_deep()
    elif isinstance(value, list):
        for item in value:
            _materialize_value(item)
    elif isinstance(value, dict):
        for item in value.values():
            _materialize_value(item)


def _resolve_closure(cls: type[KubeModel], seen: set[type[KubeModel]]) -> None:
    """Binds the references of every model reachable from `cls`, before pydantic builds it."""
    if cls in seen or cls is KubeModel:
        return
    seen.add(cls)
    inject_references(cls)
    for field in cls._plan().by_python.values():
        for model in field.models:
            _resolve_closure(model, seen)
