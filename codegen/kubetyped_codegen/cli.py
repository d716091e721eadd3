"""The ``kubetyped`` command: snapshot, generate, verify and diff.

Only argument parsing and output: every step is a library call (``pipeline`` for
generate/verify, ``snapshot`` for snapshot, ``diff`` for diff).

Exit codes: 0 ok; 1 verify/diff found differences, or the generated package fails its import
check (nothing is written then); 2 usage or input errors (a spec or CRD that cannot be read or
typed, an ``--out`` package name that shadows an installed module). Output is best effort: a
closed stdout or stderr (``| head -1``, ``2>&-``) silences it but changes neither the work nor the
exit code.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from kubetyped.errors import KubetypedError
from kubetyped_codegen import console, pipeline
from kubetyped_codegen.crd.spec import GroupFilter
from kubetyped_codegen.diff import register_cli as register_diff_cli
from kubetyped_codegen.render_context import DEFAULT_PACKAGE
from kubetyped_codegen.specs import shipped_versions

EXIT_OK, EXIT_DIFFERENT, EXIT_USAGE = 0, 1, 2


def plural(count: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def version_string() -> str:
    """``kubetyped 0.1.0 (snapshots: Kubernetes 1.30, ..., 1.36)``."""
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
        console.line(version_string())
        parser.exit()


def spec_source(args: argparse.Namespace) -> pipeline.SpecSource:
    """The spec options of ``generate``/``verify`` as a ``SpecSource``.

    Any of ``--crd``/``--include-group``/``--exclude-group`` makes a CRD package.
    """
    custom = bool(args.crd or args.include_group or args.exclude_group)
    groups = GroupFilter(
        include=frozenset(args.include_group or ()),
        exclude=frozenset(args.exclude_group or ()),
        builtin=args.include_builtin_groups,
    )
    return pipeline.SpecSource(
        spec=args.spec,
        kube_version=args.kube_version,
        kubeconfig=args.kubeconfig,
        context=args.context,
        crd=tuple(args.crd or ()),
        groups=groups if custom else None,
    )


def cmd_generate(args: argparse.Namespace) -> int:
    """``kubetyped generate``: render and publish the package; one summary line."""
    started = time.perf_counter()
    source = spec_source(args)
    quiet = source.custom_resources  # a CRD package is quick: its summary line is enough
    done = pipeline.generate(
        source, args.out, args.package, args.base_package, None if quiet else console.progress
    )
    rendered, report = done.rendered, done.report
    spec, files = rendered.spec, rendered.files
    written = f"({len(report.written)} written, {len(report.removed)} removed)"
    elapsed = f"in {time.perf_counter() - started:.2f}s"
    versions = spec.group_versions()
    if rendered.custom_resources:
        kinds = [r.kind for gv in versions for r in gv.resources]
        console.line(
            f"generated {rendered.package} ({', '.join(g.name for g in spec.groups)}): "
            f"{plural(len(kinds), 'resource')}, {plural(len(files), 'file')} {written} {elapsed}"
        )
        return EXIT_OK
    unique = {(gv.group, gv.version, r.kind) for gv in versions for r in gv.resources}
    console.line(
        f"generated Kubernetes {spec.version_info.major_minor} as {rendered.package}: "
        f"{plural(len(spec.groups), 'group')}, {plural(len(versions), 'version')}, "
        f"{plural(len(unique), 'kind')}, {plural(len(files), 'file')} {written} {elapsed}"
    )
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """``kubetyped verify``: exit 1 listing the generated files that are out of date."""
    rendered, different = pipeline.verify(
        spec_source(args), args.out, args.package, args.base_package
    )
    if different:
        console.line(
            f"{plural(len(different), 'generated file')} of {rendered.package} out of date; "
            "run `kubetyped generate` with the same options:"
        )
        for relative in different:
            console.line(f"  {relative}")
        return EXIT_DIFFERENT
    console.line(
        f"{plural(len(rendered.files), 'generated file')} of {rendered.package} up to date"
    )
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    """``kubetyped snapshot``: a cluster's API (or a swagger file) as a snapshot."""
    from kubetyped_codegen.snapshot import snapshot_from_cluster, snapshot_from_swagger

    if args.from_swagger is not None:
        version = pipeline.version_info(args.kube_version) if args.kube_version else None
        target = snapshot_from_swagger(args.from_swagger, args.out, Path("openapi"), version)
    else:
        target = snapshot_from_cluster(args.kubeconfig, args.context, args.out, Path("openapi"))
    console.line(f"snapshot written to {target}")
    return EXIT_OK


def _add_version_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--kube-version", "--kubernetes-version", dest="kube_version", help=help)


def _add_spec_options(parser: argparse.ArgumentParser, out_help: str) -> None:
    """The options ``generate`` and ``verify`` share (one ``SpecSource`` and the output)."""
    parser.add_argument(
        "--spec",
        help="snapshot folder or .tar.xz, swagger file, CRD YAML, or a shipped version such as "
        "1.31 (default: the newest shipped snapshot)",
    )
    _add_version_option(
        parser,
        f"Kubernetes version: picks the shipped snapshot ({', '.join(shipped_versions())}) "
        "or names the version of a swagger --spec",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help=f"{out_help} (required, except in a kubetyped source checkout, where it "
        "defaults to its generated/kubetyped_kubernetes/)",
    )
    parser.add_argument(
        "--package",
        help="import package of --out (default: derived from --out: mypkg/ -> mypkg)",
    )
    parser.add_argument("--kubeconfig", type=Path, help="read the API of a live cluster instead")
    parser.add_argument("--context", help="kubeconfig context (with --kubeconfig)")
    group = parser.add_argument_group("custom resources")
    group.add_argument("--crd", type=Path, nargs="+", help="CRD YAML files or folders")
    group.add_argument("--include-group", action="append", help="API group to generate (repeat)")
    group.add_argument("--exclude-group", action="append", help="API group to skip (repeat)")
    group.add_argument(
        "--include-builtin-groups", action="store_true", help="allow built-in groups too"
    )
    group.add_argument(
        "--base-package",
        default=DEFAULT_PACKAGE,
        help="package whose models the CRD package uses for built-in types (default: %(default)s)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``kubetyped`` argument parser (sub-commands snapshot, generate, verify, diff)."""
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
    _add_spec_options(generate, "output folder")
    generate.set_defaults(run=cmd_generate)

    verify = commands.add_parser("verify", help="fail if generated files are out of date")
    _add_spec_options(verify, "the generated package folder to compare, never written")
    verify.set_defaults(run=cmd_verify)

    register_diff_cli(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kubetyped`` command; returns its exit code (see the module docstring).

    Output is best effort (``console``): a closed or broken stdout/stderr silences it, the
    command still finishes and returns its exit code.
    """
    console.ensure_standard_fds()
    try:
        return _run(argv)
    finally:
        console.flush()


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("generate", "verify") and args.out is None:
        if not pipeline.in_source_checkout():
            what = "write into" if args.command == "generate" else "compare against"
            parser.error(
                f"{args.command}: --out is required (without it, kubetyped would {what} "
                f"its own installed package {pipeline.committed_package_folder()}); "
                "e.g. --out mycluster/"
            )
        args.out = pipeline.committed_package_folder()
    try:
        result: int = args.run(args)
    except KubetypedError as error:
        console.progress(f"kubetyped {args.command}: {error}")
        if args.command == "diff":
            return EXIT_USAGE  # 1 means "changes match --fail-on"
        return int(getattr(error, "exit_code", EXIT_USAGE))
    return result


if __name__ == "__main__":
    sys.exit(main())
