"""Server-side apply of a multi-document YAML manifest (what `kubectl apply --server-side` does).

Each document is mapped to its resource through discovery (so any kind works, CRDs included)
and applied with the dynamic client under one field manager. Applying again changes nothing;
changing the file and applying again updates exactly the fields it owns.

    python examples/server_side_apply.py --namespace demo examples/manifests/app.yaml
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml
from _support import ensure_namespace

from kubetyped.config import load_kubeconfig
from kubetyped.discovery import DiscoveryClient
from kubetyped.dynamic import DynamicClient
from kubetyped.rest import RESTClient

FIELD_MANAGER = "kubetyped-example"
DEFAULT_MANIFEST = Path(__file__).parent / "manifests" / "app.yaml"


def load_documents(path: Path) -> list[dict[str, Any]]:
    """The non-empty YAML documents of `path`, each checked to be a Kubernetes object."""
    documents = []
    for index, document in enumerate(yaml.safe_load_all(path.read_text(encoding="utf-8"))):
        if document is None:
            continue  # an empty document, e.g. a trailing `---`
        if not isinstance(document, dict) or not {"apiVersion", "kind"} <= document.keys():
            raise SystemExit(f"{path}: document {index} is not an object with apiVersion and kind")
        documents.append(document)
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("manifest", nargs="?", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--force", action="store_true", help="take over conflicting fields")
    args = parser.parse_args(argv)

    config = load_kubeconfig(args.kubeconfig, context=args.context)
    with RESTClient.from_config(config) as rest:
        ensure_namespace(rest, args.namespace)
        client = DynamicClient(rest, DiscoveryClient(rest))
        for document in load_documents(args.manifest):
            resource = client.resource_for_kind(document["apiVersion"], document["kind"])
            mapping = client.discovery.rest_mapper().rest_mapping_for(
                document["apiVersion"], document["kind"]
            )
            if mapping.namespaced:  # the flag wins over no namespace in the file
                document["metadata"].setdefault("namespace", args.namespace)
                resource = resource.namespace(document["metadata"]["namespace"])
            applied = resource.apply(document, field_manager=FIELD_MANAGER, force=args.force)
            meta = applied["metadata"]
            where = f"{meta['namespace']}/" if "namespace" in meta else ""
            print(
                f"applied {document['kind']} {where}{meta['name']} "
                f"(resourceVersion {meta['resourceVersion']})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
