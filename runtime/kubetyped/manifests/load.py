"""Loading and dumping manifests (see the package docstring)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import IO, Any

import yaml

from kubetyped import yamlio
from kubetyped.errors import KubetypedError
from kubetyped.typed.resource import ResourceInfo

__all__ = ["ManifestError", "ModelRegistry", "default_registry", "load_manifests", "to_yaml"]

Obj = dict[str, Any]
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


class ManifestError(KubetypedError, ValueError):
    """A manifest document that is not a Kubernetes object; names the source, the document
    (1-based) and the field."""

    def __init__(self, source: str, document: int, problem: str) -> None:
        super().__init__(f"{source}: document {document}: {problem}")
        self.source = source
        self.document = document
        self.problem = problem


class ModelRegistry:
    """apiVersion/kind → generated model class, from the `ResourceInfo`s of generated
    packages (their `clients` modules). Models are imported when first used."""

    def __init__(self) -> None:
        self._models: dict[tuple[str, str], str] = {}

    def register(self, info: ResourceInfo) -> None:
        """Maps the resource's kind and list kind (in its apiVersion) to their models."""
        self._models[(info.api_version, info.kind)] = info.model
        self._models[(info.api_version, info.list_kind)] = info.list_model

    def add_package(self, package: str) -> ModelRegistry:
        """Registers every resource of a generated package (`kubetyped_kubernetes`, or one made
        by `kubetyped generate --package NAME`); returns self."""
        clients = importlib.import_module(f"{package}.clients")
        for module_info in pkgutil.iter_modules(clients.__path__):
            module = importlib.import_module(f"{clients.__name__}.{module_info.name}")
            for value in vars(module).values():
                if isinstance(value, ResourceInfo):
                    self.register(value)
        return self

    def model_for(self, api_version: str, kind: str) -> Any | None:
        """The model class of `kind` in `api_version` (imported now), or None if unknown."""
        reference = self._models.get((api_version, kind))
        if reference is None:
            return None
        module, _, name = reference.partition(":")
        return getattr(importlib.import_module(module), name)


@cache
def default_registry() -> ModelRegistry:
    """The registry of the committed built-in package (`kubetyped_kubernetes`)."""
    return ModelRegistry().add_package("kubetyped_kubernetes")


def _sources(source: str | bytes | Path | IO[str] | IO[bytes]) -> Iterable[tuple[str, Any]]:
    if isinstance(source, Path):
        if source.is_dir():
            files = sorted(p for p in source.iterdir() if p.suffix in MANIFEST_SUFFIXES)
            for path in files:
                yield str(path), path.read_bytes()
        else:
            yield str(source), source.read_bytes()
    elif isinstance(source, str | bytes):
        yield "<manifest>", source
    else:
        yield getattr(source, "name", "<stream>"), source.read()


def _check(document: Any, source: str, index: int) -> Obj:
    if not isinstance(document, dict):
        raise ManifestError(source, index, f"expected a mapping, got {type(document).__name__}")
    for field in ("apiVersion", "kind"):
        value = document.get(field)
        if not isinstance(value, str) or not value:
            raise ManifestError(source, index, f"{field} is missing or not a string")
    metadata = document.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise ManifestError(source, index, "metadata is not a mapping")
    return document


def load_manifests(
    source: str | bytes | Path | IO[str] | IO[bytes],
    *,
    registry: ModelRegistry | None = None,
) -> list[Any]:
    """The objects of a manifest: a file or folder (`Path`; a folder's `*.yaml`, `*.yml`,
    `*.json` files in name order), YAML/JSON text, bytes or a readable stream. Documents come
    out in order, each as its typed model (validated like `Model.model_validate`) or, for a
    kind the registry does not know, as a plain dict. Empty documents are skipped.

    Raises `ManifestError` (source, document number, field) for a document that is not an
    object with `apiVersion` and `kind`, `YamlError` (importable from `kubetyped.manifests`;
    source, line, column) for invalid YAML and pydantic's `ValidationError` for a known kind
    with invalid fields.
    """
    registry = registry or default_registry()
    objects: list[Any] = []
    for name, text in _sources(source):
        documents = yamlio.load_all(text, source=name)
        for index, document in enumerate(documents, start=1):
            if document is None:
                continue
            obj = _check(document, name, index)
            if obj["kind"] == "List" and obj["apiVersion"] == "v1":
                items = obj.get("items") or []
                checked = [_check(item, name, index) for item in items]
                objects.extend(_typed(item, registry) for item in checked)
                continue
            objects.append(_typed(obj, registry))
    return objects


def _typed(obj: Obj, registry: ModelRegistry) -> Any:
    model = registry.model_for(obj["apiVersion"], obj["kind"])
    return obj if model is None else model.model_validate(obj)


def wire_dict(obj: Any) -> Obj:
    """The JSON form of a model or dict (what the apiserver receives)."""
    to_dict = getattr(obj, "to_dict", None)
    if to_dict is not None:
        result: Obj = to_dict()
        return result
    if isinstance(obj, dict):
        return obj
    raise TypeError(f"not a Kubernetes object: {type(obj).__name__}")


def to_yaml(objects: Any) -> str:
    """YAML of one object or a list of objects (models or dicts), `---`-separated, keys in
    their wire order."""
    items = objects if isinstance(objects, list | tuple) else [objects]
    return yaml.safe_dump_all(
        [wire_dict(obj) for obj in items], sort_keys=False, default_flow_style=False
    )
