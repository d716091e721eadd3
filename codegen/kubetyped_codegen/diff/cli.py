"""``kubetyped diff OLD NEW``: compare two APIs and gate CI on the result.

Exit codes: 0 no failing change, 1 changes matching ``--fail-on``, 2 usage or input errors.
The exit code is decided before the report is written: a reader that stops early
(``kubetyped diff 1.35 1.36 | head -1``) or a closed stderr ends the output quietly and the
exit code still follows ``--fail-on``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path
from typing import Any

from kubetyped_codegen import console
from kubetyped_codegen.diff.changes import Stability
from kubetyped_codegen.diff.compare import diff_specs
from kubetyped_codegen.diff.policy import (
    Policy,
    apply_policy,
    failing,
    load_allowlist,
    parse_fail_on,
    unused_entries,
)
from kubetyped_codegen.diff.report import RENDERERS, github_annotations, render_markdown
from kubetyped_codegen.errors import CodegenError
from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.pipeline import SpecSource, load_spec

EXIT_OK, EXIT_FAIL = 0, 1


def _side(name: str, value: str | None, kubeconfig: Path | None, context: str | None) -> ApiSpec:
    """One side of the diff: a spec (version name, snapshot, swagger, CRD YAML) or a cluster."""
    if (value is None) == (kubeconfig is None):
        raise CodegenError(f"give either {name.upper()} or --{name}-kubeconfig (exactly one)")
    return load_spec(SpecSource(spec=value, kubeconfig=kubeconfig, context=context))


def _label(value: str | None, kubeconfig: Path | None, context: str | None) -> str:
    if value is not None:
        return value
    return f"cluster {context or 'current context'} of {kubeconfig}"


def policy_from(args: argparse.Namespace) -> Policy:
    """The `Policy` of the parsed `--stability`, `--group` (repeatable, comma-separated) and
    `--allowlist` options; raises `AllowlistError` for a bad allowlist file.
    """
    groups = frozenset(g for arg in args.group or () for g in arg.split(",") if g)
    allowlist = load_allowlist(args.allowlist) if args.allowlist is not None else ()
    return Policy(Stability(args.stability), groups, allowlist)


def cmd_diff(args: argparse.Namespace) -> int:
    """Run `kubetyped diff`: load both sides, compare, apply the policy, write the report
    (`--format`, to `--output` or stdout; `--github` adds annotations and the step summary), and
    return the exit status: 1 when a change matches `--fail-on`, else 0. Timings go to stderr.
    """
    started = time.perf_counter()
    fail_on = parse_fail_on(args.fail_on)
    policy = policy_from(args)
    old = _side("old", args.old, args.old_kubeconfig, args.old_context)
    new = _side("new", args.new, args.new_kubeconfig, args.new_context)
    loaded = time.perf_counter()
    result = dataclasses.replace(
        diff_specs(old, new),
        old_label=_label(args.old, args.old_kubeconfig, args.old_context),
        new_label=_label(args.new, args.new_kubeconfig, args.new_context),
    )
    result = apply_policy(result, policy)
    failed = failing(result, fail_on)
    if args.github:
        console.out(github_annotations(result, bool(failed)))
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary:
            with open(step_summary, "a", encoding="utf-8") as summary_file:
                summary_file.write(render_markdown(result))
    report = RENDERERS[args.format](result)
    if args.output is not None:
        args.output.write_text(report, encoding="utf-8")
    else:
        console.out(report)
    for entry in unused_entries(result, policy):
        console.progress(f"diff: allowlist entry accepts nothing (remove it?): {entry.describe()}")
    console.progress(
        f"diff: loaded in {loaded - started:.2f}s, compared in {time.perf_counter() - loaded:.2f}s"
        f"; {len(failed)} changes match --fail-on {args.fail_on}"
    )
    return EXIT_FAIL if failed else EXIT_OK


def add_parser(commands: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    """Add the `diff` subcommand and its options to `commands`; returns its parser."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "diff",
        help="compare two APIs (snapshots, swagger files, CRD YAML or live clusters)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    side_help = (
        "a Kubernetes version (1.35), snapshot folder or .tar.xz, swagger .json, or CRD YAML"
    )
    parser.add_argument("old", nargs="?", help=f"the old API: {side_help}")
    parser.add_argument("new", nargs="?", help=f"the new API: {side_help}")
    for side in ("old", "new"):
        parser.add_argument(f"--{side}-kubeconfig", type=Path, help=f"the {side} API's cluster")
        parser.add_argument(f"--{side}-context", help=f"context in --{side}-kubeconfig")
    parser.add_argument(
        "--format", choices=sorted(RENDERERS), default="text", help="(default: %(default)s)"
    )
    parser.add_argument(
        "--fail-on",
        default="breaking",
        help="exit 1 on these changes: breaking, any, none, or who they break: writers, "
        "readers, typed (comma-separated) (default: %(default)s)",
    )
    parser.add_argument(
        "--stability",
        choices=[s.value for s in Stability],
        default=Stability.GA.value,
        help="least stable group-versions to report: ga, beta (ga+beta) or alpha (all) "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--group",
        action="append",
        help="only these API groups (repeat or comma-separate; core for the core group) "
        "(default: all)",
    )
    parser.add_argument(
        "--allowlist",
        type=Path,
        help="YAML file of accepted breaking changes, each with a reason (default: none)",
    )
    parser.add_argument(
        "--github",
        action="store_true",
        help="GitHub Actions: annotations within GitHub's limits, and the Markdown report "
        "appended to $GITHUB_STEP_SUMMARY",
    )
    parser.add_argument("--output", type=Path, help="write the report here (default: stdout)")
    parser.set_defaults(run=cmd_diff)
    return parser
