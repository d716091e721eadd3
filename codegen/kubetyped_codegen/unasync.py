"""Generate the blocking twins of the runtime's asyncio modules (httpcore's "unasync" step).

The asyncio module is the source; its blocking twin is derived from it token by token and
committed with the generated-file marker. Regenerate with ``make unasync``
(``python -m kubetyped_codegen.unasync``); ``make verify`` runs ``--check``, which fails when a
twin differs from what its source renders (a hand edit of a twin, or a source edited without
regenerating).

Rewrites, applied to names (and to the same words inside strings and comments):
- ``async``/``await`` keywords are dropped (``async def`` → ``def``, ``async for`` → ``for``);
- ``AsyncFoo`` → ``Foo``, ``async_foo``/``foo_async_bar`` → ``foo``/``foo_bar``;
- the asyncio spellings of the iteration and context protocols (``__aenter__``, ``aclose``,
  ``aiter_bytes``, ``StopAsyncIteration``, ``anext``, ...) → their blocking names;
- ``AsyncGenerator[Y, S]`` → ``Generator[Y, S, None]``.

A line ending in ``# unasync: remove`` is left out of the twin. Where threads and tasks genuinely
differ (sleeping, events, spawning), the source calls a driver seam in
``kubetyped.concurrency`` whose async and blocking spellings follow these same rules.
"""

from __future__ import annotations

import argparse
import io
import keyword
import re
import subprocess
import sys
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kubetyped_codegen.writer import COMMENT_MARKER

# (asyncio source, generated blocking twin), relative to the repository root.
PAIRS: tuple[tuple[str, str], ...] = (
    ("runtime/kubetyped/typed/async_verbs.py", "runtime/kubetyped/typed/sync_verbs.py"),
    ("runtime/kubetyped/rest/async_client.py", "runtime/kubetyped/rest/sync_client.py"),
    ("runtime/kubetyped/workqueue/aio.py", "runtime/kubetyped/workqueue/queue.py"),
    ("runtime/kubetyped/dynamic/async_client.py", "runtime/kubetyped/dynamic/sync_client.py"),
    ("runtime/kubetyped/metadata/async_client.py", "runtime/kubetyped/metadata/sync_client.py"),
    ("runtime/kubetyped/discovery/async_client.py", "runtime/kubetyped/discovery/sync_client.py"),
    ("runtime/kubetyped/scale/async_client.py", "runtime/kubetyped/scale/sync_client.py"),
    ("runtime/kubetyped/events/async_recorder.py", "runtime/kubetyped/events/sync_recorder.py"),
    (
        "runtime/kubetyped/leaderelection/async_lease_lock.py",
        "runtime/kubetyped/leaderelection/sync_lease_lock.py",
    ),
    (
        "runtime/kubetyped/leaderelection/async_elector.py",
        "runtime/kubetyped/leaderelection/sync_elector.py",
    ),
    ("runtime/kubetyped/fake/async_clientset.py", "runtime/kubetyped/fake/sync_clientset.py"),
    (
        "runtime/kubetyped/retry_conflict/async_retry.py",
        "runtime/kubetyped/retry_conflict/sync_retry.py",
    ),
    ("runtime/kubetyped/fake/async_transport.py", "runtime/kubetyped/fake/sync_transport.py"),
    ("runtime/kubetyped/typed/async_clientset.py", "runtime/kubetyped/typed/sync_clientset.py"),
    ("runtime/kubetyped/async_transport.py", "runtime/kubetyped/sync_transport.py"),
    ("runtime/kubetyped/cache/async_reflector.py", "runtime/kubetyped/cache/sync_reflector.py"),
    ("runtime/kubetyped/cache/async_informer.py", "runtime/kubetyped/cache/sync_informer.py"),
    ("runtime/kubetyped/cache/async_listwatch.py", "runtime/kubetyped/cache/sync_listwatch.py"),
    ("runtime/kubetyped/resource/async_client.py", "runtime/kubetyped/resource/sync_client.py"),
    ("runtime/kubetyped/wait/async_wait.py", "runtime/kubetyped/wait/sync_wait.py"),
    ("runtime/kubetyped/apply/async_apply.py", "runtime/kubetyped/apply/sync_apply.py"),
    ("runtime/kubetyped/rest/async_streams.py", "runtime/kubetyped/rest/sync_streams.py"),
    ("runtime/kubetyped/rest/async_websocket.py", "runtime/kubetyped/rest/sync_websocket.py"),
    (
        "runtime/kubetyped/remotecommand/async_session.py",
        "runtime/kubetyped/remotecommand/sync_session.py",
    ),
    (
        "runtime/kubetyped/portforward/async_forwarder.py",
        "runtime/kubetyped/portforward/sync_forwarder.py",
    ),
    ("runtime/kubetyped/cache/async_factory.py", "runtime/kubetyped/cache/sync_factory.py"),
    ("runtime/kubetyped/metadata/async_informer.py", "runtime/kubetyped/metadata/sync_informer.py"),
    ("runtime/kubetyped/typed/async_informers.py", "runtime/kubetyped/typed/sync_informers.py"),
)

