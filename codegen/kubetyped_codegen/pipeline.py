"""The generator as a library: a spec source in, a rendered package out.

The three steps, each usable alone (the ``kubetyped`` command only parses its arguments and
calls them, as client-go's code-generator commands call their generator libraries):

1. ``load_spec(SpecSource(...)) -> ApiSpec``: the one place a spec is assembled, whatever the
   source: a shipped Kubernetes version (``"1.31"``), a snapshot folder or archive, a swagger
   file (OpenAPI v2), CRD YAML files or folders, or a live cluster; optionally only the custom
   resource groups a ``GroupFilter`` selects.
2. ``render_package(spec, ...) -> {path: text}``: every renderer (``render.render``); a CRD
   package keeps only its own model modules (``crd.generate``). Pure: no I/O.
3. ``generate(...)`` writes it atomically (``writer.publish``); ``verify(...)`` lists the files
   that differ instead.

User expansions (client-go's ``*_expansion.go``): ``find_expansions(out)`` reads the mixin
classes of ``<out>/expansions/<gv>.py`` without importing them; the renderers make them bases
of the generated clients and listers. The generator never writes ``expansions/``.
"""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.metadata
import importlib.util
import keyword
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kubetyped_codegen.crd.errors import CrdError
from kubetyped_codegen.crd.generate import explainer, render_crd_package
from kubetyped_codegen.crd.spec import GroupFilter, spec_from_crd_files
from kubetyped_codegen.errors import CodegenError, HandwrittenFileError, SnapshotError, SpecError
from kubetyped_codegen.ir import ApiSpec, VersionInfo
from kubetyped_codegen.layout import is_snapshot
from kubetyped_codegen.load_v2 import load_v2
from kubetyped_codegen.load_v3 import load_v3
from kubetyped_codegen.render import render
from kubetyped_codegen.render_context import DEFAULT_PACKAGE, RenderContext
from kubetyped_codegen.specs import latest_snapshot, resolve_spec, shipped_snapshot
from kubetyped_codegen.writer import GeneratedCodeError, WriteReport, generated_files, publish

#: Suffixes of CRD YAML files (a spec source ending so is read as CustomResourceDefinitions).
YAML_SUFFIXES = (".yaml", ".yml")
#: The folder of a generated package that holds the user's expansion mixins.
EXPANSIONS = "expansions"


@cache
def committed_package_folder() -> Path:
    """The folder of ``kubetyped_kubernetes`` (in a checkout: ``generated/kubetyped_kubernetes/``), found without
    importing it (its ``__init__`` would load the clientset)."""
    found = importlib.util.find_spec("kubetyped_kubernetes")
    if found is None or not found.submodule_search_locations:
        raise CodegenError("the package kubetyped_kubernetes is not installed")
    return Path(next(iter(found.submodule_search_locations))).resolve()


def in_source_checkout() -> bool:
    """Whether ``kubetyped_kubernetes`` is ``generated/kubetyped_kubernetes/`` of a source checkout.

    Only there may ``generate``/``verify`` default ``--out`` to it: in an installed
    distribution that folder is the library itself, which regeneration must never overwrite.
    """
    folder = committed_package_folder()
    return folder.parent.name == "generated" and (folder.parent.parent / "pyproject.toml").is_file()


def package_for_out(out: Path, package: str | None = None) -> str:
    """The import package of an output folder: ``package``, else derived from ``out``.

    The committed folder is ``kubetyped_kubernetes``; any other folder is named by its last
    component, prefixed by its parents that are packages (have ``__init__.py``), as Python
    would import it (``src/app/k8s`` with ``src/app/__init__.py`` -> ``app.k8s``). Raises
    ``CodegenError`` when that is not an importable name. ``generate`` and ``verify`` share it.
    """
    if package:
        return package
    resolved = out.resolve()
    if resolved == committed_package_folder():
        return DEFAULT_PACKAGE
    parts = [resolved.name]
    parent = resolved.parent
    while (parent / "__init__.py").is_file() and parent != parent.parent:
        parts.insert(0, parent.name)
        parent = parent.parent
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        raise CodegenError(
            f"--out {out}: {'.'.join(parts)!r} is not an importable package name; "
            "rename the folder or pass --package NAME"
        )
    return ".".join(parts)


