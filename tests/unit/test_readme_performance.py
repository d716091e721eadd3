"""README's codegen figures are the ones benchmarks/results.md reports.

Provenance: newcomer review, session 2: README said "Codegen of the whole 1.36 clientset: 0.5 s;
verify 0.4 s" while benchmarks/results.md (the run README points to) measured 12.81 s / 2.81 s
and the wheel took about 2 s / 0.8 s on a quiet machine. When a new benchmark run changes
results.md, update README's "Codegen" line with its figures.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def results_figure(step: str) -> str:
    text = (ROOT / "benchmarks" / "results.md").read_text()
    match = re.search(rf"^\| kubetyped {step}\s*\|\s*([0-9.]+ m?s)\s*\|", text, re.M)
    assert match, f"benchmarks/results.md has no 'kubetyped {step}' row"
    return match.group(1)  # as written there, with its unit: "1.78 s", "540.0 ms"


def test_readme_codegen_line_quotes_benchmarks_results() -> None:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"^- \*\*Codegen\*\* of the whole.*?(?=\n- |\n\n)", readme, re.M | re.S)
    assert match, "README has no '**Codegen** of the whole' bullet"
    line = " ".join(match.group(0).split())
    generate, verify = results_figure("generate"), results_figure("verify")
    assert f"`kubetyped generate` {generate}," in line, (line, generate)
    assert f"`verify` {verify} (" in line, (line, verify)
