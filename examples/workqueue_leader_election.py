"""A minimal controller: leader election, an informer feeding a work queue, and workers.

Only the replica holding the Lease `--lease-name` runs the controller (start several copies:
one leads, the others wait and take over if it stops renewing). The controller watches
ConfigMaps labelled `example.kubetyped.io/managed=true`, queues their keys, and a worker marks
each one with the annotation `example.kubetyped.io/processed-by: <identity>`. Failed items are
retried with per-item exponential backoff (`RateLimitingQueue`). The example exits after
`--max-items` ConfigMaps were processed, or after `--seconds`, releasing the Lease.

    python examples/workqueue_leader_election.py --namespace demo --identity replica-1
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from _support import ensure_namespace

from kubetyped.cache import meta_namespace_key, split_meta_namespace_key
from kubetyped.leaderelection import (
    Callbacks,
    LeaderElectionConfig,
    LeaderElector,
    RestLeaseLock,
)
from kubetyped.request import PatchType
from kubetyped.workqueue import QueueShutDown, RateLimitingQueue
from kubetyped_kubernetes import Clientset, SharedInformerFactory

LABEL = "example.kubetyped.io/managed"
ANNOTATION = "example.kubetyped.io/processed-by"


class Controller:
    """Informer → queue of `namespace/name` keys → `process(key)` on a worker thread."""

    def __init__(self, clientset: Clientset, namespace: str, identity: str, max_items: int) -> None:
        self.clientset = clientset
        self.identity = identity
        self.max_items = max_items
        self.processed: set[str] = set()
        self.finished = threading.Event()
        self.queue: RateLimitingQueue[str] = RateLimitingQueue()
        self.factory = SharedInformerFactory(
            clientset,
            namespace=namespace,
            # Only labelled ConfigMaps are listed, watched and cached.
            tweak_list_options=lambda o: _with_selector(o, f"{LABEL}=true"),
        )
        informer = self.factory.core_v1.config_maps().informer()
        informer.add_event_handler(
            on_add=lambda obj, _initial: self.enqueue(obj),
            on_update=lambda _old, new: self.enqueue(new),
        )

    def enqueue(self, obj: Any) -> None:
        self.queue.add(meta_namespace_key(obj))  # the queue deduplicates pending keys

    def process(self, key: str) -> None:
        namespace, name = split_meta_namespace_key(key)
        config_maps = self.clientset.core_v1.config_maps(namespace)
        config_map = self.factory.core_v1.config_maps().lister().namespaced(namespace).get(name)
        annotations = (config_map.metadata.annotations if config_map.metadata else None) or {}
        if annotations.get(ANNOTATION) != self.identity:
            config_maps.patch(
                name, {"metadata": {"annotations": {ANNOTATION: self.identity}}}, PatchType.MERGE
            )
            print(f"processed {key}", flush=True)
        self.processed.add(key)
        if len(self.processed) >= self.max_items:
            self.finished.set()

    def worker(self) -> None:
        while True:
            try:
                key = self.queue.get()
            except QueueShutDown:
                return
            try:
                self.process(key)
                self.queue.forget(key)  # success: reset its backoff
            except Exception as exc:  # retry later, with growing delay
                logging.warning("processing %s failed, requeued: %s", key, exc)
                self.queue.add_rate_limited(key)
            finally:
                self.queue.done(key)

    def run(self, should_stop: Callable[[], bool]) -> None:
        """Run while leading: start the informer, wait for its cache, then work."""
        self.factory.start()
        self.factory.wait_for_cache_sync(timeout=30)
        worker = threading.Thread(target=self.worker, daemon=True, name="worker")
        worker.start()
        while not should_stop() and not self.finished.wait(0.1):
            pass
        self.queue.shut_down()
        self.factory.shutdown()
        worker.join(timeout=10)


def _with_selector(options: Any, selector: str) -> Any:
    return dataclasses.replace(options, label_selector=selector)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--identity", default=socket.gethostname())
    parser.add_argument("--lease-name", default="example-controller")
    parser.add_argument("--max-items", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)

    with Clientset.from_kubeconfig(args.kubeconfig, context=args.context) as clientset:
        ensure_namespace(clientset.rest, args.namespace)
        controller = Controller(clientset, args.namespace, args.identity, args.max_items)
        stopped_leading = threading.Event()
        config = LeaderElectionConfig(
            identity=args.identity,
            lease_duration=15.0,
            renew_deadline=10.0,
            retry_period=2.0,
            release_on_cancel=True,  # hand over at once when we stop, not after 15 s
            callbacks=Callbacks(
                on_started_leading=controller.run,
                on_stopped_leading=stopped_leading.set,
                on_new_leader=lambda leader: print(f"leader is {leader}", flush=True),
            ),
        )
        lock = RestLeaseLock(clientset.rest, args.namespace, args.lease_name)
        elector = LeaderElector(lock, config)
        elector.start()
        done = controller.finished.wait(args.seconds)
        elector.stop()
        stopped_leading.wait(5)
        print(f"processed {len(controller.processed)} ConfigMaps as {args.identity}")
        return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
