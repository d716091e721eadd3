"""Shared helpers for the config/auth unit tests (no tests here)."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from pathlib import Path
from typing import Any

import fake_clock
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SECRET_TOKEN = "s3cr3t-token-value-do-not-leak"


class FakeClock(fake_clock.FakeClock):
    """Starts at a wall-clock-like time, for token expiry timestamps."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        super().__init__(now)


def write_kubeconfig(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def kubeconfig(
    *,
    clusters: dict[str, dict[str, Any]] | None = None,
    users: dict[str, dict[str, Any]] | None = None,
    contexts: dict[str, dict[str, Any]] | None = None,
    current: str | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {"apiVersion": "v1", "kind": "Config"}
    if clusters is not None:
        doc["clusters"] = [{"name": n, "cluster": c} for n, c in clusters.items()]
    if users is not None:
        doc["users"] = [{"name": n, "user": u} for n, u in users.items()]
    if contexts is not None:
        doc["contexts"] = [{"name": n, "context": c} for n, c in contexts.items()]
    if current is not None:
        doc["current-context"] = current
    return doc


def simple_kubeconfig(
    user: dict[str, Any] | None = None, cluster: dict[str, Any] | None = None, **ctx: Any
) -> dict[str, Any]:
    return kubeconfig(
        clusters={"c": cluster if cluster is not None else {"server": "https://127.0.0.1:6443"}},
        users={"u": user if user is not None else {"token": SECRET_TOKEN}},
        contexts={"admin": {"cluster": "c", "user": "u", **ctx}},
        current="admin",
    )


def make_cert(common_name: str = "kubetyped-test", ip: str | None = None) -> tuple[bytes, bytes]:
    """A self-signed EC certificate (valid for `ip` if given) and its key, both PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    )
    if ip is not None:
        san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))])
        builder = builder.add_extension(san, critical=False)
    cert = builder.sign(key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def tls_server(
    server_cert: bytes, server_key: bytes, client_ca: bytes, tmp: Path
) -> tuple[int, dict[str, object], threading.Thread]:
    """A one-shot TLS server on 127.0.0.1 that requires a client certificate."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    (tmp / "server.pem").write_bytes(server_cert + server_key)
    ctx.load_cert_chain(tmp / "server.pem")
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(cadata=client_ca.decode())
    listener = socket.create_server(("127.0.0.1", 0))
    result: dict[str, object] = {}

    def serve() -> None:
        listener.settimeout(10)
        conn, _ = listener.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                result["peer"] = tls.getpeercert()
                tls.sendall(b"ok")
        except (ssl.SSLError, OSError) as exc:
            result["error"] = exc
        finally:
            listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener.getsockname()[1], result, thread
