"""CRDs -> IR, from YAML files or from a live cluster, through one pipeline.

Both inputs become (OpenAPI v3 components, aggregated discovery, path facts): from a cluster
these are fetched (``/openapi/v3/apis/<group>/<version>``, never v2, which drops
oneOf/anyOf/not/nullable); from YAML they are built as the apiserver would (``publish``).
The CRD schemas are flattened (``hoist``); the built-in types they use (ObjectMeta, ListMeta,
autoscaling/v1 Scale) are only referenced: the generated CRD package imports them from
``kubetyped_kubernetes``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubetyped_codegen import discovery
from kubetyped_codegen.assemble import build_groups
from kubetyped_codegen.crd.errors import CrdError
from kubetyped_codegen.crd.hoist import Hoister, HoistResult
from kubetyped_codegen.crd.publish import discovery_document, path_facts, published_schemas
from kubetyped_codegen.crd.source import read_crds
from kubetyped_codegen.errors import CodegenError
from kubetyped_codegen.ir import ApiSpec, Resource, VersionInfo
from kubetyped_codegen.layout import read_snapshot
from kubetyped_codegen.naming import KNOWN_GROUPS, group_python_name, group_version_python_name
from kubetyped_codegen.openapi_v3 import normalise, v3_documents
from kubetyped_codegen.schemas import build_schemas

#: Built-in definitions a CRD package may reference (taken from the committed snapshot).
BUILTIN_PREFIXES = ("io.k8s.apimachinery.", "io.k8s.api.")


@dataclass(frozen=True, slots=True)
class GroupFilter:
    """``--include-group``/``--exclude-group``; built-in groups only when asked for."""

    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    builtin: bool = False

    def selects(self, group: str) -> bool:
        """Whether ``group`` is generated: excluded groups never; with ``--include-group`` only
        those; else every non-built-in group (built-in ones with ``--include-builtin-groups``)."""
        if group in self.exclude:
            return False
        if self.include:
            return group in self.include
        return self.builtin or group not in KNOWN_GROUPS


def check_included(selection: GroupFilter, available: Iterable[str], file: str, where: str) -> None:
    """``CrdError`` naming each ``--include-group`` missing from ``available`` and listing
    the groups there are (``where``: "the server serves", "the files define")."""
    present = set(available)
    missing = sorted(selection.include - present)
    if not missing:
        return
    offered = [g for g in sorted(present) if selection.builtin or g not in KNOWN_GROUPS]
    listing = ", ".join(offered) if offered else "no custom resource group"
    hint = "" if selection.builtin else " (built-in groups need --include-builtin-groups)"
    raise CodegenError(  # a usage error (exit 2), not bad CRD input
        f"{file}: --include-group {', '.join(missing)}: {where} no such group; it has: "
        f"{listing}{hint}"
    )


@dataclass
class CrdInputs:
    """Everything the pipeline needs, whatever the source."""

    components: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (file, crd)
    discovery: list[Mapping[str, Any]] = field(default_factory=list)
    path_resources: dict[tuple[str, str], tuple[Resource, ...]] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)


def crd_version_info(groups: Iterable[str]) -> VersionInfo:
    """CRD packages are versioned by their groups, not by a Kubernetes release."""
    return VersionInfo("0", "0", "CRDs " + ", ".join(sorted(groups)))


def crd_module(group: str, version: str) -> str:
    """The models module of a CRD group-version: from its group and version alone."""
    return group_version_python_name(group_python_name(group), version)


def hoist_crds(
    components: Mapping[str, Mapping[str, Any]],
    roots: Iterable[str],
    origins: Mapping[str, tuple[str, str]],
) -> HoistResult:
    """Flatten the CRD ``roots`` of ``components``; the other components are built-in types."""
    roots = sorted(roots)
    root_set = set(roots)
    builtins = {n: normalise(raw) for n, raw in components.items() if n not in root_set}
    hoister = Hoister(known=set(components), builtins=builtins)
    for name in roots:
        hoister.file, hoister.crd = origins.get(name, ("", name))
        kinds = components[name].get("x-kubernetes-group-version-kind") or ()
        gvk = next((g for g in kinds if isinstance(g, Mapping)), None)
        module = crd_module(str(gvk["group"]), str(gvk["version"])) if gvk else None
        hoister.definition(name, components[name], module)
    result = hoister.finish()
    result.definitions = {**builtins, **result.definitions}
    return result


def build_spec(inputs: CrdInputs) -> ApiSpec:
    """CRD inputs (from files or a server) -> the IR: schemas flattened (``hoist``), built-in
    types from the latest committed snapshot, groups and resources from discovery."""
    from kubetyped_codegen.specs import latest_snapshot

    for name, raw in builtin_definitions(latest_snapshot()).items():
        inputs.components.setdefault(name, raw)
    crd_names = sorted(
        name for name, raw in inputs.components.items()
        if any(g.get("group") in inputs.groups for g in raw.get("x-kubernetes-group-version-kind", ()))
    )  # fmt: skip
    hoisted = hoist_crds(inputs.components, crd_names, inputs.origins)
    schemas = build_schemas(hoisted.definitions, hoisted.modules)
    found = discovery.parse(inputs.discovery, inputs.path_resources, schemas, "discovery")
    resources = {k: v for k, v in found.resources.items() if k[0] in inputs.groups}
    order = {g: v for g, v in found.version_order.items() if g in inputs.groups}
    spec = ApiSpec(crd_version_info(inputs.groups), build_groups(resources, order), schemas)
    ORIGINS[id(spec)] = hoisted.origins
    return spec


#: Where each hoisted definition came from (file: CRD: version: JSON path), per built spec.
ORIGINS: dict[int, dict[str, str]] = {}


@functools.cache
def builtin_definitions(snapshot: Path) -> dict[str, Mapping[str, Any]]:
    """The built-in types of a committed snapshot (ObjectMeta, Container, PodSpec, Scale ...)."""
    found: dict[str, Mapping[str, Any]] = {}
    for _, document in v3_documents(snapshot, read_snapshot(snapshot)):
        for name, raw in document.get("components", {}).get("schemas", {}).items():
            if name.startswith(BUILTIN_PREFIXES):
                found.setdefault(name, raw)
    return found


def inputs_from_crd_files(
    paths: Sequence[Path], selection: GroupFilter, snapshot: Path | None = None
) -> CrdInputs:
    """What an apiserver would publish for the selected CRDs of YAML files or folders.

    Raises ``CrdError`` naming the file for unreadable or invalid input and when no CRD of the
    selected groups is found; ``CodegenError`` for an ``--include-group`` the files lack."""
    from kubetyped_codegen.specs import latest_snapshot

    every = read_crds(paths)
    check_included(
        selection, [c.group for c in every], ", ".join(map(str, paths)), "the files define"
    )
    crds = [c for c in every if selection.selects(c.group)]
    if not crds:
        raise CrdError(
            "no CustomResourceDefinition of the selected groups", file=", ".join(map(str, paths))
        )
    inputs = CrdInputs(components=dict(builtin_definitions(snapshot or latest_snapshot())))
    for crd in crds:
        for version in crd.served_versions():
            for name, raw in published_schemas(crd, version).items():
                inputs.components[name] = raw
                inputs.origins[name] = (crd.file, crd.name)
    inputs.discovery = [discovery_document(crds)]
    inputs.path_resources = path_facts(crds)
    inputs.groups = {c.group for c in crds}
    return inputs


def spec_from_crd_files(
    paths: Sequence[Path], selection: GroupFilter = GroupFilter(), snapshot: Path | None = None
) -> ApiSpec:
    """The IR of the CRDs in YAML files or folders (multi-document YAML)."""
    return build_spec(inputs_from_crd_files(paths, selection, snapshot))
