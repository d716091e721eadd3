"""``generate``/``verify`` without ``--out``: the committed ``generated/`` in a source checkout,
a usage error in an installed distribution (never a write into the library itself)."""

from pathlib import Path

import pytest

from kubetyped_codegen import cli, pipeline


def test_a_checkout_defaults_out_to_its_generated_folder() -> None:
    assert pipeline.in_source_checkout()
    assert (
        Path(__file__).resolve().parents[2] / "generated" / "kubetyped_kubernetes"
        == pipeline.committed_package_folder()
    )


@pytest.mark.parametrize("command", ["generate", "verify"])
def test_an_installed_package_requires_out(
    command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "in_source_checkout", lambda: False)
    before = {p: p.stat().st_mtime_ns for p in pipeline.committed_package_folder().rglob("*.py")}
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--kube-version", "1.31"])
    assert exit_.value.code == cli.EXIT_USAGE
    assert "--out is required" in capsys.readouterr().err
    assert {
        p: p.stat().st_mtime_ns for p in pipeline.committed_package_folder().rglob("*.py")
    } == before
