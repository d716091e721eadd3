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
from kubetyped.codegen.errors import CodegenError
from kubetyped.codegen.ir import ApiSpec
from kubetyped.codegen.render_context import DEFAULT_PACKAGE
from kubetyped.codegen.writer import publish


def crd_mode(args: argparse.Namespace) -> bool:
    """True when ``generate``/``verify`` got a CRD option (``--crd``, ``--include-group``,
    ``--exclude-group``): the run renders a CRD package."""
    return bool(args.crd or args.include_group or args.exclude_group)


def selection(args: argparse.Namespace) -> GroupFilter:
    """The ``GroupFilter`` of the parsed ``--include-group``/``--exclude-group`` options."""
    return GroupFilter(
        include=frozenset(args.include_group or ()),
        exclude=frozenset(args.exclude_group or ()),
        builtin=args.include_builtin_groups,
    )


def crd_spec(args: argparse.Namespace) -> ApiSpec:
    """The IR of the selected CRDs, from ``--crd`` files, a ``--spec`` snapshot or the cluster
    of ``--kubeconfig``. Raises ``CrdError`` for bad input, ``CodegenError`` for usage errors."""
    if args.crd:
        return spec_from_crd_files(args.crd, selection(args))
    from kubetyped.codegen.crd.cluster import spec_from_cluster, spec_from_snapshot

    if args.spec is not None:
        from kubetyped.codegen.layout import is_snapshot
        from kubetyped.codegen.specs import resolve_spec

        snapshot = resolve_spec(args.spec)
        if not is_snapshot(snapshot):
            raise CrdError("--include-group needs a snapshot (folder or archive)", file=args.spec)
        return spec_from_snapshot(snapshot, selection(args))
    if args.kubeconfig is None:
        raise CodegenError("give --crd FILES, --spec SNAPSHOT or --kubeconfig to read CRDs from")
    return spec_from_cluster(args.kubeconfig, args.context, selection(args))


def render_crd_files(args: argparse.Namespace, package: str) -> tuple[ApiSpec, dict[str, str]]:
    """The CRD package ``generate`` writes and ``verify`` compares: ``(spec, {path: text})``."""
    from kubetyped.codegen.cli import DEFAULT_OUT

    if package == DEFAULT_PACKAGE or Path(args.out).resolve() == DEFAULT_OUT.resolve():
        raise CodegenError(
            "a CRD package needs its own --out folder (its package name is derived from it)"
        )
    spec = crd_spec(args)
    return spec, render_crd_package(spec, package, args.base_package)


def cmd_generate_crds(args: argparse.Namespace) -> int:
    """``generate`` for CRDs: render, check and publish the package atomically; exit code 0.

    Raises ``CodegenError`` (typed, with its exit code) when anything fails; the previous
    package is then left as it was."""
    from kubetyped.codegen.cli import package_for_out, plural

    started = time.perf_counter()
    package = package_for_out(args.out, args.package)
    spec, files = render_crd_files(args, package)
    report = publish(args.out, files, package, explain=explainer(spec))
    kinds = sorted(r.kind for g in spec.groups for gv in g.versions for r in gv.resources)
    print(
        f"generated {package} ({', '.join(g.name for g in spec.groups)}): "
        f"{plural(len(kinds), 'resource')}, {plural(len(files), 'file')} "
        f"({len(report.written)} written, {len(report.removed)} removed) "
        f"in {time.perf_counter() - started:.2f}s"
    )
    return 0


def add_crd_options(parser: argparse.ArgumentParser) -> None:
    """The CRD options (``generate`` and ``verify`` share them)."""
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


def extend_generate(parser: argparse.ArgumentParser) -> None:
    """Add the CRD options to ``generate``; its previous ``run`` handles the other cases."""
    add_crd_options(parser)
    previous: Callable[[argparse.Namespace], int] = parser.get_default("run")

    def run(args: argparse.Namespace) -> int:
        return cmd_generate_crds(args) if crd_mode(args) else previous(args)

    parser.set_defaults(run=run)
