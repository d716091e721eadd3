"""Small process and network helpers for the test cluster (Linux, loopback only)."""

from __future__ import annotations

import contextlib
import fcntl
import socket
import struct
import subprocess
from pathlib import Path

_SIOCGIFADDR = 0x8915


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def has_default_route(route_table: Path = Path("/proc/net/route")) -> bool:
    """True when the kernel's IPv4 routing table has a default route."""
    try:
        lines = route_table.read_text().splitlines()[1:]
    except OSError:
        return False
    return any(line.split()[1:2] == ["00000000"] for line in lines if line.strip())


def non_loopback_ipv4() -> str | None:
    """The first IPv4 address of a local interface that is not loopback, if any."""
    for _, name in socket.if_nameindex():
        if name == "lo":
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            try:
                packed = fcntl.ioctl(
                    sock.fileno(), _SIOCGIFADDR, struct.pack("256s", name.encode()[:15])
                )
            except OSError:
                continue
        address = socket.inet_ntoa(packed[20:24])
        if not address.startswith("127."):
            return address
    return None


def advertise_address_args() -> list[str]:
    """kube-apiserver picks its advertise address from the default route; without one we name
    a non-loopback local address (never 127.0.0.1, which the apiserver rejects for Endpoints)."""
    if has_default_route():
        return []
    address = non_loopback_ipv4()
    return [f"--advertise-address={address}"] if address else []


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate, wait, then kill: the process is gone when this returns."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=timeout)


def tail(path: Path, lines: int = 60) -> str:
    """The last lines of a log file, or a note when it is unreadable."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"<cannot read {path}: {exc}>"
