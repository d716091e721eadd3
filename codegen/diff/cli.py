"""``kubetyped diff OLD NEW``: compare two APIs and gate CI on the result.

Exit codes: 0 no failing change, 1 changes matching ``--fail-on``, 2 usage or input errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from kubetyped.codegen.diff.changes import DiffResult, Severity
from kubetyped.codegen.diff.compare import diff_specs
from kubetyped.codegen.diff.inputs import load_cluster, load_side
from kubetyped.codegen.diff.report import RENDERERS, github_annotations
from kubetyped.codegen.errors import CodegenError
from kubetyped.codegen.ir import ApiSpec

EXIT_OK, EXIT_FAIL = 0, 1
FAIL_ON = ("breaking", "any", "none")


def should_fail(result: DiffResult, fail_on: str) -> bool:
    if fail_on == "any":
        return bool(result.changes)
    if fail_on == "breaking":
        return result.count(Severity.BREAKING) > 0
    return False


def _side(name: str, path: Path | None, kubeconfig: Path | None, context: str | None) -> ApiSpec:
    if (path is None) == (kubeconfig is None):
        raise CodegenError(f"give either {name.upper()} or --{name}-kubeconfig (exactly one)")
    if kubeconfig is not None:
        return load_cluster(kubeconfig, context)
    assert path is not None
    return load_side(path)


def cmd_diff(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    old = _side("old", args.old, args.old_kubeconfig, args.old_context)
    new = _side("new", args.new, args.new_kubeconfig, args.new_context)
    loaded = time.perf_counter()
    result = diff_specs(old, new)
    if args.github:
        sys.stdout.write(github_annotations(result))
    report = RENDERERS[args.format](result)
    if args.output is not None:
        args.output.write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    print(
        f"diff: loaded in {loaded - started:.2f}s, compared in {time.perf_counter() - loaded:.2f}s",
        file=sys.stderr,
    )
    return EXIT_FAIL if should_fail(result, args.fail_on) else EXIT_OK


def add_parser(commands: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "diff",
        help="compare two APIs (snapshots, swagger files, CRD YAML or live clusters)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    side_help = "snapshot folder, swagger .json, or CRD YAML file/folder"
    parser.add_argument("old", type=Path, nargs="?", help=f"the old API: {side_help}")
    parser.add_argument("new", type=Path, nargs="?", help=f"the new API: {side_help}")
    for side in ("old", "new"):
        parser.add_argument(f"--{side}-kubeconfig", type=Path, help=f"the {side} API's cluster")
        parser.add_argument(f"--{side}-context", help=f"context in --{side}-kubeconfig")
    parser.add_argument(
        "--format", choices=sorted(RENDERERS), default="text", help="(default: %(default)s)"
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="breaking",
        help="exit 1 on these changes (default: %(default)s)",
    )
    parser.add_argument("--github", action="store_true", help="emit ::error/::warning lines")
    parser.add_argument("--output", type=Path, help="write the report here instead of stdout")
    parser.set_defaults(run=cmd_diff)
    return parser
