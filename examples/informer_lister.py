"""Watch ConfigMaps with a shared informer and read them from its lister (no API calls).

The generated `SharedInformerFactory` gives one informer per type; the informer lists once,
then watches, keeping a local cache the lister reads. Event handlers see every change.
The example creates a ConfigMap itself, waits until the informer has seen it, prints what the
lister knows, and stops after `--seconds` (or once it saw its own ConfigMap with `--once`).

    python examples/informer_lister.py --namespace demo --seconds 30
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from typing import Any

from _support import ensure_namespace

from kubetyped_kubernetes import Clientset, SharedInformerFactory
from kubetyped_kubernetes.models import core_v1, meta_v1


def name_of(obj: Any) -> str:
    return f"{obj.metadata.namespace}/{obj.metadata.name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to watch")
    parser.add_argument("--once", action="store_true", help="stop once our ConfigMap is seen")
    args = parser.parse_args(argv)

    with Clientset.from_kubeconfig(args.kubeconfig, context=args.context) as clientset:
        ensure_namespace(clientset.rest, args.namespace)
        factory = SharedInformerFactory(clientset, namespace=args.namespace)
        config_maps = factory.core_v1.config_maps()
        marker = f"informer-example-{int(time.time())}"
        seen_ours = threading.Event()

        # Handlers run on the informer's thread; keep them short. Objects are shared with
        # the cache: never mutate them.
        def on_add(obj: core_v1.ConfigMap, is_initial_list: bool) -> None:
            print(f"ADDED    {name_of(obj)}" + (" (initial list)" if is_initial_list else ""))
            if obj.metadata and obj.metadata.name == marker:
                seen_ours.set()

        def on_update(old: core_v1.ConfigMap, new: core_v1.ConfigMap) -> None:
            print(f"MODIFIED {name_of(new)}")

        def on_delete(obj: Any) -> None:
            print(f"DELETED  {name_of(obj)}" if hasattr(obj, "metadata") else f"DELETED {obj}")

        config_maps.informer().add_event_handler(
            on_add=on_add, on_update=on_update, on_delete=on_delete
        )
        factory.start()
        try:
            if not all(factory.wait_for_cache_sync(timeout=30).values()):
                print("informer cache did not sync", file=sys.stderr)
                return 1
            print(f"cache synced: {len(config_maps.lister().list())} ConfigMaps")

            clientset.core_v1.config_maps(args.namespace).create(
                core_v1.ConfigMap(metadata=meta_v1.ObjectMeta(name=marker), data={"a": "1"})
            )
            if not seen_ours.wait(timeout=args.seconds):
                print(f"the informer did not see {marker}", file=sys.stderr)
                return 1

            # The lister answers from memory: namespaced view, label selectors, get by name.
            lister = config_maps.lister().namespaced(args.namespace)
            ours = lister.get(marker)
            print(f"lister has {name_of(ours)} with data {ours.data}")
            print("cached:", ", ".join(sorted(name_of(c) for c in lister.list())))
            if not args.once:
                time.sleep(args.seconds)
        finally:
            factory.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
