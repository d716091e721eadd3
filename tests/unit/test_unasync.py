"""The blocking runtime modules are generated from their asyncio sources (`make unasync`).

The drift check is what `make verify` runs: a hand edit of a generated twin, or a source edited
without regenerating, fails it.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kubetyped_codegen import unasync
from kubetyped_codegen.writer import COMMENT_MARKER

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
        "kubetyped_codegen.unasync",
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


def test_a_hand_edit_of_any_twin_fails_the_check(tmp_path: Path) -> None:
    """Every listed twin is checked, the ones added last included: one hand edit in each of them
    and `--check` names every one."""
    shutil.copytree(ROOT / "runtime" / "kubetyped", tmp_path / "runtime" / "kubetyped")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for _source, target in unasync.PAIRS:
        twin = tmp_path / target
        twin.write_text(twin.read_text(encoding="utf-8") + "# a hand edit\n", encoding="utf-8")
    command = [sys.executable, "-m", "kubetyped_codegen.unasync", "--check", "--root"]
    result = subprocess.run([*command, str(tmp_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    stale = {
        line.removeprefix("stale generated twin: ").split(" ")[0]
        for line in result.stderr.splitlines()
    }
    assert stale == {target for _source, target in unasync.PAIRS}


#: Hand-written name pairs (`X`/`AsyncX`, `x`/`async_x`) that are not copies to derive, and why.
#: Each is two thin drivers of one sans-IO core, kept side by side on purpose.
NOT_TWINS: dict[str, str] = {
    # The seams themselves: the one place the two spellings are written by hand.
    "runtime/kubetyped/concurrency.py": "driver seams (threads vs asyncio primitives)",
    # httpx's `Auth` interface asks one class for both generators; both drive `flow()`.
    "runtime/kubetyped/auth/flow.py": "httpx.Auth requires sync_auth_flow and async_auth_flow",
    # One limiter serves the blocking and asyncio clients of a config; `reserve()` is the core.
    "runtime/kubetyped/ratelimit.py": "wait/wait_async: one shared limiter, two 3-line sleeps",
    # The reflector sets a threading.Event; a thread blocks on it, a task polls it.
    "runtime/kubetyped/cache/informer_core.py": "wait_synced/async_wait_synced: a seam pair",
}


def _definitions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    }


def test_no_hand_written_twin_is_left_in_the_runtime() -> None:
    """An `AsyncX` (or `async_x`) defined beside an `X` (`x`) in the same file or package, outside
    the generated pairs, is a hand-copied twin: make the asyncio module the source of a generated
    twin (PAIRS), or list the file in NOT_TWINS with the reason it cannot be derived."""
    generated = {ROOT / target for _source, target in unasync.PAIRS}
    sources = {ROOT / source for source, _target in unasync.PAIRS}
    defined = {
        path: _definitions(path)
        for path in (ROOT / "runtime" / "kubetyped").rglob("*.py")
        if path not in generated
    }
    found = []
    for path, names in defined.items():
        relative = path.relative_to(ROOT).as_posix()
        if path in sources or relative in NOT_TWINS:
            continue
        for name in names:
            blocking = unasync.rewrite_name(name)
            if blocking == name:
                continue
            for other, other_names in defined.items():
                if other.parent == path.parent and blocking in other_names:
                    where = other.relative_to(ROOT).as_posix()
                    found.append(f"{relative}: {name} / {where}: {blocking}")
    assert not found, "hand-written twins:\n" + "\n".join(sorted(found))


def test_every_async_module_with_a_sync_sibling_is_a_pair() -> None:
    """`async_x.py` next to `sync_x.py` is a pair; it must be generated (listed in PAIRS)."""
    listed = {(ROOT / s, ROOT / t) for s, t in unasync.PAIRS}
    for source in (ROOT / "runtime" / "kubetyped").rglob("async_*.py"):
        twin = source.with_name("sync_" + source.name.removeprefix("async_"))
        if twin.exists():
            assert (source, twin) in listed, f"{twin.relative_to(ROOT)} is not generated"
