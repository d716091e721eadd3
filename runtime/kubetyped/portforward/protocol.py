"""The WebSocket port-forward protocol of `pods/<name>/portforward` (sans-IO).

One WebSocket carries one connection to each port named by the `ports` query parameter; for
the i-th port, channel 2i carries data both ways and channel 2i+1 the kubelet's error text.
The first message the kubelet sends on each channel is the port number (2 bytes, little
endian). Each binary message is the channel byte followed by data. The subprotocol is
`v4.channel.k8s.io` (the kubelet also accepts none). There is no half-close: the connection
ends when either side closes the WebSocket. Source: k8s.io/cri-streaming
`portforward/websocket.go` (`handleWebSocketStreams`) and the legacy (non-tunnelling) path of
kube-apiserver's `PortForwardREST`; client-go's SPDY-over-WebSocket tunnel
(`SPDY/3.1+portforward.k8s.io`) is not spoken.
"""

from __future__ import annotations

from kubetyped.portforward.errors import PortForwardError

__all__: list[str] = []

PROTOCOL = "v4.channel.k8s.io"
PROTOCOLS = (PROTOCOL,)
DATA = 0
ERROR = 1


def forward_params(port: int) -> list[tuple[str, str]]:
    """Query parameters for one connection to `port` of the pod."""
    if not 0 < port < 65536:
        raise ValueError(f"port must be within 1..65535, got {port}")
    return [("ports", str(port))]


def check_protocol(negotiated: str | None) -> None:
    """Raises `PortForwardError` for a subprotocol the client did not offer."""
    if negotiated not in (None, "", PROTOCOL):
        raise PortForwardError(f"the server chose an unknown subprotocol {negotiated!r}")


def data_frame(data: bytes) -> bytes:
    """One outgoing message of data for the pod's port."""
    return bytes((DATA,)) + data


class PortConnection:
    """The receive side of one forwarded connection: strips the port announcements, returns
    data for the local side, collects the error text."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._announced = {DATA: False, ERROR: False}
        self._error = bytearray()

    def receive(self, message: bytes) -> bytes | None:
        """Data for the local side, or None (an announcement, error text, an empty message)."""
        if not message:
            return None
        channel, data = message[0], message[1:]
        if channel not in (DATA, ERROR):
            raise PortForwardError(f"message on unexpected channel {channel}", port=self.port)
        if not self._announced[channel]:
            if len(data) < 2:
                raise PortForwardError("short port announcement", port=self.port)
            announced = int.from_bytes(data[:2], "little")
            if announced != self.port:
                raise PortForwardError(
                    f"the kubelet announced port {announced}, expected {self.port}",
                    port=self.port,
                )
            self._announced[channel] = True
            data = data[2:]
        if channel == ERROR:
            self._error.extend(data)
            return None
        return data or None

    def error(self) -> PortForwardError | None:
        """The kubelet's error for this connection, if it sent one."""
        if not self._error:
            return None
        text = self._error.decode("utf-8", "replace").strip()
        return PortForwardError(text, port=self.port)