#: Top-level packages of kubetyped itself: generated code imports them (CRD packages import the
#: built-in models), so no generated package may take their names.
OWN_PACKAGES = frozenset({"kubetyped", DEFAULT_PACKAGE, "kubetyped_codegen", "kubetyped_openapi"})


def check_not_shadowing(package: str, out: Path) -> None:
    """Refuse a package name whose top-level name is a module the package or its users need.

    ``--out pydantic`` (or ``kubetyped``, ``yaml``, ``json``) would be imported as that module
    by the generated code and by the user, so the package could never work. Refused: names of
    the standard library and built-in modules, of kubetyped's own packages, and of the top-level
    modules of installed distributions, unless that module is the package's own folder
    (regenerating in place). A folder of the same name elsewhere on ``sys.path`` that no
    distribution installed (another generated package, say) is not refused: generating the same
    package name into a second folder is how two outputs are compared. Raises ``CodegenError``
    (exit code 2).
    """
    parts = package.split(".")
    top = parts[0]
    root = out.resolve()
    for _ in parts[1:]:
        root = root.parent
    if top in sys.builtin_module_names or top in sys.stdlib_module_names:
        raise CodegenError(
            f"the package name {top!r} shadows an installed module (of the standard library); "
            "pick another --out folder name or pass --package NAME"
        )
    if top not in OWN_PACKAGES and top not in importlib.metadata.packages_distributions():
        return
    try:
        found = importlib.machinery.PathFinder.find_spec(top, sys.path)
    except (ImportError, ValueError):
        found = None
    if found is None:
        return
    locations = [Path(p).resolve() for p in found.submodule_search_locations or ()]
    if root in locations:
        return
    where = locations[0] if locations else found.origin
    raise CodegenError(
        f"the package name {top!r} shadows an installed module (at {where}); "
        "pick another --out folder name or pass --package NAME"
    )


def version_info(kubernetes_version: str) -> VersionInfo:
    """``"1.31"`` / ``"v1.31.4"`` -> ``VersionInfo("1", "31", "v1.31...")`` (for swagger files,
    which do not name their Kubernetes version)."""
    major, _, minor = kubernetes_version.lstrip("v").partition(".")
    return VersionInfo(major, minor.split(".")[0], f"v{kubernetes_version.lstrip('v')}")


@dataclass(frozen=True, slots=True)
class SpecSource:
    """Where ``load_spec`` reads an API from; every field optional.

    ``spec``: a shipped version name (``"1.31"``), a snapshot folder or ``.tar.xz``, a swagger
    ``.json`` file, or CRD YAML (a file or a folder of them); None: the shipped snapshot of
    ``kube_version``, else the newest, unless ``kubeconfig`` names a cluster to read (with
    ``context``). ``kube_version`` also names the version of a swagger file. ``crd``: CRD YAML
    files or folders. ``groups``: read only these custom resource groups (a CRD package); set
    by ``crd`` and YAML specs too.
    """

    spec: Path | str | None = None
    kube_version: str | None = None
    kubeconfig: Path | None = None
    context: str | None = None
    crd: tuple[Path, ...] = ()
    groups: GroupFilter | None = None

    def crd_yaml(self) -> tuple[Path, ...]:
        """The CRD YAML files or folders this source names (``crd``, or a YAML ``spec``)."""
        if self.crd:
            return self.crd
        if self.spec is None:
            return ()
        path = Path(self.spec)
        if path.suffix in YAML_SUFFIXES:
            return (path,)
        if (
            path.is_dir()
            and not is_snapshot(path)
            and any(p.suffix in YAML_SUFFIXES for p in path.iterdir())
        ):
            return (path,)
        return ()

    @property
    def custom_resources(self) -> bool:
        """Whether this source gives a CRD package (custom resource groups only)."""
        return self.groups is not None or bool(self.crd_yaml())


