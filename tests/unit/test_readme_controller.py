"""Runs the README's controller example and its unit test on the fake clientset."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- readme-controller-example -->"


def _example() -> dict[str, Any]:
    text = README.read_text()
    assert MARKER in text, "the README lost its controller example"
    block = re.search(r"```python\n(.*?)```", text[text.index(MARKER) :], re.S)
    assert block is not None
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), str(README), "exec"), namespace)
    return namespace


def test_readme_controller_example_passes() -> None:
    _example()["test_reconcile_labels_the_deployment"]()


def test_readme_controller_example_can_fail() -> None:
    """The example's assertions are live: a reconcile that does nothing fails them."""
    example = _example()
    example["reconcile"].__code__ = (lambda cs, deployment: None).__code__
    with pytest.raises(AssertionError):
        example["test_reconcile_labels_the_deployment"]()
