"""In-cluster config from the pod's service account (client-go `rest.InClusterConfig`)."""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import Mapping
from pathlib import Path

from kubetyped.auth.flow import Clock, system_clock
from kubetyped.auth.token_file import TokenFileAuth
from kubetyped.config.client_config import ClientConfig
from kubetyped.config.errors import NotInClusterError

__all__ = ["SERVICE_ACCOUNT_DIR", "load_incluster_config"]

SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")
_log = logging.getLogger(__name__)


def _host_port(host: str, port: str) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def _namespace(env: Mapping[str, str], directory: Path) -> str:
    if env.get("POD_NAMESPACE"):
        return env["POD_NAMESPACE"]
    try:
        return (directory / "namespace").read_text(encoding="utf-8").strip() or "default"
    except OSError:
        return "default"


def _ca(path: Path) -> bytes | None:
    """The CA bundle, or None (system roots) when it is unreadable, empty or not PEM: client-go
    `rest.InClusterConfig` logs `certutil.NewPool`'s error and leaves `CAFile` unset."""
    try:
        ca = path.read_bytes()
    except OSError as exc:
        _log.error("in-cluster CA %s unreadable (%s); using system roots", path, exc.strerror)
        return None
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cadata=ca.decode("ascii"))
    except (ssl.SSLError, UnicodeDecodeError, ValueError):
        _log.error("in-cluster CA %s holds no PEM certificate; using system roots", path)
        return None
    return ca


def load_incluster_config(
    *,
    service_account_dir: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    clock: Clock = system_clock,
) -> ClientConfig:
    """Server from `KUBERNETES_SERVICE_HOST`/`_PORT`, the rotating service-account token
    (re-read every minute), its CA and namespace."""
    env = os.environ if environ is None else environ
    host, port = env.get("KUBERNETES_SERVICE_HOST"), env.get("KUBERNETES_SERVICE_PORT")
    if not host or not port:
        raise NotInClusterError(
            "unable to load in-cluster configuration: KUBERNETES_SERVICE_HOST and "
            "KUBERNETES_SERVICE_PORT must be defined",
            path="in-cluster",
            field="KUBERNETES_SERVICE_HOST",
        )
    directory = Path(SERVICE_ACCOUNT_DIR if service_account_dir is None else service_account_dir)
    auth = TokenFileAuth(directory / "token", clock=clock, source=str(directory))
    auth.token()  # fail now, not at the first request, if the token is unreadable
    ca = _ca(directory / "ca.crt")
    return ClientConfig(
        server=f"https://{_host_port(host, port)}",
        ca_data=ca,
        auth=auth,
        namespace=_namespace(env, directory),
        source="in-cluster",
    )
