"""A real, throwaway Kubernetes cluster on 127.0.0.1: etcd + kube-apiserver, and with
`full=True` also kube-controller-manager, kube-scheduler and kwok (one fake node whose pods
run, log, exec and port-forward on this machine; see `tests.cluster.nodes`)."""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import ssl
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import yaml

from tests.cluster import nodes
from tests.cluster.nodes import KwokInfo
from tests.cluster.pki import CertificateAuthority, KeyPair, service_account_key_pem
from tests.cluster.processes import advertise_address_args, free_port, stop_process, tail

K8S_VERSION = os.environ.get("K8S_VERSION", "v1.36.3")
ADMIN_TOKEN_USER = "admin-token"
ALICE = "alice"
CONTEXTS = ("admin", "admin-token", "alice")


class ClusterStartError(RuntimeError):
    """The control plane did not come up; the message carries the process logs."""


def binaries_dir() -> Path:
    override = os.environ.get("KUBETYPED_CLUSTER_CACHE")
    if override:
        return Path(override)
    return Path.home() / ".cache" / "kubetyped" / "k8s" / K8S_VERSION


CONTROL_PLANE_BINARIES = ("etcd", "kube-apiserver")
FULL_CLUSTER_BINARIES = (
    *CONTROL_PLANE_BINARIES,
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
)


def binaries_present(full: bool = False) -> bool:
    """True when the binaries of the apiserver-only (or, with `full`, the complete) cluster are
    cached (`make cluster-binaries` builds them)."""
    directory = binaries_dir()
    names = FULL_CLUSTER_BINARIES if full else CONTROL_PLANE_BINARIES
    stages = (directory / "kwok-stages" / name for name in nodes.KWOK_STAGES)
    return all(os.access(directory / name, os.X_OK) for name in names) and (
        not full or all(path.is_file() for path in stages)
    )


@dataclass(frozen=True)
class ClusterInfo:
    """How tests reach a running cluster. Built by `Cluster` or read back from its kubeconfig."""

    kubeconfig_path: Path
    server: str
    ca_path: Path
    admin_cert_path: Path
    admin_key_path: Path
    admin_token: str = field(repr=False)
    alice_token: str = field(repr=False)
    etcd_url: str | None = None
    started_in: float | None = None
    #: the client CA's private key (PEM), to sign more client certificates; None when the
    #: cluster was started elsewhere
    ca_key_path: Path | None = None
    kwok: KwokInfo | None = None

    def http(self, user: str = "admin", **kwargs: Any) -> httpx.Client:
        """A plain httpx client authenticated as `admin` (cert), `admin-token` or `alice`."""
        headers: dict[str, str] = {}
        context = ssl.create_default_context(cafile=str(self.ca_path))
        if user == "admin":
            context.load_cert_chain(str(self.admin_cert_path), str(self.admin_key_path))
        elif user == ADMIN_TOKEN_USER:
            headers["Authorization"] = f"Bearer {self.admin_token}"
        elif user == ALICE:
            headers["Authorization"] = f"Bearer {self.alice_token}"
        else:
            raise ValueError(f"unknown test user {user!r}; expected one of {CONTEXTS}")
        return httpx.Client(base_url=self.server, verify=context, headers=headers, **kwargs)

    def compact_etcd(self) -> int:
        """Physically compact etcd at its current revision; returns that revision.

        Afterwards a watch from an older resourceVersion gets `410 Gone`."""
        if self.etcd_url is None:
            raise RuntimeError("etcd URL unknown (set KUBETYPED_TEST_ETCD for an external cluster)")
        with httpx.Client(base_url=self.etcd_url, timeout=30) as etcd:
            key = base64.b64encode(b"/registry/").decode()
            current = etcd.post("/v3/kv/range", json={"key": key, "limit": 1}).json()
            revision = int(current["header"]["revision"])
            etcd.post(
                "/v3/kv/compaction", json={"revision": revision, "physical": True}
            ).raise_for_status()
        return revision

    @classmethod
    def from_kubeconfig(cls, path: Path, files: Path, etcd_url: str | None = None) -> ClusterInfo:
        """Recover the info of a cluster started elsewhere (`python -m tests.cluster`); the
        CA and admin credentials are written into the existing directory `files`."""
        document = yaml.safe_load(path.read_text())
        kwok = KwokInfo.load(path.parent)
        clusters = {c["name"]: c["cluster"] for c in document["clusters"]}
        users = {u["name"]: u["user"] for u in document["users"]}
        cluster = clusters["kubetyped-test"]

        def write(name: str, data_b64: str) -> Path:
            target = files / name
            target.write_bytes(base64.b64decode(data_b64))
            target.chmod(0o600)
            return target

        return cls(
            kubeconfig_path=path,
            server=cluster["server"],
            ca_path=write("ca.crt", cluster["certificate-authority-data"]),
            admin_cert_path=write("admin.crt", users["admin"]["client-certificate-data"]),
            admin_key_path=write("admin.key", users["admin"]["client-key-data"]),
            admin_token=users[ADMIN_TOKEN_USER]["token"],
            alice_token=users[ALICE]["token"],
            etcd_url=etcd_url,
            kwok=kwok,
        )