def load_spec(source: SpecSource) -> ApiSpec:
    """The IR of the API ``source`` names (see ``SpecSource``).

    Raises ``CodegenError`` (exit code 2) for a source that does not exist or is not a spec,
    ``SpecError``/``CrdError`` naming the file and entry for bad content, and
    ``SnapshotError`` when a cluster cannot be read.
    """
    selection = source.groups or GroupFilter()
    yaml = source.crd_yaml()
    if yaml:
        for path in yaml:
            if not path.exists():
                raise CodegenError(f"{path}: no such file or folder")
        return spec_from_crd_files(yaml, selection)
    if source.spec is None and source.kubeconfig is not None:
        return _load_cluster(source)
    if source.spec is None and source.groups is not None:
        raise CodegenError("give --crd FILES, --spec SNAPSHOT or --kubeconfig to read CRDs from")
    if source.spec is None:
        name = source.kube_version
        path = shipped_snapshot(name) if name else latest_snapshot()
    else:
        path = resolve_spec(source.spec)
    if is_snapshot(path):
        if source.groups is not None:
            from kubetyped_codegen.crd.cluster import spec_from_snapshot

            return spec_from_snapshot(path, source.groups)
        return load_v3(path)
    if source.groups is not None:
        raise CrdError("--include-group needs a snapshot (folder or archive)", file=str(path))
    if path.is_dir():
        raise CodegenError(f"{path}: neither a snapshot folder (openapi-v3/) nor CRD YAML files")
    version = version_info(source.kube_version) if source.kube_version else None
    return load_v2(path, version)


def _load_cluster(source: SpecSource) -> ApiSpec:
    """A live cluster's API: its CRD groups directly, or everything through a snapshot."""
    if source.groups is not None:
        from kubetyped_codegen.crd.cluster import spec_from_cluster

        return spec_from_cluster(source.kubeconfig, source.context, source.groups)
    from kubetyped_codegen.snapshot import snapshot_from_cluster

    with tempfile.TemporaryDirectory(prefix="kubetyped-spec-") as tmp:
        snapshot = snapshot_from_cluster(source.kubeconfig, source.context, Path(tmp), Path(tmp))
        return load_v3(snapshot)


def find_expansions(out: Path) -> dict[str, frozenset[str]]:
    """The expansion mixins defined in ``<out>/expansions/<gv>.py``, by group-version module.

    Only top-level classes named ``...Expansion`` count; the files are parsed, never imported
    (so generation does not run user code). A file that does not parse raises
    ``CodegenError`` naming it and the line.
    """
    found: dict[str, frozenset[str]] = {}
    folder = out / EXPANSIONS
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.py")):
        if path.stem == "__init__":
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        except (SyntaxError, UnicodeDecodeError) as error:
            raise CodegenError(f"{path}: not valid Python ({error})") from None
        names = frozenset(
            node.name
            for node in tree.body
            if isinstance(node, ast.ClassDef) and node.name.endswith("Expansion")
        )
        if names:
            found[path.stem] = names
    return found


def render_package(
    spec: ApiSpec,
    package: str,
    *,
    custom_resources: bool = False,
    base_package: str = DEFAULT_PACKAGE,
    expansions: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, str]:
    """The files of ``package`` rendered from ``spec``: ``{relative path: text}``.

    ``custom_resources``: a CRD package (only the spec's own model modules; built-in types
    come from ``base_package``, ``kubetyped_kubernetes`` by default), which may not be the
    committed package itself. ``expansions``: see ``find_expansions``.
    """
    expansions = dict(expansions or {})
    if not custom_resources:
        return render(spec, RenderContext(package=package, expansions=expansions))
    if package == DEFAULT_PACKAGE:
        raise CodegenError(
            "a CRD package needs its own --out folder (its package name is derived from it)"
        )
    return render_crd_package(spec, package, base_package, expansions)


