"""CustomResourceDefinition YAML files (multi-document; files or folders) -> ``CrdInfo``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kubetyped import yamlio
from kubetyped_codegen.crd.errors import CrdError
from kubetyped_codegen.crd.schema_types import check_schema

YAML_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class CrdVersion:
    """One version of a CRD: its schema and whether it is served, stored, and has the status
    and scale subresources."""

    name: str
    served: bool
    storage: bool
    schema: Mapping[str, Any]
    status: bool
    scale: bool


@dataclass(frozen=True, slots=True)
class CrdInfo:
    """What generation needs of one CRD; ``file`` is where it came from (for errors)."""

    file: str
    name: str
    group: str
    kind: str
    list_kind: str
    plural: str
    singular: str
    short_names: tuple[str, ...]
    categories: tuple[str, ...]
    namespaced: bool
    versions: tuple[CrdVersion, ...]

    def served_versions(self) -> tuple[CrdVersion, ...]:
        """The versions with ``served: true`` (only those get types and clients)."""
        return tuple(v for v in self.versions if v.served)


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders expanded to their ``*.yaml``/``*.yml``/``*.json`` files, nested
    folders included (kyverno's ``config/crds/<group>/``), sorted by relative path."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                (p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()),
                key=lambda p: p.relative_to(path).parts,
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CrdError("no such file or folder", file=str(path))
    return found


def _get(raw: Mapping[str, Any], key: str, file: str, crd: str, path: str) -> Any:
    value = raw.get(key) if isinstance(raw, Mapping) else None
    if value in (None, "", [], {}):
        raise CrdError(f"missing {key!r}", file=file, crd=crd, path=f"{path}.{key}")
    return value


def _typed(value: Any, kind: type, file: str, crd: str, path: str) -> Any:
    if not isinstance(value, kind):
        expected = "an object" if kind is Mapping else "a list"
        raise CrdError(
            f"expected {expected}, got {type(value).__name__}", file=file, crd=crd, path=path
        )
    return value


def parse_crd(document: Mapping[str, Any], file: str) -> CrdInfo:
    """One ``apiextensions.k8s.io/v1`` CRD document; wrong-typed nodes (schema keywords
    included, see ``check_schema``) raise ``CrdError``."""
    metadata = document.get("metadata")
    crd = str(metadata.get("name", "") if isinstance(metadata, Mapping) else "") or "<unnamed CRD>"
    spec = _typed(_get(document, "spec", file, crd, "$"), Mapping, file, crd, "$.spec")
    names = _typed(_get(spec, "names", file, crd, "$.spec"), Mapping, file, crd, "$.spec.names")
    versions = []
    raw_versions = _get(spec, "versions", file, crd, "$.spec")
    for index, raw in enumerate(_typed(raw_versions, list, file, crd, "$.spec.versions")):
        at = f"$.spec.versions[{index}]"
        _typed(raw, Mapping, file, crd, at)
        name = str(_get(raw, "name", file, crd, at))
        schema = _typed(raw.get("schema") or {}, Mapping, file, crd, f"{at}.schema")
        schema = schema.get("openAPIV3Schema")
        if not isinstance(schema, Mapping) or not schema:
            raise CrdError(
                f"version {name} has no schema",
                file=file,
                crd=crd,
                path=f"{at}.schema.openAPIV3Schema",
            )

        def error(message: str, path: str, name: str = name) -> CrdError:
            return CrdError(message, file=file, crd=crd, path=path, version=name)

        check_schema(schema, f"{at}.schema.openAPIV3Schema", error)
        subresources = _typed(
            raw.get("subresources") or {}, Mapping, file, crd, f"{at}.subresources"
        )
        versions.append(
            CrdVersion(
                name=name,
                served=bool(raw.get("served", False)),
                storage=bool(raw.get("storage", False)),
                schema=schema,
                status="status" in subresources,
                scale="scale" in subresources,
            )
        )
    kind = str(_get(names, "kind", file, crd, "$.spec.names"))
    return CrdInfo(
        file=file,
        name=crd,
        group=str(_get(spec, "group", file, crd, "$.spec")),
        kind=kind,
        list_kind=str(names.get("listKind") or f"{kind}List"),
        plural=str(_get(names, "plural", file, crd, "$.spec.names")),
        singular=str(names.get("singular") or kind.lower()),
        short_names=tuple(str(n) for n in names.get("shortNames") or ()),
        categories=tuple(str(n) for n in names.get("categories") or ()),
        namespaced=spec.get("scope", "Namespaced") == "Namespaced",
        versions=tuple(versions),
    )


def _crd_documents(documents: Iterable[Any]) -> Iterable[Mapping[str, Any]]:
    """CRD documents, ``kind: List`` items (``kubectl get crd A B -o yaml``) included."""
    for document in documents:
        if not isinstance(document, Mapping):
            continue
        if document.get("kind") == "CustomResourceDefinition":
            yield document
        elif str(document.get("kind", "")).endswith("List") and isinstance(
            document.get("items"), list
        ):
            yield from _crd_documents(document["items"])


def read_crds(paths: Iterable[Path]) -> list[CrdInfo]:
    """Every CRD in the files (other kinds of documents are skipped); duplicates raise."""
    crds: list[CrdInfo] = []
    seen: dict[tuple[str, str], CrdInfo] = {}
    for file in yaml_files(paths):
        try:
            documents = yamlio.load_all(file.read_bytes(), source=str(file))
        except OSError as error:
            raise CrdError(f"cannot read: {error.strerror}", file=str(file)) from None
        except yamlio.YamlError as error:
            raise CrdError(str(error).removeprefix(f"{file}: "), file=str(file)) from None
        for document in _crd_documents(documents):
            crd = parse_crd(document, str(file))
            for key in ((crd.group, crd.kind), (crd.group, f"plural:{crd.plural}")):
                first = seen.setdefault(key, crd)
                if first is not crd:
                    what = "kind" if not key[1].startswith("plural:") else "plural"
                    raise CrdError(
                        f"duplicate {what} {key[1].removeprefix('plural:')} in group {crd.group} "
                        f"(also defined by {first.name} in {first.file})",
                        file=str(file), crd=crd.name, path="$.spec.names",
                    )  # fmt: skip
            crds.append(crd)
    return crds
