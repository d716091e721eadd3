"""Run the test cluster in the foreground until interrupted.

    python -m tests.cluster [--full] [--kubeconfig PATH]

Prints `export` lines that make pytest reuse this cluster instead of starting its own: the
apiserver-only cluster for the `cluster` fixture, or with `--full` the complete cluster
(controllers, scheduler, kwok node) for the `full_cluster` fixture.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import threading
from pathlib import Path

from tests.cluster.cluster import Cluster, ClusterStartError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.cluster", description=__doc__)
    parser.add_argument("--kubeconfig", type=Path, help="also copy the kubeconfig here")
    parser.add_argument("--timeout", type=float, default=60.0, help="startup timeout (s)")
    parser.add_argument(
        "--full",
        action="store_true",
        help="also run kube-controller-manager, kube-scheduler and kwok (pods run)",
    )
    parser.add_argument(
        "--apiserver-arg",
        action="append",
        default=[],
        help="extra kube-apiserver flag (repeat), e.g. --apiserver-arg=--runtime-config=api/all=true",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    cluster = Cluster(
        startup_timeout=args.timeout,
        apiserver_args=tuple(args.apiserver_arg),
        full=args.full,
    )
    try:
        info = cluster.start()
    except ClusterStartError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        kubeconfig = info.kubeconfig_path
        if args.kubeconfig is not None:
            shutil.copyfile(kubeconfig, args.kubeconfig)
            args.kubeconfig.chmod(0o600)
            kubeconfig = args.kubeconfig.resolve()
        print(f"cluster ready in {info.started_in:.1f}s at {info.server}", file=sys.stderr)
        memory = cluster.memory()
        parts = ", ".join(f"{name} {rss / 2**20:.0f}" for name, rss in memory.items())
        print(
            f"resident memory (MiB): {parts}; total {sum(memory.values()) / 2**20:.0f}",
            file=sys.stderr,
        )
        if args.full:
            # The full fixture reads kwok's facts from kwok.json beside the kubeconfig.
            print(f"export KUBETYPED_TEST_FULL_KUBECONFIG={info.kubeconfig_path}", flush=True)
        else:
            print(f"export KUBETYPED_TEST_KUBECONFIG={kubeconfig}")
            print(f"export KUBETYPED_TEST_ETCD={info.etcd_url}", flush=True)
        stop.wait()
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