@dataclass(frozen=True)
class Rendered:
    """A package rendered from a spec source: its name, spec and files (not yet written)."""

    package: str
    spec: ApiSpec
    files: dict[str, str]
    custom_resources: bool


#: Receives progress lines (``"loading spec ..."``) of a long step.
Progress = Callable[[str], None]


def render_source(
    source: SpecSource,
    out: Path,
    package: str | None = None,
    base_package: str = DEFAULT_PACKAGE,
    progress: Progress | None = None,
) -> Rendered:
    """``load_spec`` then ``render_package`` for the folder ``out`` (its package name and
    expansions come from it, see ``package_for_out`` and ``find_expansions``)."""
    progress = progress or (lambda message: None)
    name = package_for_out(out, package)
    check_not_shadowing(name, out)
    if source.custom_resources and out.resolve() == committed_package_folder():
        raise CodegenError(
            "a CRD package needs its own --out folder (its package name is derived from it)"
        )
    progress("loading spec ...")
    spec = load_spec(source)
    progress(f"rendering package {name} ...")
    files = render_package(
        spec,
        name,
        custom_resources=source.custom_resources,
        base_package=base_package,
        expansions=find_expansions(out),
    )
    return Rendered(name, spec, files, source.custom_resources)


@dataclass(frozen=True)
class Generated:
    """What ``generate`` did: the rendered package and the writer's report."""

    rendered: Rendered
    report: WriteReport = field(default_factory=WriteReport)


def generate(
    source: SpecSource,
    out: Path,
    package: str | None = None,
    base_package: str = DEFAULT_PACKAGE,
    progress: Progress | None = None,
) -> Generated:
    """Render the package of ``source`` and publish it into ``out`` atomically.

    Files without the generated marker (the user's ``expansions/``) are never touched; stale
    generated files are removed. Raises ``GeneratedCodeError`` (nothing written) when the new
    package does not import, ``HandwrittenFileError`` when a file it would write exists without
    the generated marker, and the errors of ``load_spec``.
    """
    rendered = render_source(source, out, package, base_package, progress)
    explain = explainer(rendered.spec) if rendered.custom_resources else None
    if progress is not None:
        progress(f"writing {len(rendered.files)} files to {out} ...")
    report = publish(out, rendered.files, rendered.package, explain=explain)
    return Generated(rendered, report)


def differing_files(expected: Mapping[str, str], out: Path) -> list[str]:
    """Generated files under ``out`` that differ from, miss, or go beyond ``expected``."""
    different = []
    for relative, text in sorted(expected.items()):
        target = out / relative
        if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
            different.append(relative)
    different += sorted(generated_files(out) - set(expected))
    return sorted(different)


def verify(
    source: SpecSource, out: Path, package: str | None = None, base_package: str = DEFAULT_PACKAGE
) -> tuple[Rendered, list[str]]:
    """The package ``generate`` would write and the files of ``out`` that differ from it
    (``[]``: up to date). Writes nothing."""
    rendered = render_source(source, out, package, base_package)
    return rendered, differing_files(rendered.files, out)


__all__ = [
    "EXPANSIONS",
    "CodegenError",
    "CrdError",
    "Generated",
    "GeneratedCodeError",
    "GroupFilter",
    "HandwrittenFileError",
    "Progress",
    "Rendered",
    "SnapshotError",
    "SpecError",
    "SpecSource",
    "check_not_shadowing",
    "committed_package_folder",
    "differing_files",
    "find_expansions",
    "generate",
    "in_source_checkout",
    "load_spec",
    "package_for_out",
    "render_package",
    "render_source",
    "verify",
    "version_info",
]
