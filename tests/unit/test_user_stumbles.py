"""Small stumbles of a first session: interpreter probing noise and unknown CRD groups."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kubetyped_codegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
CRDS = ROOT / "tests" / "data" / "crds" / "cert-manager"


def test_make_venv_probe_is_quiet_about_missing_interpreters(tmp_path: Path) -> None:
    """pyenv shims of uninstalled versions print errors; the Makefile's probe hides them."""
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"for candidate in (.*?)done;", makefile.replace("\\\n", "\n"), re.S)
    assert match, "the interpreter probe loop moved"
    loop = "for candidate in " + match.group(1).replace("$$", "$") + "done"
    loop = loop.replace("$(VENV)", str(tmp_path / "venv")).replace(" -m venv ", " -c pass ")
    shims = tmp_path / "shims"
    shims.mkdir()
    for name in ("python3.13", "python3.12"):  # what a pyenv shim says for a missing version
        shim = shims / name
        shim.write_text(f"#!/bin/sh\necho 'pyenv: {name}: command not found' >&2\nexit 127\n")
        shim.chmod(0o755)
    (shims / "python3.11").symlink_to(sys.executable)
    done = subprocess.run(
        ["bash", "-c", loop],
        env={"PATH": f"{shims}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stderr == ""
    assert "creating" in done.stdout and "python3.11" in done.stdout


def test_unknown_include_group_lists_the_groups_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate", "--crd", str(CRDS), "--include-group", "certmanager.io"]
    assert main([*argv, "--out", str(tmp_path / "pkg")]) == 2
    err = capsys.readouterr().err
    assert "--include-group certmanager.io: the files define no such group" in err
    assert "it has: acme.cert-manager.io, cert-manager.io" in err
    assert not (tmp_path / "pkg").exists()


def test_unknown_include_group_on_a_cluster_lists_the_served_groups() -> None:
    import orjson

    from kubetyped_codegen.crd.cluster import inputs_from_server
    from kubetyped_codegen.crd.spec import GroupFilter
    from kubetyped_codegen.errors import CodegenError

    apis = {
        "kind": "APIGroupDiscoveryList",
        "items": [{"metadata": {"name": g}, "versions": []} for g in ("apps", "example.com")],
    }
    with pytest.raises(
        CodegenError, match=r"the server serves no such group; it has: example\.com"
    ):
        inputs_from_server(
            lambda path, accept: orjson.dumps(apis), GroupFilter(include=frozenset({"nope.io"}))
        )
