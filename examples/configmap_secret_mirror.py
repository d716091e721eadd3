"""A complete small controller: mirror labelled ConfigMaps into Secrets, client-go style.

Every ConfigMap labelled `mirror.kubetyped.io/enabled=true` gets a Secret of the same name with
the same data (`data` base64-encoded, `binaryData` as is), the label
`mirror.kubetyped.io/source: <configmap>` and a controller ownerReference to the ConfigMap.
The controller owns the mirror's `data`, labels and ownerReferences and resets any drift; when
the ConfigMap is deleted or unlabelled it deletes the Secret itself (it does not rely on a
garbage collector). A Secret of that name that it did not create is left alone (a Warning
event says so).

The pieces, as in client-go's sample-controller:
- a generated `SharedInformerFactory` restricted to `--namespace`, with informers for
  ConfigMaps and Secrets; their handlers only enqueue `namespace/name` keys;
- a `RateLimitingQueue` drained by worker threads (the queue never hands out the same key to
  two workers at once); failures and conflicts are retried with per-key backoff;
- `reconcile(key)` reads only from the listers (the informer caches) and writes through the
  typed clientset, skipping writes that would change nothing;
- leader election on the Lease `--lease-name`: every replica keeps its caches warm, only the
  leader runs workers, and a stopping leader releases the Lease so a follower takes over at once;
- an event recorder: a `Mirrored` event on the ConfigMap, repeats aggregated into a series.

    python examples/configmap_secret_mirror.py --namespace demo --identity replica-1
"""

from __future__ import annotations

import argparse
import base64
import logging
import socket
import sys
import threading
from dataclasses import dataclass
from typing import Any

from _support import ensure_namespace

from kubetyped.cache import DeletedFinalStateUnknown, meta_namespace_key, split_meta_namespace_key
from kubetyped.errors import AlreadyExistsError, ConflictError, NotFoundError
from kubetyped.events import EventRecorder, RestEventSink
from kubetyped.leaderelection import Callbacks, LeaderElectionConfig, LeaderElector, RestLeaseLock
from kubetyped.request import Preconditions
from kubetyped.workqueue import QueueShutDown, RateLimitingQueue
from kubetyped_kubernetes import Clientset, SharedInformerFactory
from kubetyped_kubernetes.models.core_v1 import ConfigMap, Secret
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta, OwnerReference

ENABLED_LABEL = "mirror.kubetyped.io/enabled"
SOURCE_LABEL = "mirror.kubetyped.io/source"
CONTROLLER_NAME = "kubetyped.io/configmap-secret-mirror"

log = logging.getLogger("configmap-secret-mirror")


# ---- what the mirror of a ConfigMap looks like (pure functions) ----------------------------


def is_enabled(config_map: ConfigMap | None) -> bool:
    labels = (config_map.metadata.labels if config_map and config_map.metadata else None) or {}
    return labels.get(ENABLED_LABEL) == "true"


def mirrored_source(secret: Secret | None) -> str | None:
    """The ConfigMap a Secret mirrors (its source label), None for other Secrets."""
    labels = (secret.metadata.labels if secret and secret.metadata else None) or {}
    return labels.get(SOURCE_LABEL)


def desired_data(config_map: ConfigMap) -> dict[str, str]:
    """Secret `data` (base64) from the ConfigMap's `data` and (already base64) `binaryData`."""
    data = {k: base64.b64encode(v.encode()).decode() for k, v in (config_map.data or {}).items()}
    data.update(config_map.binary_data or {})
    return data


def owner_reference(config_map: ConfigMap) -> OwnerReference:
    meta = config_map.metadata or ObjectMeta()
    return OwnerReference(
        api_version="v1",
        kind="ConfigMap",
        name=meta.name or "",
        uid=meta.uid or "",
        controller=True,
    )


def desired_secret(config_map: ConfigMap) -> Secret:
    meta = config_map.metadata or ObjectMeta()
    return Secret(
        metadata=ObjectMeta(
            name=meta.name,
            namespace=meta.namespace,
            labels={SOURCE_LABEL: meta.name or ""},
            owner_references=[owner_reference(config_map)],
        ),
        type="Opaque",
        data=desired_data(config_map),
    )


def _owner_refs(secret: Secret) -> list[dict[str, Any]]:
    refs = secret.metadata.owner_references if secret.metadata else None
    return [ref.to_dict() for ref in refs or []]


def mirror_matches(current: Secret, desired: Secret) -> bool:
    """True when an update would change nothing the controller owns."""
    cur, want = current.metadata or ObjectMeta(), desired.metadata or ObjectMeta()
    return (
        (current.data or {}) == (desired.data or {})
        and (cur.labels or {}) == (want.labels or {})
        and _owner_refs(current) == _owner_refs(desired)
    )


