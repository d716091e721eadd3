"""CRD options of ``kubetyped generate``: ``--crd``, ``--include-group``, ``--exclude-group``.

With any of them, ``generate`` renders a CRD package (``--package`` and ``--out`` required)
from CRD YAML (``--crd``) or from the cluster (``--kubeconfig``); otherwise it runs as before.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from kubetyped.codegen.crd.errors import CrdError
from kubetyped.codegen.crd.generate import explainer, render_crd_package
from kubetyped.codegen.crd.spec import GroupFilter, spec_from_crd_files
from kubetyped.codegen.ir import ApiSpec
from kubetyped.codegen.render_context import DEFAULT_PACKAGE
from kubetyped.codegen.writer import publish


def crd_mode(args: argparse.Namespace) -> bool:
    return bool(args.crd or args.include_group or args.exclude_group)


def selection(args: argparse.Namespace) -> GroupFilter:
    return GroupFilter(
        include=frozenset(args.include_group or ()),
        exclude=frozenset(args.exclude_group or ()),
        builtin=args.include_builtin_groups,
    )


def crd_spec(args: argparse.Namespace) -> ApiSpec:
    """From ``--crd`` files, a ``--spec`` snapshot folder or the ``--kubeconfig`` cluster."""
    if args.crd:
        return spec_from_crd_files(args.crd, selection(args))
    from kubetyped.codegen.crd.cluster import spec_from_cluster, spec_from_snapshot

    if args.spec is not None:
        if not args.spec.is_dir():
            raise CrdError(
                "--spec with --include-group needs a snapshot folder", file=str(args.spec)
            )
        return spec_from_snapshot(args.spec, selection(args))
    if args.kubeconfig is None:
        raise CrdError(
            "give --crd FILES, --spec SNAPSHOT or --kubeconfig to read CRDs from", file=args.command
        )
    return spec_from_cluster(args.kubeconfig, args.context, selection(args))


def _crd_files(args: argparse.Namespace) -> tuple[ApiSpec, dict[str, str]]:
    from kubetyped.codegen.cli import DEFAULT_OUT

    if args.package == DEFAULT_PACKAGE or Path(args.out).resolve() == DEFAULT_OUT.resolve():
        raise CrdError("CRD packages need their own --package and --out", file=args.command)
    spec = crd_spec(args)
    return spec, render_crd_package(spec, args.package, args.base_package)


def cmd_verify_crds(args: argparse.Namespace) -> int:
    """``verify`` of a CRD package: exit 1 listing the files that differ."""
    from kubetyped.codegen.cli import EXIT_DIFFERENT, EXIT_OK, differing_files

    _, files = _crd_files(args)
    different = differing_files(files, args.out)
    if different:
        print(f"{len(different)} generated files are out of date; run `kubetyped generate`:")
        for relative in different:
            print(f"  {relative}")
        return EXIT_DIFFERENT
    print(f"{len(files)} generated files are up to date")
    return EXIT_OK


def cmd_generate_crds(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    spec, files = _crd_files(args)
    report = publish(args.out, files, args.package, explain=explainer(spec))
    kinds = sorted(r.kind for g in spec.groups for gv in g.versions for r in gv.resources)
    print(
        f"generated {args.package} ({', '.join(g.name for g in spec.groups)}): "
        f"{len(kinds)} resources, {len(files)} files ({len(report.written)} written, "
        f"{len(report.removed)} removed) in {time.perf_counter() - started:.2f}s"
    )
    return 0


def extend_generate(parser: argparse.ArgumentParser, verify: bool = False) -> None:
    """Add the CRD options to ``generate`` (or ``verify``); its previous ``run`` handles the
    other cases."""
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
    previous: Callable[[argparse.Namespace], int] = parser.get_default("run")
    ours = cmd_verify_crds if verify else cmd_generate_crds

    def run(args: argparse.Namespace) -> int:
        return ours(args) if crd_mode(args) else previous(args)

    parser.set_defaults(run=run)
