"""Forward local connections to a pod's ports (client-go `tools/portforward`), over the
WebSocket port-forward protocol of the apiserver (see `kubetyped.portforward.protocol`).

Users reach it through the pods client: `port_forward` (a local listener like
`kubectl port-forward`) and `port_forward_stream` (a byte stream to one pod port).
"""

from kubetyped.portforward.async_forwarder import AsyncPortForwarder, AsyncPortForwardStream
from kubetyped.portforward.errors import PortForwardError
from kubetyped.portforward.sync_forwarder import PortForwarder, PortForwardStream

__all__ = [
    "AsyncPortForwardStream",
    "AsyncPortForwarder",
    "PortForwardError",
    "PortForwardStream",
    "PortForwarder",
]