def with_desired_state(current: Secret, desired: Secret) -> Secret:
    """A copy of the cached Secret (never mutate cached objects) with the owned fields reset;
    its resourceVersion is kept, so a concurrent change makes the update conflict."""
    updated = Secret.from_raw(current.to_dict())
    want = desired.metadata or ObjectMeta()
    updated.data = desired.data
    updated.string_data = None
    meta = updated.metadata or ObjectMeta()
    meta.labels = want.labels
    meta.owner_references = want.owner_references
    updated.metadata = meta
    return updated


# ---- the controller -------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaseTiming:
    """Leader election timing (client-go defaults: 15 s / 10 s / 2 s)."""

    lease_duration: float = 15.0
    renew_deadline: float = 10.0
    retry_period: float = 2.0


class MirrorController:
    """One replica. `run(stop)` blocks until `stop` is set, then shuts everything down."""

    def __init__(
        self,
        clientset: Clientset,
        namespace: str,
        identity: str,
        *,
        lease_name: str = "configmap-secret-mirror",
        workers: int = 2,
        timing: LeaseTiming = LeaseTiming(),
    ) -> None:
        self.clientset = clientset
        self.namespace = namespace
        self.identity = identity
        self.workers = workers
        self.queue: RateLimitingQueue[str] = RateLimitingQueue()
        self.recorder = EventRecorder(RestEventSink(clientset.rest), CONTROLLER_NAME, identity)
        self.writes: dict[str, int] = {"created": 0, "updated": 0, "deleted": 0}

        # One factory for both informers; only this namespace is listed, watched and cached.
        self.factory = SharedInformerFactory(clientset, namespace=namespace)
        self.config_maps = self.factory.core_v1.config_maps()
        self.secrets = self.factory.core_v1.secrets()
        self.config_maps.informer().add_event_handler(
            on_add=lambda obj, _initial: self._config_map_changed(obj),
            on_update=lambda old, new: self._config_map_changed(old, new),
            on_delete=lambda obj: self._config_map_changed(obj),
        )
        self.secrets.informer().add_event_handler(
            on_add=lambda obj, _initial: self._secret_changed(obj),
            on_update=lambda old, new: self._secret_changed(old, new),
            on_delete=lambda obj: self._secret_changed(obj),
        )

        self.elector = LeaderElector(
            RestLeaseLock(clientset.rest, namespace, lease_name),
            LeaderElectionConfig(
                identity=identity,
                lease_duration=timing.lease_duration,
                renew_deadline=timing.renew_deadline,
                retry_period=timing.retry_period,
                release_on_cancel=True,  # hand over at once when we stop
                # No on_started_leading: the workers watch is_leader() instead (one thread less).
                callbacks=Callbacks(
                    on_stopped_leading=lambda: log.info("%s: stopped leading", identity),
                    on_new_leader=lambda leader: log.info("%s: leader is %s", identity, leader),
                ),
            ),
        )
        self._stopping = threading.Event()
        self._busy = 0  # workers inside reconcile()
        self._busy_lock = threading.Lock()

    # -- event handlers: only turn notifications into keys ------------------------------------

    def _config_map_changed(self, *objs: Any) -> None:
        # Enqueue when the ConfigMap is, or was, labelled: unlabelling must delete the mirror.
        for obj in objs:
            if isinstance(obj, DeletedFinalStateUnknown):
                self.queue.add(obj.key)
                return
            if is_enabled(obj):
                self.queue.add(meta_namespace_key(obj))
                return

    def _secret_changed(self, *objs: Any) -> None:
        # A mirror was changed or deleted by someone: reconcile its source to repair it.
        for obj in objs:
            if isinstance(obj, DeletedFinalStateUnknown):
                obj = obj.obj
            source = mirrored_source(obj)
            if source is not None:
                self.queue.add(f"{self.namespace}/{source}")

    # -- reconcile: read the listers, write through the typed clientset -----------------------

    def reconcile(self, key: str) -> str:
        """Make the mirror of ConfigMap `key` right; returns what it did."""
        namespace, name = split_meta_namespace_key(key)
        config_map = self.config_maps.lister().namespaced(namespace).get_or_none(name)
        secret = self.secrets.lister().namespaced(namespace).get_or_none(name)
        secrets = self.clientset.core_v1.secrets(namespace)

        if config_map is None or not is_enabled(config_map):
            if secret is None or mirrored_source(secret) != name:
                return "unchanged"
            uid = secret.metadata.uid if secret.metadata else None
            try:  # only the Secret we saw: a newer one of that name is reconciled on its own
                secrets.delete(name, preconditions=Preconditions(uid=uid))
            except NotFoundError:
                return "unchanged"
            self._count("deleted")
            if config_map is not None:
                self.recorder.record(
                    config_map, "Normal", "MirrorDeleted", "Delete", f"deleted Secret {name}"
                )
            return "deleted"

        desired = desired_secret(config_map)
        if secret is None:
            secrets.create(desired)  # AlreadyExists (cache behind) → retried with backoff
            done = "created"
        elif mirrored_source(secret) != name:
            self.recorder.record(
                config_map,
                "Warning",
                "SecretExists",
                "Mirror",
                f"Secret {name} exists and is not managed by {CONTROLLER_NAME}",
            )
            return "unchanged"
        elif mirror_matches(secret, desired):
            return "unchanged"  # no-op writes are skipped
        else:
            secrets.update(with_desired_state(secret, desired))  # may raise ConflictError
            done = "updated"
        self._count(done)
        self.recorder.record(config_map, "Normal", "Mirrored", "Mirror", f"mirrored to {name}")
        return done

    def _count(self, write: str) -> None:
        with self._busy_lock:  # workers run in parallel
            self.writes[write] += 1

    # -- workers and leadership ----------------------------------------------------------------
    # Every replica's handlers enqueue keys all the time, so a follower's queue already holds
    # whatever changed (and everything from the initial list) when it takes over: its workers
    # simply start draining it. Workers are gated on leadership, not started by it.

    def _worker(self) -> None:
        while not self._stopping.is_set():
            if not self.is_leader():
                self._stopping.wait(0.05)
                continue
            try:
                key = self.queue.get(timeout=0.1)
            except TimeoutError:
                continue
            except QueueShutDown:
                return
            try:
                if not self.is_leader() or self._stopping.is_set():
                    self.queue.add(key)  # not ours to do any more: keep it for the next term
                    continue
                with self._busy_lock:
                    self._busy += 1
                try:
                    log.info("%s: %s %s", self.identity, key, self.reconcile(key))
                finally:
                    with self._busy_lock:
                        self._busy -= 1
                self.queue.forget(key)  # success: reset its backoff
            except (ConflictError, AlreadyExistsError, NotFoundError) as exc:
                # The cache was behind the server: retry once the informer caught up.
                log.info("%s: %s raced (%s), requeued", self.identity, key, type(exc).__name__)
                self.queue.add_rate_limited(key)
            except Exception as exc:
                log.warning("%s: %s failed, requeued: %s", self.identity, key, exc)
                self.queue.add_rate_limited(key)
            finally:
                self.queue.done(key)

    def _elect(self) -> None:
        # LeaderElector.run returns when leadership is lost: campaign again until stopped.
        while not self._stopping.is_set():
            self.elector.run()

    def is_leader(self) -> bool:
        return self.elector.is_leader()

    def is_reconciling(self) -> bool:
        with self._busy_lock:
            return self._busy > 0

    def run(self, stop: threading.Event, *, sync_timeout: float = 30.0) -> None:
        """Start informers, wait for their caches, campaign and work until `stop` is set; then
        stop the workers first, release the Lease, and stop the informers (threads joined)."""
        threads = [
            threading.Thread(target=self._worker, name=f"mirror-worker-{i}")
            for i in range(self.workers)
        ]
        threads.append(threading.Thread(target=self._elect, name=f"elector-{self.identity}"))
        self.factory.start()
        try:
            synced = self.factory.wait_for_cache_sync(timeout=sync_timeout)
            if not all(synced.values()):
                raise TimeoutError(f"informer caches not synced within {sync_timeout}s")
            for thread in threads:
                thread.start()
            stop.wait()
        finally:
            self._stopping.set()
            for worker in threads[:-1]:  # no reconcile runs once the Lease is released
                if worker.is_alive():
                    worker.join()
            self.elector.stop()  # releases the Lease if held
            if threads[-1].is_alive():
                threads[-1].join()
            self.queue.shut_down()
            self.factory.shutdown()


def run(
    clientset: Clientset, namespace: str, identity: str, stop: threading.Event, **options: Any
) -> MirrorController:
    """Run one replica until `stop` is set; returns it (for its counters)."""
    controller = MirrorController(clientset, namespace, identity, **options)
    controller.run(stop)
    return controller


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--identity", default=socket.gethostname())
    parser.add_argument("--lease-name", default="configmap-secret-mirror")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0, help="run this long, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not every request

    stop = threading.Event()
    timer = threading.Timer(args.seconds, stop.set)
    timer.start()
    with Clientset.from_kubeconfig(args.kubeconfig, context=args.context) as clientset:
        ensure_namespace(clientset.rest, args.namespace)
        controller = MirrorController(
            clientset,
            args.namespace,
            args.identity,
            lease_name=args.lease_name,
            workers=args.workers,
        )
        try:
            controller.run(stop)
        except KeyboardInterrupt:
            stop.set()
        finally:
            timer.cancel()
    print(f"{args.identity}: {controller.writes}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
