"""The ``kubetyped`` command: snapshot, generate, verify and diff.

Exit codes: 0 ok; 1 verify/diff found differences, or generation failed (a CRD that cannot be
typed, a package that fails its import check; nothing is written then); 2 usage or input errors.
"""

from __future__ import annotations

import argparse
import keyword
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import kubetyped.generated
from kubetyped.codegen import MISSING_EXTRA
from kubetyped.codegen.crd.cli import add_crd_options, crd_mode, extend_generate, render_crd_files
from kubetyped.codegen.diff import register_cli as register_diff_cli
from kubetyped.codegen.errors import CodegenError
from kubetyped.codegen.ir import ApiSpec, VersionInfo
from kubetyped.codegen.layout import is_snapshot
from kubetyped.codegen.load_v2 import load_v2
from kubetyped.codegen.load_v3 import load_v3
from kubetyped.codegen.render_context import DEFAULT_PACKAGE, RenderContext, Renderer
from kubetyped.codegen.specs import (
    latest_snapshot,
    resolve_spec,
    shipped_snapshot,
    shipped_versions,
)
from kubetyped.codegen.writer import generated_files, publish
from kubetyped.errors import KubetypedError

EXIT_OK, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2
# the package folder of the committed clientset (in a checkout: generated/)
DEFAULT_OUT = Path(kubetyped.generated.__file__).resolve().parent


def in_source_checkout() -> bool:
    """Whether ``kubetyped.generated`` is the ``generated/`` folder of a source checkout.

    Only there may ``generate``/``verify`` default ``--out`` to it: in an installed
    distribution that folder is the library itself, which regeneration must never overwrite.
    """
    return (DEFAULT_OUT.parent / "pyproject.toml").is_file() and DEFAULT_OUT.name == "generated"


def renderers() -> tuple[tuple[str, Renderer], ...]:
    """Every renderer ``generate`` runs: ``(ApiSpec, RenderContext) -> {relative path: text}``.

    Imported on first use: rendering needs jinja2 (the ``kubetyped[codegen]`` extra), while
    ``--version``, ``snapshot`` and ``diff`` work with the plain ``pip install kubetyped``.
    Raises ``CodegenError`` naming the extra when jinja2 is missing.
    """
    try:
        from kubetyped.codegen.render_clients import render_clients
        from kubetyped.codegen.render_models import render_models
    except ModuleNotFoundError as error:
        if error.name not in ("jinja2", "markupsafe"):
            raise
        raise CodegenError(MISSING_EXTRA) from None
    return (("models", render_models), ("clients", render_clients))


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def version_string() -> str:
    try:
        installed = metadata.version("kubetyped")
    except metadata.PackageNotFoundError:
        installed = "unknown"
    return f"kubetyped {installed} (snapshots: Kubernetes {', '.join(shipped_versions())})"


