"""The parts of the complete test cluster beyond etcd + kube-apiserver: kube-controller-manager,
kube-scheduler and kwok (fake nodes whose pods run through kwok's Stages).

Wired the way kwokctl's binary runtime wires them (sigs.k8s.io/kwok, pkg/kwokctl/components and
pkg/kwokctl/runtime/binary): the controllers use the admin kubeconfig, serve HTTPS on 127.0.0.1
with the health paths always allowed; kwok manages every node, answers as each node's kubelet
on 127.0.0.1:<port> (node address and `daemonEndpoints.kubeletEndpoint` come from the
`node-initialize` Stage), and reads its Stages plus ClusterExec / ClusterLogs / ClusterAttach /
ClusterPortForward from one config file. The apiserver verifies kwok's serving certificate
with the test CA (`--kubelet-certificate-authority`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

NODE_NAME = "kwok-node-0"
# The container port a port-forward to any pod reaches: kwok forwards it to
# `KwokInfo.forward_target_port` on 127.0.0.1.
FORWARDED_POD_PORT = 8080
KWOK_STAGES = (
    "node-initialize.yaml",
    "node-heartbeat-with-lease.yaml",
    "pod-ready.yaml",
    "pod-complete.yaml",
    "pod-delete.yaml",
)
KWOK_INFO_FILE = "kwok.json"


@dataclass(frozen=True)
class KwokInfo:
    """What tests of the complete cluster need to know about kwok's fake kubelet.

    Every pod's container logs are `logs_file` (CRI log format: `<RFC3339Nano> stdout F <line>`),
    `previous_logs_file` with `previous=true`; attach streams `attach_file`; exec runs the
    command on this machine in `exec_dir`; a port-forward to pod port `FORWARDED_POD_PORT`
    reaches 127.0.0.1:`forward_target_port`."""

    node_name: str
    kubelet_port: int
    logs_file: Path
    previous_logs_file: Path
    attach_file: Path
    exec_dir: Path
    forward_pod_port: int
    forward_target_port: int

    def save(self, directory: Path) -> None:
        data = {k: str(v) if isinstance(v, Path) else v for k, v in asdict(self).items()}
        (directory / KWOK_INFO_FILE).write_text(json.dumps(data, indent=2))

    @classmethod
    def load(cls, directory: Path) -> KwokInfo | None:
        path = directory / KWOK_INFO_FILE
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        paths = {"logs_file", "previous_logs_file", "attach_file", "exec_dir"}
        return cls(**{k: Path(v) if k in paths else v for k, v in data.items()})


def cri_log_line(text: str, stream: str = "stdout", *, timestamp: str | None = None) -> str:
    """One line of a CRI container log, as kwok (and the kubelet) read them."""
    import datetime as dt

    stamp = timestamp or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f000Z")
    return f"{stamp} {stream} F {text}\n"


def kwok_config(stages_dir: Path, info: KwokInfo) -> str:
    """kwok's config file: default node/pod Stages and the debugging resources, multi-document."""
    documents: list[dict[str, Any]] = []
    for name in KWOK_STAGES:
        documents.extend(d for d in yaml.safe_load_all((stages_dir / name).read_text()) if d)
    api = "kwok.x-k8s.io/v1alpha1"
    documents += [
        {
            "apiVersion": api,
            "kind": "ClusterExec",
            "metadata": {"name": "local"},
            "spec": {"execs": [{"local": {"workDir": str(info.exec_dir)}}]},
        },
        {
            "apiVersion": api,
            "kind": "ClusterLogs",
            "metadata": {"name": "logs-file"},
            "spec": {
                "logs": [
                    {
                        "logsFile": str(info.logs_file),
                        "previousLogsFile": str(info.previous_logs_file),
                        "follow": True,
                    }
                ]
            },
        },
        {
            "apiVersion": api,
            "kind": "ClusterAttach",
            "metadata": {"name": "attach-file"},
            "spec": {"attaches": [{"logsFile": str(info.attach_file)}]},
        },
        {
            "apiVersion": api,
            "kind": "ClusterPortForward",
            "metadata": {"name": "local-port"},
            "spec": {
                "forwards": [
                    {
                        "ports": [info.forward_pod_port],
                        "target": {"port": info.forward_target_port, "address": "127.0.0.1"},
                    }
                ]
            },
        },
    ]
    return yaml.safe_dump_all(documents, sort_keys=False)


def controller_manager_args(
    binary: Path, kubeconfig: Path, port: int, ca: Path, sa_key: Path
) -> list[str]:
    return [
        str(binary),
        f"--kubeconfig={kubeconfig}",
        "--bind-address=127.0.0.1",
        f"--secure-port={port}",
        "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
        f"--root-ca-file={ca}",
        f"--service-account-private-key-file={sa_key}",
        "--leader-elect=false",
        "--kube-api-qps=100",
        "--kube-api-burst=200",
    ]


def scheduler_args(binary: Path, kubeconfig: Path, port: int) -> list[str]:
    return [
        str(binary),
        f"--kubeconfig={kubeconfig}",
        "--bind-address=127.0.0.1",
        f"--secure-port={port}",
        "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
        "--leader-elect=false",
    ]


def kwok_args(
    binary: Path, kubeconfig: Path, config: Path, cert: Path, key: Path, port: int
) -> list[str]:
    return [
        str(binary),
        f"--kubeconfig={kubeconfig}",
        f"--config={config}",
        f"--tls-cert-file={cert}",
        f"--tls-private-key-file={key}",
        "--manage-all-nodes=true",
        "--node-ip=127.0.0.1",
        "--node-name=localhost",
        f"--node-port={port}",
        f"--server-address=127.0.0.1:{port}",
        "--node-lease-duration-seconds=40",
    ]


def node_manifest(name: str = NODE_NAME) -> dict[str, Any]:
    """A fake node for kwok (kwokctl's `scale node` creates the same shape)."""
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
            "labels": {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "type": "kwok",
            },
        },
        "spec": {},
    }


def node_ready(node: dict[str, Any]) -> bool:
    conditions = node.get("status", {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def process_rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
