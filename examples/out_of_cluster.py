"""Out-of-cluster configuration: connect with a kubeconfig, as a CLI or a laptop tool would.

Loads the kubeconfig (``--kubeconfig``, else $KUBECONFIG, else ~/.kube/config), prints the
server version and the ConfigMaps of one namespace.

    python examples/out_of_cluster.py --context admin --namespace default
"""

from __future__ import annotations

import argparse
import sys

from kubetyped.config import load_kubeconfig
from kubetyped.discovery import DiscoveryClient
from kubetyped_kubernetes import Clientset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--kubeconfig", help="path of the kubeconfig (default: $KUBECONFIG)")
    parser.add_argument("--context", help="kubeconfig context (default: current-context)")
    parser.add_argument("--namespace", help="namespace (default: the context's, else default)")
    args = parser.parse_args(argv)

    # The kubeconfig gives server, credentials, TLS and the context's default namespace.
    config = load_kubeconfig(args.kubeconfig, context=args.context, namespace=args.namespace)
    print(f"using {config.server} from {config.source}")
    # One clientset = one REST client and one rate limiter for every API group.
    with Clientset.from_config(config) as clientset:
        version = DiscoveryClient(clientset.rest, cache_dir=None).server_version()
        print(f"server version: {version.git_version}")

        namespace = config.namespace  # the flag, else the context's, else "default"
        config_maps = clientset.core_v1.config_maps(namespace).list()
        print(f"{len(config_maps.items)} ConfigMaps in namespace {namespace}:")
        for config_map in config_maps.items:
            assert config_map.metadata is not None
            print(f"  {config_map.metadata.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
