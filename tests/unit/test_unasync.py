"""The blocking runtime modules are generated from their asyncio sources (`make unasync`).

The drift check is what `make verify` runs: a hand edit of a generated twin, or a source edited
without regenerating, fails it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kubetyped.codegen import unasync
from kubetyped.codegen.writer import COMMENT_MARKER

ROOT = Path(__file__).resolve().parents[2]
RUFF = str(Path(sys.executable).with_name("ruff"))


def test_rewrite_rules_name_the_blocking_spellings() -> None:
    assert unasync.rewrite_name("AsyncRESTClient") == "RESTClient"
    assert unasync.rewrite_name("async_retry_on_conflict") == "retry_on_conflict"
    assert unasync.rewrite_name("build_async_http_client") == "build_http_client"
    assert unasync.rewrite_name("__aenter__") == "__enter__"
    assert unasync.rewrite_name("aiter_lines") == "iter_lines"
    assert unasync.rewrite_name("AsyncGenerator") == "Generator"
    assert unasync.rewrite_name("asyncio") == "asyncio"  # a module name is not rewritten
    assert unasync.rewrite_name("Asynchronous") == "Asynchronous"


def test_source_text_rewrite() -> None:
    source = '''
async def get(self) -> AsyncGenerator[int, None]:
    """Iterate with `async for`; see `AsyncThing`."""
    body = (await self._rest.send(request)).content
    async with self._lock:
        async for item in stream:
            yield await convert(item)
    await self._http.aclose()
    aclose = close  # unasync: remove
'''
    assert (
        unasync.unasync_source(source)
        == '''
def get(self) -> Generator[int, None, None]:
    """Iterate with `for`; see `Thing`."""
    body = self._rest.send(request).content
    with self._lock:
        for item in stream:
            yield convert(item)
    self._http.close()
'''
    )


def test_every_twin_is_generated_and_current() -> None:
    """Every listed twin starts with the generated marker and matches its source."""
    for twin in unasync.render(ROOT, RUFF):
        assert twin.text.startswith(COMMENT_MARKER + "\n")
        assert twin.target.read_text(encoding="utf-8") == twin.text, twin.target
    assert unasync.main(["--check", "--root", str(ROOT)]) == 0


def test_check_fails_on_a_hand_edit_of_a_twin(tmp_path: Path) -> None:
    """A copy of the repository's runtime with one twin edited by hand fails `--check`."""
    for folder in ("runtime",):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    _source, target = unasync.PAIRS[0]
    twin = tmp_path / target
    twin.write_text(twin.read_text(encoding="utf-8") + "\n# a hand edit\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "kubetyped.codegen.unasync",
        "--check",
        "--root",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert f"stale generated twin: {target}" in result.stderr
    # Regenerating repairs it; the check passes again.
    subprocess.run([*command[:-3], "--root", str(tmp_path)], check=True, capture_output=True)
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    assert "# a hand edit" not in twin.read_text(encoding="utf-8")


@pytest.mark.parametrize("source, target", unasync.PAIRS)
def test_no_asyncio_in_a_blocking_twin(source: str, target: str) -> None:
    """The seam module is the only place a twin may reach asyncio through."""
    text = (ROOT / target).read_text(encoding="utf-8")
    assert "import asyncio" not in text
    assert "await " not in text.replace("`await`", "")
