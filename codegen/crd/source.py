"""CustomResourceDefinition YAML files (multi-document; files or folders) -> ``CrdInfo``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kubetyped.codegen.crd.errors import CrdError

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class CrdVersion:
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
        return tuple(v for v in self.versions if v.served)


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders expanded to their ``*.yaml``/``*.yml`` files (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
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


def parse_crd(document: Mapping[str, Any], file: str) -> CrdInfo:
    """One ``apiextensions.k8s.io/v1`` CRD document."""
    crd = str(document.get("metadata", {}).get("name", "")) or "<unnamed CRD>"
    spec = _get(document, "spec", file, crd, "$")
    names = _get(spec, "names", file, crd, "$.spec")
    versions = []
    for index, raw in enumerate(_get(spec, "versions", file, crd, "$.spec")):
        at = f"$.spec.versions[{index}]"
        name = str(_get(raw, "name", file, crd, at))
        schema = (raw.get("schema") or {}).get("openAPIV3Schema")
        if not isinstance(schema, Mapping) or not schema:
            raise CrdError(
                f"version {name} has no schema",
                file=file,
                crd=crd,
                path=f"{at}.schema.openAPIV3Schema",
            )
        subresources = raw.get("subresources") or {}
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


def read_crds(paths: Iterable[Path]) -> list[CrdInfo]:
    """Every CRD in the files (other kinds of documents are skipped); duplicates raise."""
    crds: list[CrdInfo] = []
    seen: dict[tuple[str, str], CrdInfo] = {}
    for file in yaml_files(paths):
        try:
            documents = list(yaml.safe_load_all(file.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError) as error:
            raise CrdError(f"cannot read YAML: {error}", file=str(file)) from None
        for document in documents:
            if not isinstance(document, Mapping):
                continue
            if document.get("kind") != "CustomResourceDefinition":
                continue
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
