"""The Kubernetes channel WebSocket protocol of `pods/exec` and `pods/attach` (sans-IO).

Every binary WebSocket message is one channel byte followed by data: 0 stdin, 1 stdout,
2 stderr, 3 error (a JSON `Status` once the command ends), 4 resize (JSON
`{"Width": w, "Height": h}`). `v5.channel.k8s.io` adds the close signal `[255, channel]`, the
only way to send end-of-file on stdin; `v4.channel.k8s.io` (the fallback) has none. Source:
client-go `tools/remotecommand/websocket.go` (`wsStreamCreator`, `errorDecoderV4`) and
k8s.io/streaming `httpstream/wsstream/conn.go`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kubetyped.remotecommand.errors import RemoteCommandError, StreamProtocolError

__all__ = ["STDERR", "STDOUT", "ExecResult", "Output"]

STDIN = 0
STDOUT = 1
STDERR = 2
ERROR = 3
RESIZE = 4
CLOSE = 255

V5_PROTOCOL = "v5.channel.k8s.io"
V4_PROTOCOL = "v4.channel.k8s.io"
#: Offered in order of preference (client-go's `StreamProtocolV5Name`, then V4).
PROTOCOLS = (V5_PROTOCOL, V4_PROTOCOL)

_SUCCESS = "Success"
_FAILURE = "Failure"
_NON_ZERO_EXIT = "NonZeroExitCode"
_EXIT_CODE_CAUSE = "ExitCode"


def stream_params(
    *,
    container: str | None,
    stdin: bool,
    stdout: bool,
    stderr: bool,
    tty: bool,
    command: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """Query parameters of `pods/<name>/exec` (with `command`) or `pods/<name>/attach`:
    `PodExecOptions` / `PodAttachOptions`."""
    if tty and stderr:
        stderr = False  # a terminal merges stderr into stdout (kubectl does the same)
    if not (stdin or stdout or stderr):
        raise ValueError("at least one of stdin, stdout and stderr must be requested")
    params = [("command", part) for part in command]
    if container:
        params.append(("container", container))
    for name, value in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr), ("tty", tty)):
        params.append((name, "true" if value else "false"))
    return params


def check_protocol(negotiated: str | None) -> str:
    """The negotiated subprotocol; an apiserver that chose none (or another) cannot stream."""
    if negotiated not in PROTOCOLS:
        raise StreamProtocolError(
            f"the server accepted none of the WebSocket subprotocols {', '.join(PROTOCOLS)} "
            f"(answered {negotiated!r}); kube-apiserver >= 1.30 speaks v5.channel.k8s.io"
        )
    return negotiated


def frame(channel: int, data: bytes = b"") -> bytes:
    """One outgoing message on `channel`."""
    return bytes((channel,)) + data


def resize_frame(width: int, height: int) -> bytes:
    """A terminal resize (columns, rows) for the TTY of the session."""
    if width < 0 or height < 0:
        raise ValueError(f"terminal size must not be negative, got {width}x{height}")
    return frame(RESIZE, json.dumps({"Width": width, "Height": height}).encode())


def close_frame(protocol: str, channel: int = STDIN) -> bytes:
    """The v5 half-close of `channel` (end of stdin); v4 cannot signal it."""
    if protocol != V5_PROTOCOL:
        raise StreamProtocolError(
            f"{protocol} cannot close stdin (the apiserver answered without v5.channel.k8s.io); "
            "the command never sees end-of-file"
        )
    return bytes((CLOSE, channel))


@dataclass(frozen=True)
class ExecResult:
    """The outcome of a command run to completion (`pods/exec`): its output and exit code."""

    stdout: bytes
    stderr: bytes
    exit_code: int

    def check(self) -> ExecResult:
        """This result when the command exited 0; else raises `RemoteCommandError`."""
        if self.exit_code != 0:
            raise RemoteCommandError(
                f"command terminated with non-zero exit code {self.exit_code}",
                exit_code=self.exit_code,
                stderr=self.stderr,
            )
        return self


@dataclass(frozen=True)
class Output:
    """Data the command wrote on `channel` (`STDOUT` or `STDERR`)."""

    channel: int
    data: bytes


class ChannelSession:
    """The receive side of one exec/attach session: splits messages into output and the final
    status; `exit_code` is known once the error channel spoke.

    `receive(message)` returns the `Output` to hand to the user, or None (an empty channel
    announcement, a status). `exit_code` follows client-go's `errorDecoderV4`: `Success` is 0,
    `Failure` with reason `NonZeroExitCode` carries the code in its `ExitCode` cause; any other
    failure raises `RemoteCommandError` from `exit_code`.
    """

    def __init__(self, protocol: str) -> None:
        self.protocol = protocol
        self.status: dict[str, Any] | None = None

    def receive(self, message: bytes) -> Output | None:
        """The output in one received message, or None; a status is kept in `status`."""
        if not message:
            return None
        channel, data = message[0], message[1:]
        if channel in (STDOUT, STDERR):
            return Output(channel, data) if data else None
        if channel == ERROR:
            if data:
                self._status(data)
            return None
        raise StreamProtocolError(f"message on unexpected channel {channel}")

    def _status(self, data: bytes) -> None:
        try:
            status = json.loads(data)
        except ValueError:
            status = None
        if not isinstance(status, dict):
            text = data[:500].decode("utf-8", "replace")
            raise StreamProtocolError(f"error channel carried no Status: {text!r}")
        self.status = status

    @property
    def finished(self) -> bool:
        """Whether the error channel gave the final status."""
        return self.status is not None

    def exit_code(self) -> int:
        """0, the command's non-zero exit code, or raises `RemoteCommandError` (the command
        could not run) / `StreamProtocolError` (the stream ended without a status)."""
        status = self.status
        if status is None:
            raise StreamProtocolError("the stream ended before the error channel gave a status")
        outcome = status.get("status")
        if outcome == _SUCCESS:
            return 0
        message = str(status.get("message") or "")
        if outcome == _FAILURE and status.get("reason") == _NON_ZERO_EXIT:
            details = status.get("details")
            causes = details.get("causes") if isinstance(details, dict) else None
            for cause in causes if isinstance(causes, list) else []:
                if isinstance(cause, dict) and cause.get("reason", cause.get("type")) == (
                    _EXIT_CODE_CAUSE
                ):
                    try:
                        return int(cause.get("message", ""))
                    except ValueError:
                        break
            raise RemoteCommandError(
                f"non-zero exit without an exit code: {message}", status=status
            )
        if outcome == _FAILURE:
            raise RemoteCommandError(f"error executing remote command: {message}", status=status)
        raise RemoteCommandError(f"unknown status {outcome!r}: {message}", status=status)
