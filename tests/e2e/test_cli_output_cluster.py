"""A live-cluster diff and snapshot whose stderr is a broken pipe or closed still do their work.

Provenance: a newcomer's report (session 3): the progress lines of reading a cluster's API went
to stderr unguarded, so ``kubetyped diff 1.36 --new-kubeconfig ... 2>&1 >/dev/null | true``
exited 1 (read as "breaking" in CI) with nothing written. See tests/unit/test_cli_output.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KUBETYPED = str(Path(sys.executable).parent / "kubetyped")


def test_cluster_diff_with_stderr_a_broken_pipe(kubeconfig_path: Path, tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [
                KUBETYPED, "diff", "1.36", "--new-kubeconfig", str(kubeconfig_path),
                "--new-context", "admin", "--fail-on", "none", "--output", "o.md",
            ],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=write, timeout=280, check=False,
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.returncode == 0, done.stdout
    assert "API diff 1.36" in (tmp_path / "o.md").read_text()


def test_cluster_snapshot_with_stderr_closed(kubeconfig_path: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", "-c", 'exec "$@" 2>&-', "bash", KUBETYPED, "snapshot",
         "--kubeconfig", str(kubeconfig_path), "--context", "admin", "--out", "api.tar.xz"],
        cwd=tmp_path, stdout=subprocess.PIPE, text=True, timeout=280, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout == f"snapshot written to {Path('api.tar.xz')}\n"
    assert (tmp_path / "api.tar.xz").is_file()