class _VersionAction(argparse.Action):
    """``--version`` printed on one line (argparse's own action wraps it)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_string())
        parser.exit()


def package_for_out(out: Path, package: str | None = None) -> str:
    """The import package of an output folder: ``--package``, else derived from ``--out``.

    The committed folder is ``kubetyped.generated``; any other folder is named by its last
    component, prefixed by its parents that are packages (have ``__init__.py``), as Python
    would import it (``src/app/k8s`` with ``src/app/__init__.py`` -> ``app.k8s``). Raises
    ``CodegenError`` when that is not an importable name. ``generate`` and ``verify`` share it.
    """
    if package:
        return package
    resolved = out.resolve()
    if resolved == DEFAULT_OUT:
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


def _version_info(kubernetes_version: str) -> VersionInfo:
    major, _, minor = kubernetes_version.lstrip("v").partition(".")
    return VersionInfo(major, minor.split(".")[0], f"v{kubernetes_version.lstrip('v')}")


def load_spec(spec: Path | str | None, kubernetes_version: str | None = None) -> ApiSpec:
    """A snapshot (folder, archive or version name) or a swagger file (v2).

    Without ``spec``: the shipped snapshot of ``kubernetes_version``, else the newest one.
    """
    if spec is None:
        path = shipped_snapshot(kubernetes_version) if kubernetes_version else latest_snapshot()
    else:
        path = resolve_spec(spec)
    if is_snapshot(path):
        return load_v3(path)
    if path.is_dir():
        raise CodegenError(f"{path}: not a snapshot folder (no openapi-v3/)")
    version = _version_info(kubernetes_version) if kubernetes_version else None
    return load_v2(path, version)


def render(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    files: dict[str, str] = {}
    for name, renderer in renderers():
        for path, text in renderer(spec, ctx).items():
            if path in files:
                raise CodegenError(f"{path}: rendered by two renderers (second: {name})")
            files[path] = text
    return files


def _spec_for(args: argparse.Namespace) -> ApiSpec:
    if getattr(args, "kubeconfig", None) is not None and args.spec is None:
        from kubetyped.codegen.snapshot import snapshot_from_cluster

        with tempfile.TemporaryDirectory(prefix="kubetyped-spec-") as tmp:
            snapshot = snapshot_from_cluster(args.kubeconfig, args.context, Path(tmp), Path(tmp))
            return load_v3(snapshot)
    return load_spec(args.spec, getattr(args, "kube_version", None))


def cmd_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    package = package_for_out(args.out, args.package)
    progress("loading spec ...")
    spec = _spec_for(args)
    progress(f"rendering package {package} ...")
    files = render(spec, RenderContext(package=package))
    progress(f"writing {plural(len(files), 'file')} to {args.out} ...")
    report = publish(args.out, files, package)
    versions = [gv for g in spec.groups for gv in g.versions]
    kinds = {(gv.group, gv.version, r.kind) for gv in versions for r in gv.resources}
    print(
        f"generated Kubernetes {spec.version_info.major_minor} as {package}: "
        f"{plural(len(spec.groups), 'group')}, {plural(len(versions), 'version')}, "
        f"{plural(len(kinds), 'kind')}, {plural(len(files), 'file')} "
        f"({len(report.written)} written, {len(report.removed)} removed) "
        f"in {time.perf_counter() - started:.2f}s"
    )
    return EXIT_OK


def differing_files(expected: dict[str, str], out: Path) -> list[str]:
    """Generated files under ``out`` that differ from, miss, or go beyond ``expected``."""
    different = []
    for relative, text in sorted(expected.items()):
        target = out / relative
        if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
            different.append(relative)
    different += sorted(generated_files(out) - set(expected))
    return sorted(different)


def cmd_verify(args: argparse.Namespace) -> int:
    package = package_for_out(args.out, args.package)
    if crd_mode(args):
        files = render_crd_files(args, package)[1]
    else:
        files = render(_spec_for(args), RenderContext(package=package))
    different = differing_files(files, args.out)
    if different:
        print(
            f"{plural(len(different), 'generated file')} of {package} out of date; "
            "run `kubetyped generate` with the same options:"
        )
        for relative in different:
            print(f"  {relative}")
        return EXIT_DIFFERENT
    print(f"{plural(len(files), 'generated file')} of {package} up to date")
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    from kubetyped.codegen.snapshot import snapshot_from_cluster, snapshot_from_swagger

    if args.from_swagger is not None:
        version = _version_info(args.kube_version) if args.kube_version else None
        target = snapshot_from_swagger(args.from_swagger, args.out, Path("openapi"), version)
    else:
        target = snapshot_from_cluster(args.kubeconfig, args.context, args.out, Path("openapi"))
    print(f"snapshot written to {target}")
    return EXIT_OK


def _add_version_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--kube-version", "--kubernetes-version", dest="kube_version", help=help)


def _add_spec_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec",
        help="snapshot folder or .tar.xz, swagger file, or a shipped version such as 1.31 "
        "(default: the newest shipped snapshot)",
    )
    _add_version_option(
        parser,
        f"Kubernetes version: picks the shipped snapshot ({', '.join(shipped_versions())}) "
        "or names the version of a swagger --spec",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="output folder (required, except in a kubetyped source checkout, where it "
        "defaults to its generated/)",
    )
    parser.add_argument(
        "--package",
        help="import package of --out (default: derived from --out: mypkg/ -> mypkg)",
    )
    parser.add_argument("--kubeconfig", type=Path, help="read the API of a live cluster instead")
    parser.add_argument("--context", help="kubeconfig context (with --kubeconfig)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kubetyped", description=__doc__)
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True)

    snapshot = commands.add_parser("snapshot", help="snapshot a cluster's API (or a swagger file)")
    snapshot.add_argument("--kubeconfig", type=Path, help="kubeconfig (default: $KUBECONFIG)")
    snapshot.add_argument("--context", help="kubeconfig context")
    snapshot.add_argument(
        "--out",
        type=Path,
        help="a folder (writes <folder>/<major.minor>/), <major.minor>/ itself, or an archive "
        "ending in .tar.xz (default: openapi/)",
    )
    snapshot.add_argument("--from-swagger", type=Path, help="import an offline OpenAPI v2 file")
    _add_version_option(snapshot, "version of --from-swagger, e.g. 1.36 (default: file name)")
    snapshot.set_defaults(run=cmd_snapshot)

    generate = commands.add_parser("generate", help="render models and clients from a spec")
    _add_spec_options(generate)
    generate.set_defaults(run=cmd_generate)
    extend_generate(generate)

    verify = commands.add_parser("verify", help="fail if generated files are out of date")
    _add_spec_options(verify)
    verify.set_defaults(run=cmd_verify)
    add_crd_options(verify)

    register_diff_cli(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("generate", "verify") and args.out is None:
        if not in_source_checkout():
            parser.error(
                f"{args.command}: --out is required (without it, kubetyped would write into "
                f"its own installed package {DEFAULT_OUT}); e.g. --out mycluster/"
            )
        args.out = DEFAULT_OUT
    try:
        result: int = args.run(args)
    except KubetypedError as error:
        print(f"kubetyped {args.command}: {error}", file=sys.stderr)
        return int(getattr(error, "exit_code", EXIT_USAGE))
    return result


if __name__ == "__main__":
    sys.exit(main())
