"""Errors of exec, attach and port-forward streams."""

from __future__ import annotations

from typing import Any

from kubetyped.errors import KubetypedError, redact

__all__ = ["RemoteCommandError", "StreamClosedError", "StreamProtocolError", "StreamTimeoutError"]


class StreamProtocolError(KubetypedError):
    """The WebSocket stream broke the channel protocol, or could not be negotiated."""


class StreamClosedError(StreamProtocolError):
    """Data was sent on a stream that has already ended."""


class StreamTimeoutError(KubetypedError, TimeoutError):
    """No message arrived on the stream within the given timeout."""


class RemoteCommandError(KubetypedError):
    """The command did not complete with an exit code (`status`: the `Status` from the error
    channel, `reason` its reason, e.g. `InternalError`), or `ExecResult.check()` found a
    non-zero `exit_code`. `stdout`/`stderr` hold what the one-shot `exec` had collected."""

    def __init__(
        self,
        message: str,
        *,
        status: dict[str, Any] | None = None,
        exit_code: int | None = None,
        stdout: bytes = b"",
        stderr: bytes = b"",
    ) -> None:
        super().__init__(redact(message))
        self.message = redact(message)
        self.status: dict[str, Any] = status or {}
        self.reason: str = str(self.status.get("reason") or "")
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def with_output(self, stdout: bytes, stderr: bytes) -> RemoteCommandError:
        """The same error carrying the output collected before it."""
        return RemoteCommandError(
            self.message,
            status=self.status,
            exit_code=self.exit_code,
            stdout=stdout,
            stderr=stderr,
        )
