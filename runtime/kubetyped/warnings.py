"""apiserver `Warning` response headers (RFC 7234: `299 - "text"`) and who hears about them.

Like client-go, only code 299 warnings are handed to the client's `WarningHandler`; the default
handler logs each distinct text once on the `kubetyped.warnings` logger.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import httpx

__all__ = [
    "LoggingWarningHandler",
    "NoWarnings",
    "WarningHandler",
    "WarningHeader",
    "handle_response_warnings",
]

logger = logging.getLogger("kubetyped.warnings")


@dataclass(frozen=True)
class WarningHeader:
    """One parsed `Warning` header value: `code` (299 from the apiserver), `agent` (`-` or the
    server's name) and the unquoted `text`.
    """

    code: int
    agent: str
    text: str


class WarningHandler(Protocol):
    """Receives the apiserver's warnings (client-go `rest.WarningHandler`); set one per client, or
    use `default_warning_handler`.
    """

    def handle_warning(self, code: int, agent: str, text: str) -> None:
        """Called once per 299 `Warning` header of a response, with its code, agent and text. Must
        not raise.
        """


class LoggingWarningHandler:
    """Logs warnings at WARNING level; with `deduplicate` each distinct text only once."""

    def __init__(self, *, deduplicate: bool = True, log: logging.Logger = logger) -> None:
        self._deduplicate = deduplicate
        self._log = log
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def handle_warning(self, code: int, agent: str, text: str) -> None:
        """Log `text` at WARNING on the handler's logger, unless deduplicating and already seen."""
        if self._deduplicate:
            with self._lock:
                if text in self._seen:
                    return
                self._seen.add(text)
        self._log.warning("%s", text)


class NoWarnings:
    """Drops every warning."""

    def handle_warning(self, code: int, agent: str, text: str) -> None:
        """Ignore the warning."""
        return None


#: The process-wide default: warnings are logged once per distinct text.
default_warning_handler = LoggingWarningHandler()


def _quoted(value: str, start: int) -> tuple[str, int]:
    """The quoted-string starting at `value[start] == '"'`, unescaped, and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            out.append(value[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise ValueError("unterminated quoted string")


def _parse_one(value: str, pos: int) -> tuple[WarningHeader, int]:
    """One `code SP agent SP "text" [SP "date"]` value from `pos`; returns it and the next index."""
    while pos < len(value) and value[pos] in " \t":
        pos += 1
    code_end = value.find(" ", pos)
    if code_end < 0:
        raise ValueError("missing agent")
    code = value[pos:code_end]
    if len(code) != 3 or not code.isdigit():
        raise ValueError(f"bad code {code!r}")
    agent_end = value.find(" ", code_end + 1)
    if agent_end < 0:
        raise ValueError("missing text")
    agent = value[code_end + 1 : agent_end]
    if agent_end + 1 >= len(value) or value[agent_end + 1] != '"':
        raise ValueError("text is not quoted")
    text, pos = _quoted(value, agent_end + 1)
    while pos < len(value) and value[pos] in " \t":
        pos += 1
    if pos < len(value) and value[pos] == '"':  # optional warn-date
        _, pos = _quoted(value, pos)
    while pos < len(value) and value[pos] in " \t":
        pos += 1
    if pos < len(value):
        if value[pos] != ",":
            raise ValueError("garbage after warning")
        pos += 1
    return WarningHeader(int(code), agent, text), pos


def parse_warning_headers(values: Iterable[str]) -> list[WarningHeader]:
    """Every warning in the given `Warning` header values; malformed values are skipped."""
    warnings: list[WarningHeader] = []
    for value in values:
        pos = 0
        while value[pos:].strip():
            try:
                warning, pos = _parse_one(value, pos)
            except ValueError:
                break
            warnings.append(warning)
    return warnings


def handle_response_warnings(response: httpx.Response, handler: WarningHandler | None) -> None:
    """Pass each 299 warning of `response` to `handler` (None: the process default)."""
    values = response.headers.get_list("Warning")
    if not values:
        return
    handler = handler if handler is not None else default_warning_handler
    for warning in parse_warning_headers(values):
        if warning.code == 299:
            handler.handle_warning(warning.code, warning.agent, warning.text)
