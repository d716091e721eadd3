"""The model runtime uses only public `typing` APIs (newcomer review, 06:20).

`typing._eval_type` without `type_params` warns (DeprecationWarning) on Python 3.13 and is
refused from 3.15: the first `ConfigMapList.from_json(...)` raised under
`-W error::DeprecationWarning`. The subprocess test runs on the interpreter of the test run (run
the suite under 3.13 to see the warning case); the source scan fails on any interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import kubetyped

RUNTIME = Path(kubetyped.__file__).parent


def _private_typing_uses(source: str) -> list[str]:
    uses = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "typing"
            and node.attr.startswith("_")
        ):
            uses.append(f"typing.{node.attr} (line {node.lineno})")
        if isinstance(node, ast.ImportFrom) and node.module == "typing":
            uses += [f"from typing import {a.name}" for a in node.names if a.name.startswith("_")]
    return uses


def test_runtime_uses_no_private_typing_names() -> None:
    found = {
        str(path.relative_to(RUNTIME)): uses
        for path in sorted(RUNTIME.rglob("*.py"))
        if "generated" not in path.parts and (uses := _private_typing_uses(path.read_text()))
    }
    assert found == {}


def test_scan_sees_a_private_typing_call() -> None:
    assert _private_typing_uses("import typing\ntyping._eval_type(x, {}, None)\n") == [
        "typing._eval_type (line 2)"
    ]


def test_first_decode_under_deprecation_warnings_as_errors() -> None:
    script = textwrap.dedent(
        """
        import json
        from kubetyped_kubernetes.models.core_v1 import ConfigMapList
        doc = {"kind": "ConfigMapList", "apiVersion": "v1", "metadata": {"resourceVersion": "7"},
               "items": [{"metadata": {"name": "a", "labels": {"app": "web"}}, "data": {"k": "v"}}]}
        cms = ConfigMapList.from_json(json.dumps(doc).encode())
        item = cms.items[0]
        print(cms.metadata.resource_version, item.metadata.name, item.metadata.labels, item.data)
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", script],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "7 a {'app': 'web'} {'k': 'v'}"
