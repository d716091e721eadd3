"""The one output helper of the ``kubetyped`` command: results on stdout, progress and
diagnostics on stderr, both best effort.

A command's work (files written, the report at ``--output``, the exit code) never depends on
its terminal. A stream that is closed (``2>&-``: Python sets ``sys.stderr`` to None) or whose
reader went away (``2>&1 >/dev/null | true``, ``| head -1``: ``BrokenPipeError``) is silenced
for the rest of the run and the command goes on; the descriptor is pointed at ``os.devnull`` so
the interpreter's last flush stays quiet too (the convention of Python's ``signal`` docs,
"Note on SIGPIPE"). ``ensure_standard_fds`` opens ``os.devnull`` on closed descriptors 0-2 at
start, so files the command opens never take their numbers (Go's runtime does the same,
``runtime/fds_unix.go`` ``checkfds``).
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

#: streams found closed or broken (by identity: tests swap ``sys.stdout``/``sys.stderr``)
_silenced: list[TextIO] = []


def ensure_standard_fds() -> None:
    """Open ``os.devnull`` on each of descriptors 0, 1 and 2 that is closed."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)


def _silence(stream: TextIO) -> None:
    _silenced.append(stream)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a file descriptor (a test's capture); nothing left to flush into
    finally:
        os.close(devnull)


def _write(stream: TextIO | None, text: str) -> bool:
    """Write and flush ``text``; False (and the stream silenced) when it cannot be written."""
    if stream is None or any(stream is s for s in _silenced):
        return False
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError):  # BrokenPipeError, EBADF, a closed file object
        _silence(stream)
        return False
    return True


def out(text: str) -> bool:
    """``text`` on stdout as it is (add the newline); returns whether it was written."""
    return _write(sys.stdout, text)


def line(message: str) -> bool:
    """One result line on stdout; returns whether it was written."""
    return out(f"{message}\n")


def progress(message: str) -> None:
    """One progress or diagnostic line on stderr (stdout carries the result); best effort."""
    _write(sys.stderr, f"{message}\n")


def flush() -> None:
    """Flush both streams at the end of a command, silencing one that cannot take it."""
    for stream in (sys.stdout, sys.stderr):
        _write(stream, "")


__all__ = ["ensure_standard_fds", "flush", "line", "out", "progress"]
