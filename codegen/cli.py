"""The ``kubetyped`` command: snapshot, generate, verify and diff.

Exit codes: 0 ok; 1 verify/diff found differences, or generation failed (a CRD that cannot be
typed, a package that fails its import check; nothing is written then); 2 usage or input errors.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import kubetyped.generated
import kubetyped.openapi
from kubetyped.codegen.crd.cli import extend_generate
from kubetyped.codegen.diff import register_cli as register_diff_cli
from kubetyped.codegen.errors import CodegenError
from kubetyped.codegen.ir import ApiSpec, VersionInfo
from kubetyped.codegen.layout import is_snapshot
from kubetyped.codegen.load_v2 import load_v2
from kubetyped.codegen.load_v3 import load_v3
from kubetyped.codegen.render_clients import render_clients
from kubetyped.codegen.render_context import DEFAULT_PACKAGE, RenderContext, Renderer
from kubetyped.codegen.render_models import render_models
from kubetyped.codegen.writer import generated_files, publish
from kubetyped.errors import KubetypedError

EXIT_OK, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2
# the package folders (in a checkout: openapi/ and generated/ at the repository root)
SNAPSHOTS = Path(kubetyped.openapi.__file__).resolve().parent
DEFAULT_OUT = Path(kubetyped.generated.__file__).resolve().parent

#: Every renderer ``generate`` runs: ``(ApiSpec, RenderContext) -> {relative path: text}``.
RENDERERS: tuple[tuple[str, Renderer], ...] = (
    ("models", render_models),
    ("clients", render_clients),
)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def latest_snapshot(base: Path = SNAPSHOTS) -> Path:
    def key(path: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in path.name.split("."))

    candidates = [p for p in base.glob("*.*") if is_snapshot(p)]
    if not candidates:
        raise CodegenError(f"no snapshot under {base}; run `kubetyped snapshot` or pass --spec")
    return max(candidates, key=key)


def load_spec(spec: Path | None, kubernetes_version: str | None = None) -> ApiSpec:
    """A snapshot folder (v3) or a swagger file (v2); default: the newest committed snapshot."""
    path = spec or latest_snapshot()
    if path.is_dir():
        if not is_snapshot(path):
            raise CodegenError(f"{path}: not a snapshot folder (no openapi-v3/)")
        return load_v3(path)
    if not path.is_file():
        raise CodegenError(f"{path}: no such file or folder")
    version = None
    if kubernetes_version:
        major, _, minor = kubernetes_version.lstrip("v").partition(".")
        version = VersionInfo(major, minor.split(".")[0], f"v{kubernetes_version.lstrip('v')}")
    return load_v2(path, version)


def render(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    files: dict[str, str] = {}
    for name, renderer in RENDERERS:
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
    return load_spec(args.spec, getattr(args, "kubernetes_version", None))


def cmd_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    progress("loading spec ...")
    spec = _spec_for(args)
    progress("rendering ...")
    files = render(spec, RenderContext(package=args.package))
    progress(f"writing {len(files)} files to {args.out} ...")
    report = publish(args.out, files, args.package)
    versions = [gv for g in spec.groups for gv in g.versions]
    kinds = {(gv.group, gv.version, r.kind) for gv in versions for r in gv.resources}
    print(
        f"generated Kubernetes {spec.version_info.major_minor}: {len(spec.groups)} groups, "
        f"{len(versions)} versions, {len(kinds)} kinds, {len(files)} files "
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
    spec = _spec_for(args)
    files = render(spec, RenderContext(package=args.package))
    different = differing_files(files, args.out)
    if different:
        print(f"{len(different)} generated files are out of date; run `kubetyped generate`:")
        for relative in different:
            print(f"  {relative}")
        return EXIT_DIFFERENT
    print(f"{len(files)} generated files are up to date")
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    from kubetyped.codegen.snapshot import snapshot_from_cluster, snapshot_from_swagger

    if args.from_swagger is not None:
        version = None
        if args.kubernetes_version:
            major, _, minor = args.kubernetes_version.lstrip("v").partition(".")
            version = VersionInfo(
                major, minor.split(".")[0], f"v{args.kubernetes_version.lstrip('v')}"
            )
        target = snapshot_from_swagger(args.from_swagger, args.out, SNAPSHOTS, version)
    else:
        target = snapshot_from_cluster(args.kubeconfig, args.context, args.out, SNAPSHOTS)
    print(f"snapshot written to {target}")
    return EXIT_OK


def _add_spec_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec", type=Path, help="snapshot folder or swagger file (default: newest openapi/<v>/)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--package", default=DEFAULT_PACKAGE, help="import package of --out")
    parser.add_argument("--kubeconfig", type=Path, help="generate from a live cluster instead")
    parser.add_argument("--context", help="kubeconfig context (with --kubeconfig)")
    parser.add_argument("--kubernetes-version", help="version of a swagger --spec, e.g. 1.36")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kubetyped", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    snapshot = commands.add_parser("snapshot", help="snapshot a cluster's API (or a swagger file)")
    snapshot.add_argument("--kubeconfig", type=Path, help="kubeconfig (default: $KUBECONFIG)")
    snapshot.add_argument("--context", help="kubeconfig context")
    snapshot.add_argument("--out", type=Path, help="openapi/<major.minor>/ or its parent")
    snapshot.add_argument("--from-swagger", type=Path, help="import an offline OpenAPI v2 file")
    snapshot.add_argument("--kubernetes-version", help="version of --from-swagger, e.g. 1.36")
    snapshot.set_defaults(run=cmd_snapshot)

    generate = commands.add_parser("generate", help="render models and clients from a spec")
    _add_spec_options(generate)
    generate.set_defaults(run=cmd_generate)
    extend_generate(generate)

    verify = commands.add_parser("verify", help="fail if generated files are out of date")
    _add_spec_options(verify)
    verify.set_defaults(run=cmd_verify)
    extend_generate(verify, verify=True)

    register_diff_cli(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
    except KubetypedError as error:
        print(f"kubetyped {args.command}: {error}", file=sys.stderr)
        return int(getattr(error, "exit_code", EXIT_USAGE))
    return result


if __name__ == "__main__":
    sys.exit(main())
