"""The installed ``kubetyped`` command with closed or broken stdout/stderr, shadowing package
names, and its help wording.

Provenance: a newcomer's report (session 3): ``kubetyped diff 1.35 1.36 --fail-on none --output
o.md 2>&1 >/dev/null | true`` exited 1 with nothing done (the first progress line raised
BrokenPipeError), ``generate`` likewise generated nothing; with ``2>&-`` the progress lines went
into stdout; ``kubetyped diff ... | head -1`` printed a traceback; ``generate --out kubetyped``
answered with 12 lines of ImportError; ``--help`` named ``generated/`` as the default folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kubetyped_codegen import console
from kubetyped_codegen.cli import EXIT_OK, EXIT_USAGE, main

KUBETYPED = str(Path(sys.executable).parent / "kubetyped")
CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "scope": "Namespaced",
        "names": {"kind": "Widget", "plural": "widgets"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {"spec": {"type": "object"}},
                    }
                },
            }
        ],
    },
}


def broken_pipe() -> int:
    """The write end of a pipe whose reader is gone (EPIPE on the first write)."""
    read, write = os.pipe()
    os.close(read)
    return write


def run(
    *argv: str, cwd: Path, stdout: int | None = None, stderr: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [KUBETYPED, *argv],
            cwd=cwd,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE if stderr is None else stderr,
            timeout=600,
            check=False,
        )
    finally:
        for fd in (stdout, stderr):
            if fd is not None:
                os.close(fd)


def run_stderr_closed(*argv: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """As a shell runs ``kubetyped ... 2>&-`` (descriptor 2 closed at start)."""
    return subprocess.run(
        ["bash", "-c", 'exec "$@" 2>&-', "bash", KUBETYPED, *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("fail_on", ["none", "breaking"])
def test_diff_with_stderr_a_broken_pipe_writes_the_report(tmp_path: Path, fail_on: str) -> None:
    done = run(
        "diff", "1.35", "1.36", "--fail-on", fail_on, "--output", "o.md",
        cwd=tmp_path, stderr=broken_pipe(),
    )  # fmt: skip
    assert done.returncode == (EXIT_OK if fail_on == "none" else 1)
    assert "API diff 1.35" in (tmp_path / "o.md").read_text()


def test_diff_with_stderr_closed_keeps_progress_out_of_stdout(tmp_path: Path) -> None:
    done = run_stderr_closed("diff", "1.35", "1.36", "--fail-on", "none", cwd=tmp_path)
    assert done.returncode == EXIT_OK
    report = done.stdout.decode()
    assert report.startswith("API diff 1.35") and "diff: loaded in" not in report


@pytest.mark.parametrize(("fail_on", "code"), [("none", 0), ("breaking", 1)])
def test_diff_into_a_closed_stdout_exits_quietly_by_fail_on(
    tmp_path: Path, fail_on: str, code: int
) -> None:
    done = run(
        "diff", "1.30", "1.36", "--stability", "alpha", "--format", "json", "--fail-on", fail_on,
        cwd=tmp_path, stdout=broken_pipe(),
    )  # fmt: skip
    assert done.returncode == code
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


def test_generate_with_stderr_a_broken_pipe_generates(tmp_path: Path) -> None:
    done = run("generate", "--kube-version", "1.33", "--out", "k8s133", cwd=tmp_path,
               stderr=broken_pipe())  # fmt: skip
    assert done.returncode == EXIT_OK, done.stdout
    assert b"generated Kubernetes 1.33 as k8s133" in done.stdout
    assert (tmp_path / "k8s133" / "models" / "core_v1" / "_pod.py").is_file()


def test_generate_error_with_stderr_closed_keeps_its_exit_code(tmp_path: Path) -> None:
    done = run_stderr_closed("generate", "--crd", "missing.yaml", "--out", "x", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (EXIT_USAGE, b"")


def test_generate_into_a_closed_stdout_still_generates(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(CRD))
    done = run("generate", "--crd", "crd.yaml", "--out", "widgets", cwd=tmp_path,
               stdout=broken_pipe())  # fmt: skip
    assert done.returncode == EXIT_OK and b"Traceback" not in done.stderr
    assert (tmp_path / "widgets" / "models" / "__init__.py").is_file()


class Broken:
    """A stream whose reader went away."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_console_is_best_effort(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "stdout", Broken())
    console.progress("loading spec ...")
    assert console.line("result") is False
    console.flush()


@pytest.mark.parametrize("name", ["kubetyped", "pydantic", "yaml", "json", "sys"])
def test_out_shadowing_an_installed_module_is_one_line_before_generating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(CRD))
    out = tmp_path / name
    assert main(["generate", "--crd", str(tmp_path / "crd.yaml"), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"the package name {name!r} shadows an installed" in error
    assert "--out" in error and not out.exists()


def test_regenerating_a_package_in_place_is_not_shadowing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(CRD))
    monkeypatch.syspath_prepend(str(tmp_path))  # the package is importable from its folder
    argv = ["generate", "--crd", str(tmp_path / "crd.yaml"), "--out", str(tmp_path / "widgets")]
    assert main(argv) == EXIT_OK
    assert main(argv) == EXIT_OK
    assert main(["verify", *argv[1:]]) == EXIT_OK
    assert "shadows" not in capsys.readouterr().err


def test_the_same_package_name_in_a_second_folder_is_not_shadowing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A generated package importable from one folder, generated again under its name into
    another folder (to compare two outputs) is no installed module: not refused."""
    (tmp_path / "crd.yaml").write_text(yaml.safe_dump(CRD))
    monkeypatch.syspath_prepend(str(tmp_path))
    crd = ["generate", "--crd", str(tmp_path / "crd.yaml"), "--package", "widgets"]
    assert main([*crd, "--out", str(tmp_path / "widgets")]) == EXIT_OK
    assert main([*crd, "--out", str(tmp_path / "second")]) == EXIT_OK
    assert "shadows" not in capsys.readouterr().err
    assert (tmp_path / "second" / "__init__.py").is_file()


@pytest.mark.parametrize("command", ["generate", "verify"])
def test_help_names_the_committed_package_folder(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "generated/kubetyped_kubernetes/" in text and "its generated/)" not in text


def test_verify_without_out_does_not_claim_to_write(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("kubetyped_codegen.pipeline.in_source_checkout", lambda: False)
    with pytest.raises(SystemExit) as exited:
        main(["verify"])
    assert exited.value.code == EXIT_USAGE
    error = capsys.readouterr().err
    assert "--out is required" in error and "would compare against" in error
    assert "write" not in error
