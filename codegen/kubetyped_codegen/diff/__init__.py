"""The API diff: compare two APIs at the IR level and classify every change.

``kubetyped diff`` is registered by ``kubetyped_codegen.cli`` through ``register_cli``.
"""

from __future__ import annotations

from typing import Any

from kubetyped_codegen.diff.changes import Change, DiffResult, Severity
from kubetyped_codegen.diff.compare import diff_specs


def register_cli(commands: Any) -> None:
    """Add the `diff` subcommand to the `kubetyped` CLI's argparse subparsers (`commands`); the
    diff's modules are imported only then.
    """
    from kubetyped_codegen.diff.cli import add_parser

    add_parser(commands)


__all__ = ["Change", "DiffResult", "Severity", "diff_specs", "register_cli"]
