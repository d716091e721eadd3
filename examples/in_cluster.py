"""In-cluster configuration: what a program running in a pod does.

The pod's service account gives the token, CA and namespace (mounted at
/var/run/secrets/kubernetes.io/serviceaccount); KUBERNETES_SERVICE_HOST/PORT give the server.
The token is re-read every minute, so rotated tokens are picked up. Lists the ConfigMaps of
the pod's namespace.

    python examples/in_cluster.py                       # inside a pod
    python examples/in_cluster.py --service-account-dir ./sa   # elsewhere, for testing
"""

from __future__ import annotations

import argparse
import sys

from kubetyped.config import SERVICE_ACCOUNT_DIR, load_incluster_config
from kubetyped_kubernetes import Clientset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--service-account-dir", default=str(SERVICE_ACCOUNT_DIR))
    parser.add_argument("--namespace", help="namespace (default: the service account's)")
    # Accepted for symmetry with the other examples; in-cluster config uses no kubeconfig.
    parser.add_argument("--kubeconfig", help=argparse.SUPPRESS)
    parser.add_argument("--context", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    config = load_incluster_config(service_account_dir=args.service_account_dir)
    print(f"in-cluster config: server {config.server}, namespace {config.namespace}")
    namespace = args.namespace or config.namespace
    with Clientset.from_config(config) as clientset:
        config_maps = clientset.core_v1.config_maps(namespace).list()
        print(f"{len(config_maps.items)} ConfigMaps in namespace {namespace}:")
        for config_map in config_maps.items:
            assert config_map.metadata is not None
            print(f"  {config_map.metadata.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
