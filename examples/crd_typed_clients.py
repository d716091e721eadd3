"""Typed clients for a CRD: generate them from the CRD's YAML, then use them like built-ins.

1. `kubetyped generate --crd manifests/widget-crd.yaml --out <dir>/widgets_client
   --package widgets_client` writes models, clients, listers and informers for Widget
   (done in-process here; the shell command is equivalent);
2. the CRD is installed (server-side apply through the generated apiextensions client);
3. a Widget is created from typed models, read back, scaled through its `scale` subresource
   (the generic scale client) and (unless --keep) deleted. The server rejects a color outside
   the CRD's enum with a typed `InvalidError`.

    python examples/crd_typed_clients.py --namespace demo --out ./generated-widgets
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from _support import ensure_namespace

from kubetyped.errors import InvalidError
from kubetyped.scale import GroupResource, ScaleClient
from kubetyped_codegen.cli import main as kubetyped_cli
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models import meta_v1

CRD_MANIFEST = Path(__file__).parent / "manifests" / "widget-crd.yaml"
PACKAGE = "widgets_client"


def generate(out: Path) -> Any:
    """Generate the Widget package into `out` and import it."""
    status = kubetyped_cli(
        ["generate", "--crd", str(CRD_MANIFEST), "--out", str(out / PACKAGE), "--package", PACKAGE]
    )
    if status != 0:
        raise SystemExit(f"kubetyped generate failed with status {status}")
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    return importlib.import_module(PACKAGE)


def install_crd(clientset: Clientset, timeout: float = 30.0) -> None:
    crds = clientset.apiextensions_v1.custom_resource_definitions()
    crd = yaml.safe_load(CRD_MANIFEST.read_text(encoding="utf-8"))
    crds.apply(crd, field_manager="kubetyped-example")
    deadline = time.monotonic() + timeout
    while True:
        status = crds.get(crd["metadata"]["name"]).status
        conditions = (status.conditions if status else None) or []
        if any(c.type == "Established" and c.status == "True" for c in conditions):
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"CRD {crd['metadata']['name']} not established after {timeout}s")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--name", default="typed-widget")
    parser.add_argument("--out", type=Path, help="where to generate (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="do not delete the Widget")
    args = parser.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix="kubetyped-widgets-"))
    widgets_client = generate(out)
    examples_kubetyped_io_v1 = importlib.import_module(
        f"{PACKAGE}.models.examples_kubetyped_io_v1"
    )  # generated models

    print(f"generated {PACKAGE} in {out}")

    with Clientset.from_kubeconfig(args.kubeconfig, context=args.context) as clientset:
        ensure_namespace(clientset.rest, args.namespace)
        install_crd(clientset)
        # The generated clientset shares the REST client (and rate limiter) of the built-ins.
        widgets = widgets_client.Clientset(clientset.rest).examples_kubetyped_io_v1.widgets(
            args.namespace
        )

        widget = examples_kubetyped_io_v1.Widget(
            metadata=meta_v1.ObjectMeta(name=args.name),
            spec=examples_kubetyped_io_v1.WidgetSpec(color="green", size=2, replicas=1),
        )
        created = widgets.create(widget)
        print(f"created {created.kind} {created.metadata.name}: color {created.spec.color}")

        # Server-side validation from the CRD schema surfaces as a typed error.
        try:
            widgets.patch(args.name, {"spec": {"color": "purple"}}, "application/merge-patch+json")
        except InvalidError as error:
            print(f"rejected color purple: {error.message}")

        # Scale through the scale subresource, found by discovery.
        scales = ScaleClient(clientset.rest).scales(args.namespace)
        resource = GroupResource("examples.kubetyped.io", "widgets")
        scales.patch(resource, args.name, {"spec": {"replicas": 4}})
        print(f"scaled {args.name} to {widgets.get(args.name).spec.replicas} replicas")

        if not args.keep:
            widgets.delete(args.name)
            print(f"deleted {args.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
