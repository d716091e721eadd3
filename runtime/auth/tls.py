"""Loading an in-memory client certificate into an `ssl.SSLContext` (ssl only reads files)."""

from __future__ import annotations

import contextlib
import os
import ssl


def load_cert_chain_from_memory(ctx: ssl.SSLContext, cert_pem: bytes, key_pem: bytes) -> None:
    """Write cert and key to a private (0600) temp file, load it, and delete it at once."""
    import tempfile  # only client-certificate users need it

    fd, name = tempfile.mkstemp(prefix="kubetyped-", suffix=".pem")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(cert_pem.rstrip(b"\n") + b"\n" + key_pem)
        ctx.load_cert_chain(name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