REMOVE_PRAGMA = "# unasync: remove"

# Phrases of docstrings and comments that say something different for threads.
PHRASES = {
    "documents are fetched concurrently.": "documents are fetched one after the other.",
    "The asyncio ": "The blocking ",
    "the asyncio ": "the blocking ",
    "(call from the event loop's thread)": "(thread-safe)",
    "call it from the event loop's thread": "it is thread-safe",
    "a task of the running loop": "a daemon thread",
    "Call the plain methods from the event loop's thread.": "The plain methods are thread-safe.",
    "Suspend the calling task": "Block the calling thread",
    "run by asyncio tasks": "run by threads",
    "Async iterator": "Iterator",
    " (asyncio)": " (threads)",
    "run as asyncio tasks": "run in threads",
    "\n    Cancelling the iterating task closes the response.": "",
    "(asyncio; `sync_session` is generated from it)": "(threads)",
    "(asyncio; `sync_forwarder` is generated from it)": "(threads)",
}

_NAMES = {
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
    "aread": "read",
    "aiter_bytes": "iter_bytes",
    "aiter_lines": "iter_lines",
    "aiter_text": "iter_text",
    "aiter_raw": "iter_raw",
    "anext": "next",
    "aiter": "iter",
    "asynccontextmanager": "contextmanager",
    "StopAsyncIteration": "StopIteration",
    "AsyncByteStream": "SyncByteStream",
    "AsyncHTTPTransport": "HTTPTransport",
    "handle_async_request": "handle_request",
}
_ASYNC_CLASS = re.compile(r"Async(?=[A-Z])")
_ASYNC_WORD = re.compile(r"(?<![A-Za-z])async_|_async(?=_|\b)")
_TEXT_WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
_TEXT_KEYWORDS = re.compile(r"\b(?:async|await) (?=[A-Za-z_`(])")
_AWAITABLE = re.compile(r"\bAwaitable\[([^\[\]]+(?:\[[^\[\]]*\])?[^\[\]]*)\]")
_GENERATOR = re.compile(r"\bGenerator\[([^\[\]]+(?:\[[^\[\]]*\])?[^\[\]]*), None\]")


def _module_names() -> dict[str, str]:
    """`async_client` → `sync_client`, `aio` → `queue`: a source module's name → its twin's."""
    return {Path(source).stem: Path(target).stem for source, target in PAIRS}


def rewrite_name(name: str) -> str:
    """The blocking spelling of one identifier (unchanged when it has no async spelling)."""
    if name in _NAMES:
        return _NAMES[name]
    modules = _module_names()
    if name in modules:
        return modules[name]
    name = _ASYNC_CLASS.sub("", name)
    return _ASYNC_WORD.sub("", name) or name


def _rewrite_text(text: str) -> str:
    text = _TEXT_KEYWORDS.sub("", text)
    for phrase, blocking in PHRASES.items():
        text = text.replace(phrase, blocking)
    return _TEXT_WORD.sub(lambda m: rewrite_name(m.group(0)), text)


def _matching(tokens: list[tokenize.TokenInfo], index: int) -> int:
    depth = 0
    for position in range(index, len(tokens)):
        if tokens[position].string in ("(", "[", "{"):
            depth += 1
        elif tokens[position].string in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return position
    raise ValueError("unbalanced parentheses")


