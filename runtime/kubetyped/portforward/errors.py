"""Errors of port-forwarding."""

from __future__ import annotations

from kubetyped.errors import KubetypedError, redact

__all__ = ["PortForwardError"]


class PortForwardError(KubetypedError):
    """The kubelet could not forward to the pod's port (`message` is the text of the port's
    error stream, e.g. connection refused inside the pod), or the stream broke the protocol."""

    def __init__(self, message: str, *, port: int | None = None) -> None:
        super().__init__(redact(message))
        self.port = port
