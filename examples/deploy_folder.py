"""Deploy a folder of manifests and wait for it (`kubectl apply --server-side -f DIR` then
`kubectl wait --for=condition=Available`); with `--delete`, remove the Deployment and wait until
its pods are gone.

Needs a cluster whose pods run (controllers and a node), e.g. `make cluster FULL=1`.

    python examples/deploy_folder.py --namespace demo examples/deploy
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kubetyped.apply import apply_manifests
from kubetyped.config import load_kubeconfig
from kubetyped.dynamic import DynamicClient
from kubetyped.manifests import load_manifests
from kubetyped.rest import RESTClient
from kubetyped.wait import condition, deleted
from kubetyped_kubernetes import Clientset

FIELD_MANAGER = "kubetyped-example"
DEFAULT_FOLDER = Path(__file__).parent / "deploy"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait")
    parser.add_argument("--delete", action="store_true", help="then delete the Deployments")
    args = parser.parse_args(argv)

    config = load_kubeconfig(args.kubeconfig, context=args.context)
    objects = load_manifests(args.folder)  # typed models; kinds without one stay dicts
    with RESTClient.from_config(config) as rest, Clientset.from_config(config) as cs:
        results = apply_manifests(
            DynamicClient(rest), objects, field_manager=FIELD_MANAGER, namespace=args.namespace
        )
        for result in results:
            print(result)  # e.g. "deployment/demo/hello serverside-applied"
        if not all(result.ok for result in results):
            return 1
        for result in results:
            if result.kind != "Deployment" or result.namespace is None:
                continue
            deployments = cs.apps_v1.deployments(result.namespace)
            ready = deployments.wait_for(result.name, condition("Available"), timeout=args.timeout)
            replicas = ready.status.ready_replicas if ready and ready.status else 0
            print(f"deployment {result.name} available ({replicas} ready)")
            if args.delete:
                deployments.delete(result.name, propagation_policy="Foreground")
                deployments.wait_for(result.name, deleted(), timeout=args.timeout)
                print(f"deployment {result.name} deleted with its pods")
    return 0


if __name__ == "__main__":
    sys.exit(main())