def _redundant_parens(tokens: list[tokenize.TokenInfo], index: int) -> bool:
    """`(await x).attr` → `x.attr`: parentheses around one awaited primary expression."""
    if index + 1 >= len(tokens) or tokens[index + 1].string != "await":
        return False
    previous = tokens[index - 1] if index else None
    if (
        previous is not None
        and previous.type == tokenize.NAME
        and not keyword.iskeyword(previous.string)
    ):
        return False  # a call: f(await x)
    close = _matching(tokens, index)
    depth = 0
    for token in tokens[index + 2 : close]:
        if token.string in ("(", "[", "{"):
            depth += 1
        elif token.string in (")", "]", "}"):
            depth -= 1
        elif depth == 0 and token.type == tokenize.OP and token.string != ".":
            return False
    return True


def unasync_source(source: str) -> str:
    """The blocking twin of one asyncio module's source text (before formatting)."""
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for index, token in enumerate(tokens):
        start = offsets[token.start[0] - 1] + token.start[1]
        end = offsets[token.end[0] - 1] + token.end[1]
        if token.type == tokenize.OP and token.string == "(" and _redundant_parens(tokens, index):
            close = _matching(tokens, index)
            for paren in (token, tokens[close]):
                at = offsets[paren.start[0] - 1] + paren.start[1]
                edits.append((at, at + 1, ""))
        elif token.type == tokenize.NAME and token.string in ("async", "await"):
            following = tokens[index + 1]
            next_start = offsets[following.start[0] - 1] + following.start[1]
            edits.append((start, next_start if following.start[0] == token.end[0] else end, ""))
        elif token.type == tokenize.NAME:
            new = rewrite_name(token.string)
            if new != token.string:
                edits.append((start, end, new))
        elif token.type in (tokenize.STRING, tokenize.COMMENT) or token.type == getattr(
            tokenize, "FSTRING_MIDDLE", -1
        ):
            new = _rewrite_text(token.string)
            if new != token.string:
                edits.append((start, end, new))
    out = source
    for start, end, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
    out = _GENERATOR.sub(r"Generator[\1, None, None]", out)
    out = _AWAITABLE.sub(r"\1", out)
    kept = [
        line for line in out.splitlines(keepends=True) if not line.rstrip().endswith(REMOVE_PRAGMA)
    ]
    return "".join(kept)


@dataclass(frozen=True)
class Twin:
    """One generated blocking module: where it comes from and what it must contain."""

    source: Path
    target: Path
    text: str


def header(source: str) -> str:
    """The first lines of a generated twin: the kubetyped marker and where it comes from."""
    return f"{COMMENT_MARKER}\n# Generated from {source} by `make unasync`; edit the source.\n"


def _format(text: str, target: Path, root: Path, ruff: str) -> str:
    """`ruff check --fix` (import order, sorted `__all__`) then `ruff format` (project settings)."""
    for args in (
        ["check", "--fix-only", "--unsafe-fixes", "--select", "I,F401,UP,RUF022", "--quiet"],
        ["format"],
    ):
        result = subprocess.run(
            [ruff, *args, "--stdin-filename", str(target.relative_to(root)), "-"],
            input=text,
            capture_output=True,
            text=True,
            cwd=root,
            check=False,
        )
        if result.returncode not in (0, 1) or (args[0] == "format" and result.returncode):
            raise RuntimeError(f"ruff {args[0]} failed on {target}: {result.stderr.strip()}")
        text = result.stdout or text
    return text


def render(root: Path, ruff: str) -> list[Twin]:
    """Every twin as it must be on disk."""
    twins = []
    for source_name, target_name in PAIRS:
        source = root / source_name
        target = root / target_name
        body = unasync_source(source.read_text(encoding="utf-8"))
        text = _format(header(source_name) + body, target, root, ruff)
        twins.append(Twin(source, target, text))
    return twins


def _ruff() -> str:
    candidate = Path(sys.executable).with_name("ruff")
    return str(candidate) if candidate.exists() else "ruff"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the twins (default) or, with ``--check``, list stale ones and exit 1."""
    parser = argparse.ArgumentParser(prog="python -m kubetyped_codegen.unasync")
    parser.add_argument("--check", action="store_true", help="fail when a twin is stale")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    stale = []
    for twin in render(root, _ruff()):
        current = twin.target.read_text(encoding="utf-8") if twin.target.exists() else None
        if current == twin.text:
            continue
        stale.append(twin.target.relative_to(root))
        if not args.check:
            twin.target.write_text(twin.text, encoding="utf-8")
    if args.check and stale:
        for path in stale:
            print(f"stale generated twin: {path} (run `make unasync`)", file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
