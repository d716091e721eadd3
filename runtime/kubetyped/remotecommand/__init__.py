"""Run commands in containers and attach to them (client-go `tools/remotecommand`), over the
WebSocket channel protocol the apiserver speaks since 1.30 (`v5.channel.k8s.io`, falling back
to `v4.channel.k8s.io`).

Users reach it through the pods client: `exec` (one-shot → `ExecResult`), `stream_exec` and
`attach` (interactive → `ExecSession` / `AsyncExecSession`).
"""

from kubetyped.remotecommand.async_session import AsyncExecSession
from kubetyped.remotecommand.errors import (
    RemoteCommandError,
    StreamClosedError,
    StreamProtocolError,
    StreamTimeoutError,
)
from kubetyped.remotecommand.protocol import STDERR, STDOUT, ExecResult, Output
from kubetyped.remotecommand.sync_session import ExecSession

__all__ = [
    "STDERR",
    "STDOUT",
    "AsyncExecSession",
    "ExecResult",
    "ExecSession",
    "Output",
    "RemoteCommandError",
    "StreamClosedError",
    "StreamProtocolError",
    "StreamTimeoutError",
]
