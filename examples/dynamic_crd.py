"""The dynamic client on a custom resource: no generated code, plain dicts, any kind.

Installs the Widget CRD of manifests/widget-crd.yaml (server-side apply; idempotent), waits
until it is served, then creates, lists, patches and (unless --keep) deletes a Widget. The
dynamic client finds `widgets.examples.kubetyped.io` through discovery, rediscovering once
because the CRD is newer than the cached discovery.

    python examples/dynamic_crd.py --namespace demo
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml
from _support import ensure_namespace

from kubetyped.config import load_kubeconfig
from kubetyped.discovery import DiscoveryClient
from kubetyped.dynamic import DynamicClient
from kubetyped.request import PatchType
from kubetyped.rest import RESTClient

CRD_MANIFEST = Path(__file__).parent / "manifests" / "widget-crd.yaml"
FIELD_MANAGER = "kubetyped-example"


def install_crd(client: DynamicClient, timeout: float = 30.0) -> str:
    """Apply the CRD and wait for its Established condition; returns its name."""
    crd = yaml.safe_load(CRD_MANIFEST.read_text(encoding="utf-8"))
    crds = client.resource(
        "apiextensions.k8s.io", "v1", "customresourcedefinitions", namespaced=False
    )
    crds.apply(crd, field_manager=FIELD_MANAGER)
    name: str = crd["metadata"]["name"]
    deadline = time.monotonic() + timeout
    while True:
        conditions = (crds.get(name).get("status") or {}).get("conditions") or []
        if any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
            return name
        if time.monotonic() > deadline:
            raise SystemExit(f"CRD {name} not established after {timeout}s")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--name", default="demo-widget")
    parser.add_argument("--keep", action="store_true", help="do not delete the Widget")
    args = parser.parse_args(argv)

    config = load_kubeconfig(args.kubeconfig, context=args.context)
    with RESTClient.from_config(config) as rest:
        ensure_namespace(rest, args.namespace)
        client = DynamicClient(rest, DiscoveryClient(rest))
        print(f"CRD {install_crd(client)} is established")

        # Map kind → resource through discovery (a partial name like "wdg" works too).
        widgets = client.resource_for_kind("examples.kubetyped.io/v1", "Widget")
        widgets = widgets.namespace(args.namespace)
        print(f"Widget is served as {widgets.gvr}")

        created = widgets.create(
            {
                "apiVersion": "examples.kubetyped.io/v1",
                "kind": "Widget",
                "metadata": {"name": args.name, "labels": {"example": "dynamic"}},
                "spec": {"color": "red", "size": 1},
            }
        )
        print(f"created widget {created['metadata']['name']}: {created['spec']}")

        names = [w["metadata"]["name"] for w in widgets.list()["items"]]
        print(f"widgets in {args.namespace}: {', '.join(names)}")

        patched = widgets.patch(args.name, {"spec": {"color": "blue", "size": 3}}, PatchType.MERGE)
        print(f"patched widget {args.name}: {patched['spec']}")

        if not args.keep:
            widgets.delete(args.name)
            print(f"deleted widget {args.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