def _problem(http: httpx.Client, path: str) -> str | None:
    """None when GET path answers 200, else what it answered."""
    response = http.get(path)
    if response.status_code == 200:
        return None
    return f"GET {path}: {response.status_code} {response.text[:300]}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def kubeconfig_document(
    server: str, ca_pem: bytes, admin: KeyPair, admin_token: str, alice_token: str
) -> dict[str, Any]:
    """A kubeconfig with the contexts `admin` (client cert), `admin-token` and `alice` (tokens)."""
    users = [
        {
            "name": "admin",
            "user": {
                "client-certificate-data": _b64(admin.cert_pem),
                "client-key-data": _b64(admin.key_pem),
            },
        },
        {"name": ADMIN_TOKEN_USER, "user": {"token": admin_token}},
        {"name": ALICE, "user": {"token": alice_token}},
    ]
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "kubetyped-test",
                "cluster": {"server": server, "certificate-authority-data": _b64(ca_pem)},
            }
        ],
        "users": users,
        "contexts": [
            {"name": name, "context": {"cluster": "kubetyped-test", "user": name}}
            for name in CONTEXTS
        ],
        "current-context": "admin",
        "preferences": {},
    }


class Cluster:
    """Starts etcd and kube-apiserver (and with `full=True` kube-controller-manager,
    kube-scheduler and kwok with one Ready node) in a temp dir; `stop()` leaves no process
    behind.

    Use as a context manager, or call `start()` / `stop()`.
    """

    def __init__(
        self,
        *,
        startup_timeout: float = 60.0,
        keep_dir: bool = False,
        apiserver_args: tuple[str, ...] = (),
        etcd_args: tuple[str, ...] = (),
        full: bool = False,
    ) -> None:
        self._startup_timeout = startup_timeout
        # extra kube-apiserver flags, e.g. --runtime-config=api/all=true for the 1.36 snapshot
        self._apiserver_args = apiserver_args
        # extra etcd flags, e.g. a larger --quota-backend-bytes for the scale benchmark
        self._etcd_args = etcd_args
        self._keep_dir = keep_dir
        self._full = full
        self._processes: list[tuple[str, subprocess.Popen[bytes]]] = []
        self._logs: dict[str, Path] = {}
        self.dir: Path | None = None
        self.info: ClusterInfo | None = None

    def __enter__(self) -> ClusterInfo:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> ClusterInfo:
        if not binaries_present(self._full):
            names = FULL_CLUSTER_BINARIES if self._full else CONTROL_PLANE_BINARIES
            raise ClusterStartError(
                f"{', '.join(names)} not all found in {binaries_dir()}; run `make cluster-binaries`"
            )
        began = time.monotonic()
        self.dir = Path(tempfile.mkdtemp(prefix="kubetyped-cluster-"))
        try:
            etcd_url = self._start_etcd(self.dir)
            info = self._start_apiserver(self.dir, etcd_url)
            if self._full:
                info = self._start_nodes(self.dir, info)
        except BaseException:
            self.stop()
            raise
        self.info = ClusterInfo(**{**info.__dict__, "started_in": time.monotonic() - began})
        return self.info

    def stop(self) -> None:
        # Clients of the apiserver first, then the apiserver, then etcd.
        for _, process in reversed(self._processes):
            stop_process(process)
        self._processes.clear()
        if self.dir is not None and not self._keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} log ({path}) ---\n{tail(path)}" for name, path in self._logs.items()
        )

    def memory(self) -> dict[str, int]:
        """Resident memory (bytes) of each running component, by name."""
        return {name: nodes.process_rss(process.pid) for name, process in self._processes}

    # -- processes -------------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], directory: Path) -> subprocess.Popen[bytes]:
        log_path = directory / f"{name}.log"
        self._logs[name] = log_path
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._processes.append((name, process))
        return process

    def _wait(
        self,
        what: str,
        process: subprocess.Popen[bytes],
        probe: Callable[[], str | None],
        deadline: float,
    ) -> None:
        last_error = "no attempt"
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ClusterStartError(f"{what} exited with {process.returncode}\n{self.logs()}")
            try:
                problem = probe()
                if problem is None:
                    return
                last_error = problem
            except httpx.HTTPError as exc:
                last_error = f"{type(exc).__name__}: {exc}"
            time.sleep(0.25)
        raise ClusterStartError(
            f"{what} not ready after {self._startup_timeout:.0f}s ({last_error})\n{self.logs()}"
        )

    def _start_etcd(self, directory: Path) -> str:
        client, peer = free_port(), free_port()
        client_url, peer_url = f"http://127.0.0.1:{client}", f"http://127.0.0.1:{peer}"
        process = self._spawn(
            "etcd",
            [
                str(binaries_dir() / "etcd"),
                "--name=kubetyped",
                f"--data-dir={directory / 'etcd-data'}",
                f"--listen-client-urls={client_url}",
                f"--advertise-client-urls={client_url}",
                f"--listen-peer-urls={peer_url}",
                f"--initial-advertise-peer-urls={peer_url}",
                f"--initial-cluster=kubetyped={peer_url}",
                "--unsafe-no-fsync",
                "--log-level=warn",
                *self._etcd_args,
            ],
            directory,
        )

        def healthy() -> str | None:
            response = httpx.get(f"{client_url}/health", timeout=2)
            if response.status_code == 200 and response.json().get("health") == "true":
                return None
            return f"/health: {response.status_code} {response.text[:200]}"

        self._wait("etcd", process, healthy, time.monotonic() + self._startup_timeout)
        return client_url

    def _start_apiserver(self, directory: Path, etcd_url: str) -> ClusterInfo:
        ca = CertificateAuthority()
        ca_path = directory / "ca.crt"
        ca_path.write_bytes(ca.cert_pem)
        ca_key_path = directory / "ca.key"
        ca_key_path.write_bytes(ca.key_pem)
        ca_key_path.chmod(0o600)
        # Also kwok's kubelet serving certificate (the apiserver verifies it with the CA).
        serving_cert, serving_key = ca.serving_cert(["127.0.0.1", "localhost"]).write(
            directory, "serving"
        )
        kubelet_client_cert, kubelet_client_key = ca.client_cert(
            "kube-apiserver-kubelet-client", ("system:masters",)
        ).write(directory, "kubelet-client")
        admin = ca.client_cert("kubetyped-admin", ("system:masters",))
        admin_cert, admin_key = admin.write(directory, "admin")
        sa_key = directory / "service-account.key"
        sa_key.write_bytes(service_account_key_pem())
        sa_key.chmod(0o600)
        admin_token, alice_token = secrets.token_hex(16), secrets.token_hex(16)
        tokens = directory / "tokens.csv"
        tokens.write_text(
            f'{admin_token},{ADMIN_TOKEN_USER},uid-admin-token,"system:masters"\n'
            f"{alice_token},{ALICE},uid-alice\n"
        )
        tokens.chmod(0o600)
        port = free_port()
        server = f"https://127.0.0.1:{port}"
        process = self._spawn(
            "kube-apiserver",
            [
                str(binaries_dir() / "kube-apiserver"),
                "--bind-address=127.0.0.1",
                f"--secure-port={port}",
                f"--cert-dir={directory / 'certs'}",
                f"--tls-cert-file={serving_cert}",
                f"--tls-private-key-file={serving_key}",
                f"--client-ca-file={ca_path}",
                "--authorization-mode=RBAC",
                f"--token-auth-file={tokens}",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={sa_key}",
                f"--service-account-signing-key-file={sa_key}",
                "--service-cluster-ip-range=10.96.0.0/16",
                "--allow-privileged=true",
                f"--etcd-servers={etcd_url}",
                "--profiling=false",
                # podtemplates bypass the watch cache, so a watch from a revision compacted in
                # etcd gets 410 Gone deterministically (the cache would replay its history).
                "--watch-cache-sizes=podtemplates#0",
                f"--kubelet-certificate-authority={ca_path}",
                f"--kubelet-client-certificate={kubelet_client_cert}",
                f"--kubelet-client-key={kubelet_client_key}",
                "--kubelet-preferred-address-types=InternalIP",
                *advertise_address_args(),
                *self._apiserver_args,
            ],
            directory,
        )
        info = ClusterInfo(
            kubeconfig_path=directory / "kubeconfig",
            server=server,
            ca_path=ca_path,
            admin_cert_path=admin_cert,
            admin_key_path=admin_key,
            admin_token=admin_token,
            alice_token=alice_token,
            etcd_url=etcd_url,
            ca_key_path=ca_key_path,
        )
        deadline = time.monotonic() + self._startup_timeout
        with info.http("admin", timeout=5) as http:
            self._wait("kube-apiserver", process, lambda: _problem(http, "/readyz"), deadline)
            self._wait(
                "namespace default",
                process,
                lambda: _problem(http, "/api/v1/namespaces/default"),
                deadline,
            )
        document = kubeconfig_document(server, ca.cert_pem, admin, admin_token, alice_token)
        info.kubeconfig_path.write_text(yaml.safe_dump(document, sort_keys=False))
        info.kubeconfig_path.chmod(0o600)
        return info

    def _start_nodes(self, directory: Path, info: ClusterInfo) -> ClusterInfo:
        """kube-controller-manager, kube-scheduler and kwok; returns when the node is Ready and
        the `default` ServiceAccount exists (pods can be created)."""
        bins = binaries_dir()
        kubeconfig = info.kubeconfig_path  # current context: admin (client certificate)
        kcm_port, scheduler_port, kubelet_port = free_port(), free_port(), free_port()
        kcm = self._spawn(
            "kube-controller-manager",
            nodes.controller_manager_args(
                bins / "kube-controller-manager",
                kubeconfig,
                kcm_port,
                info.ca_path,
                directory / "service-account.key",
            ),
            directory,
        )
        scheduler = self._spawn(
            "kube-scheduler",
            nodes.scheduler_args(bins / "kube-scheduler", kubeconfig, scheduler_port),
            directory,
        )
        files = directory / "kwok-files"
        (files / "exec").mkdir(parents=True)
        kwok_info = KwokInfo(
            node_name=nodes.NODE_NAME,
            kubelet_port=kubelet_port,
            logs_file=files / "current.log",
            previous_logs_file=files / "previous.log",
            attach_file=files / "attach.log",
            exec_dir=files / "exec",
            forward_pod_port=nodes.FORWARDED_POD_PORT,
            forward_target_port=free_port(),
        )
        for path in (kwok_info.logs_file, kwok_info.previous_logs_file, kwok_info.attach_file):
            path.touch()
        kwok_config = directory / "kwok.yaml"
        kwok_config.write_text(nodes.kwok_config(bins / "kwok-stages", kwok_info))
        kwok = self._spawn(
            "kwok",
            nodes.kwok_args(
                bins / "kwok",
                kubeconfig,
                kwok_config,
                directory / "serving.crt",
                directory / "serving.key",
                kubelet_port,
            ),
            directory,
        )
        kwok_info.save(directory)
        deadline = time.monotonic() + self._startup_timeout
        with httpx.Client(verify=False, timeout=5) as local:

            def healthy(url: str) -> Callable[[], str | None]:
                def probe() -> str | None:
                    response = local.get(url)
                    return None if response.status_code == 200 else f"{url}: {response.status_code}"

                return probe

            self._wait(
                "kube-controller-manager",
                kcm,
                healthy(f"https://127.0.0.1:{kcm_port}/healthz"),
                deadline,
            )
            self._wait(
                "kube-scheduler",
                scheduler,
                healthy(f"https://127.0.0.1:{scheduler_port}/healthz"),
                deadline,
            )
            self._wait("kwok", kwok, healthy(f"http://127.0.0.1:{kubelet_port}/healthz"), deadline)
        with info.http("admin", timeout=5) as http:
            created = http.post("/api/v1/nodes", json=nodes.node_manifest())
            if created.status_code != 201:
                raise ClusterStartError(f"creating node: {created.status_code} {created.text}")

            def node_ready() -> str | None:
                response = http.get(f"/api/v1/nodes/{nodes.NODE_NAME}")
                if response.status_code == 200 and nodes.node_ready(response.json()):
                    return None
                return f"node {nodes.NODE_NAME} not Ready: {response.text[:300]}"

            self._wait("kwok node", kwok, node_ready, deadline)
            self._wait(
                "default ServiceAccount",
                kcm,
                lambda: _problem(http, "/api/v1/namespaces/default/serviceaccounts/default"),
                deadline,
            )
        return ClusterInfo(**{**info.__dict__, "kwok": kwok_info})
