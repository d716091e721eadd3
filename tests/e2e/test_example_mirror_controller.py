"""The ConfigMap → Secret mirror example (examples/configmap_secret_mirror.py) against the real
apiserver: two replicas in threads, one Lease. Secrets must converge exactly (names, data,
labels, owner references) through creates, updates, deletes, unlabelling and tampering; only
one replica leads (and reconciles) at any sampled moment; when the leader stops the follower
takes over and keeps mirroring; `Mirrored` events are aggregated into a series; no thread is
left behind. The leader handover time is printed."""

# mypy: disable-error-code="union-attr, index, operator, arg-type"
# (model fields are Optional; the test reads those the server has set)

from __future__ import annotations

import base64
import importlib.util
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kubetyped.request import PatchType
from kubetyped.retry_conflict import retry_on_conflict
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models.core_v1 import ConfigMap, Secret
from kubetyped_kubernetes.models.events_v1 import Event
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "configmap_secret_mirror.py"
# the example imports its helper module (`_support`) as scripts do: from its own folder
if str(EXAMPLE.parent) not in sys.path:
    sys.path.insert(0, str(EXAMPLE.parent))
LEASE_NAME = "mirror-e2e"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kubetyped_example_mirror", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mirror = load_example()
ENABLED = {mirror.ENABLED_LABEL: "true"}
TIMING = mirror.LeaseTiming(lease_duration=4.0, renew_deadline=3.0, retry_period=0.5)


def b64(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `check` until it returns a truthy value; fail with its last falsy value."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}: {result!r}"
        time.sleep(0.05)


@pytest.fixture
def cs(kubeconfig_path: Path) -> Iterator[Clientset]:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as clientset:
        yield clientset


@dataclass
class Replica:
    """One controller replica in a thread, with its own clientset (like its own process)."""

    identity: str
    clientset: Clientset
    controller: Any
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    error: list[BaseException] = field(default_factory=list)

    def start(self) -> None:
        def run() -> None:
            try:
                self.controller.run(self.stop)
            except BaseException as exc:  # surfaced by the test
                self.error.append(exc)

        self.thread = threading.Thread(target=run, name=f"replica-{self.identity}")
        self.thread.start()

    def shut_down(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=20)
            assert not self.thread.is_alive(), f"{self.identity} did not stop"
        self.clientset.close()
        assert self.error == [], f"{self.identity} failed: {self.error}"


def new_replica(kubeconfig_path: Path, namespace: str, identity: str) -> Replica:
    clientset = Clientset.from_kubeconfig(kubeconfig_path, context="admin")
    controller = mirror.MirrorController(
        clientset, namespace, identity, lease_name=LEASE_NAME, workers=2, timing=TIMING
    )
    return Replica(identity, clientset, controller)


class Sampler:
    """Samples is_leader() and is_reconciling() of every replica until stopped."""

    def __init__(self, replicas: list[Replica]) -> None:
        self.replicas = replicas
        self.samples = 0
        self.both_leading = 0
        self.both_reconciling = 0
        self.reconciling_without_lead = 0
        self.leaders: list[str] = []  # each new leader, in order
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sampler")
        self._thread.start()

    def _run(self) -> None:
        while not self._done.is_set():
            leading = [r.identity for r in self.replicas if r.controller.is_leader()]
            busy = [r for r in self.replicas if r.controller.is_reconciling()]
            self.samples += 1
            self.both_leading += len(leading) > 1
            self.both_reconciling += len(busy) > 1
            # A worker may finish its current item after leadership ended; only count those
            # that reconcile while another replica leads.
            self.reconciling_without_lead += any(
                r.identity not in leading and leading for r in busy
            )
            if len(leading) == 1 and (not self.leaders or self.leaders[-1] != leading[0]):
                self.leaders.append(leading[0])
            time.sleep(0.0005)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def create_config_map(
    cs: Clientset,
    namespace: str,
    name: str,
    data: dict[str, str],
    labels: dict[str, str] | None = None,
    binary: dict[str, str] | None = None,
) -> None:
    meta = ObjectMeta(name=name, labels=labels)
    cs.core_v1.config_maps(namespace).create(
        ConfigMap(metadata=meta, data=data, binary_data=binary)
    )


FOREIGN = "taken"  # a labelled ConfigMap whose Secret name is taken by a Secret not ours


def differences(cs: Clientset, namespace: str) -> list[str]:
    """What differs between the mirrors on the server and what the ConfigMaps ask for."""
    wanted = {}
    selector = f"{mirror.ENABLED_LABEL}=true"
    for cm in cs.core_v1.config_maps(namespace).list(label_selector=selector).items:
        if cm.metadata.name == FOREIGN:
            continue
        data = {k: b64(v) for k, v in (cm.data or {}).items()} | (cm.binary_data or {})
        owner = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "name": cm.metadata.name,
            "uid": cm.metadata.uid,
            "controller": True,
        }
        wanted[cm.metadata.name] = (data, {mirror.SOURCE_LABEL: cm.metadata.name}, [owner])
    got = {}
    for s in cs.core_v1.secrets(namespace).list(label_selector=mirror.SOURCE_LABEL).items:
        refs = [r.to_dict() for r in s.metadata.owner_references or []]
        got[s.metadata.name] = (s.data or {}, s.metadata.labels or {}, refs)
    diffs = [f"missing {n}" for n in wanted.keys() - got.keys()]
    diffs += [f"extra {n}" for n in got.keys() - wanted.keys()]
    diffs += [
        f"{n}: {got[n]} != {wanted[n]}" for n in wanted.keys() & got.keys() if got[n] != wanted[n]
    ]
    return diffs


def converge(cs: Clientset, namespace: str, what: str, timeout: float = 10.0) -> float:
    started = time.monotonic()
    deadline = started + timeout
    while diffs := differences(cs, namespace):
        assert time.monotonic() < deadline, f"not converged after {what}: {diffs}"
        time.sleep(0.05)
    return time.monotonic() - started


def events_about(cs: Clientset, namespace: str, name: str, reason: str) -> list[Event]:
    return [
        e
        for e in cs.events_v1.events(namespace).list().items
        if e.regarding.name == name
        and e.reason == reason
        and e.reporting_controller == mirror.CONTROLLER_NAME
    ]


def lease_holder(cs: Clientset, namespace: str) -> str:
    return cs.coordination_v1.leases(namespace).get(LEASE_NAME).spec.holder_identity or ""


def test_two_replicas_mirror_repair_and_hand_over(
    cs: Clientset, kubeconfig_path: Path, namespace: str
) -> None:
    threads_before = set(threading.enumerate())
    secrets = cs.core_v1.secrets(namespace)
    # Before the controllers start: two mirrored, one plain, one whose Secret name is taken.
    create_config_map(cs, namespace, "alpha", {"a": "1", "b": "two"}, ENABLED, {"bin": b64("\0")})
    create_config_map(cs, namespace, "beta", {"k": "v"}, ENABLED)
    create_config_map(cs, namespace, "plain", {"k": "v"})
    create_config_map(cs, namespace, FOREIGN, {"k": "v"}, ENABLED)
    secrets.create(Secret(metadata=ObjectMeta(name=FOREIGN), string_data={"own": "data"}))

    replicas = [new_replica(kubeconfig_path, namespace, f"replica-{i}") for i in (1, 2)]
    sampler = Sampler(replicas)
    try:
        for replica in replicas:
            replica.start()
        converge(cs, namespace, "start")
        leader = next(r for r in replicas if r.controller.is_leader())
        follower = next(r for r in replicas if r is not leader)
        assert lease_holder(cs, namespace) == leader.identity

        # A ConfigMap created while running, an update, a delete, an unlabel.
        create_config_map(cs, namespace, "gamma", {"g": "1"}, ENABLED)
        converge(cs, namespace, "create gamma")
        cs.core_v1.config_maps(namespace).patch(
            "alpha", {"data": {"a": "changed"}}, PatchType.MERGE
        )
        converge(cs, namespace, "update alpha")
        cs.core_v1.config_maps(namespace).delete("beta")
        converge(cs, namespace, "delete beta")
        cs.core_v1.config_maps(namespace).patch(
            "gamma", {"metadata": {"labels": {mirror.ENABLED_LABEL: None}}}, PatchType.MERGE
        )
        converge(cs, namespace, "unlabel gamma")
        # Tampering with a mirror is repaired (twice: the same event twice → a series).
        for tampered in ("evil", "worse"):
            secrets.patch(
                "alpha",
                {"data": {"a": b64(tampered)}, "metadata": {"labels": {"extra": "x"}}},
                PatchType.MERGE,
            )
            converge(cs, namespace, f"tamper alpha ({tampered})")
        secrets.delete("alpha")
        converge(cs, namespace, "delete the alpha mirror")

        # Exact end state so far.
        assert {s.metadata.name for s in secrets.list().items} == {"alpha", FOREIGN}
        assert secrets.get(FOREIGN).data == {"own": b64("data")}  # not ours: left alone
        assert secrets.get("alpha").data == {"a": b64("changed"), "b": b64("two"), "bin": "AA=="}
        assert follower.controller.writes == {"created": 0, "updated": 0, "deleted": 0}
        assert leader.controller.writes == {"created": 4, "updated": 3, "deleted": 2}

        # Events: alpha was written 5 times by one recorder → one Event with a series.
        (mirrored,) = events_about(cs, namespace, "alpha", "Mirrored")
        assert mirrored.series is not None and mirrored.series.count == 5
        assert mirrored.type == "Normal" and mirrored.reporting_instance == leader.identity
        assert (mirrored.regarding.kind, mirrored.regarding.api_version) == ("ConfigMap", "v1")
        assert len(events_about(cs, namespace, "gamma", "MirrorDeleted")) == 1
        (taken,) = wait_until(lambda: events_about(cs, namespace, FOREIGN, "SecretExists"), 5, "")
        assert taken.type == "Warning"

        # Handover: the leader stops (and releases); the follower leads and keeps mirroring.
        stopped = time.monotonic()
        leader.shut_down()
        wait_until(follower.controller.is_leader, 3 * TIMING.lease_duration, "the follower")
        handover = time.monotonic() - stopped
        create_config_map(cs, namespace, "delta", {"d": "4"}, ENABLED)
        cs.core_v1.config_maps(namespace).patch("alpha", {"data": {"b": "three"}}, PatchType.MERGE)
        after = converge(cs, namespace, "handover")
        assert lease_holder(cs, namespace) == follower.identity
        assert follower.controller.writes == {"created": 1, "updated": 1, "deleted": 0}
        (delta_event,) = events_about(cs, namespace, "delta", "Mirrored")
        assert delta_event.reporting_instance == follower.identity
        print(
            f"\nmirror controller: leader handover {handover:.2f}s after stop "
            f"(retry period {TIMING.retry_period}s), converged {after:.2f}s later; "
            f"{sampler.samples} leadership samples"
        )
    finally:
        for replica in replicas:
            replica.stop.set()
        for replica in replicas:
            replica.shut_down()
        sampler.stop()

    assert lease_holder(cs, namespace) == ""  # released on exit
    assert sampler.both_leading == 0, "two replicas led at once"
    assert sampler.both_reconciling == 0, "two replicas reconciled at once"
    assert sampler.reconciling_without_lead == 0
    assert sampler.leaders == [leader.identity, follower.identity]
    left = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert left == [], f"threads left running: {left}"


def test_main_mirrors_for_the_given_seconds(
    cs: Clientset, kubeconfig_path: Path, namespace: str, capsys: pytest.CaptureFixture[str]
) -> None:
    create_config_map(cs, namespace, "app", {"k": "v"}, ENABLED)
    args = ["--kubeconfig", str(kubeconfig_path), "--context", "admin"]
    args += ["--namespace", namespace, "--identity", "solo", "--seconds", "1.5"]
    args += ["--lease-name", LEASE_NAME]
    assert mirror.main(args) == 0
    assert "solo: {'created': 1, 'updated': 0, 'deleted': 0}" in capsys.readouterr().out
    assert cs.core_v1.secrets(namespace).get("app").data == {"k": b64("v")}
    assert lease_holder(cs, namespace) == ""


def test_lost_lease_stops_work_and_the_replica_campaigns_again(
    cs: Clientset, kubeconfig_path: Path, namespace: str
) -> None:
    replica = new_replica(kubeconfig_path, namespace, "solo")
    replica.start()
    try:
        wait_until(replica.controller.is_leader, 10, "leadership")
        # Someone else takes the Lease over (as after a partition): renewals fail, and after
        # the renew deadline the replica stops working and campaigns again.
        leases = cs.coordination_v1.leases(namespace)

        def take_over() -> None:  # the replica renews concurrently: retry on 409
            lease = leases.get(LEASE_NAME)
            lease.spec.holder_identity = "intruder"
            lease.spec.lease_duration_seconds = 5
            leases.update(lease)

        retry_on_conflict(take_over)
        lost = time.monotonic()
        wait_until(lambda: not replica.controller.is_leader(), 2 * TIMING.renew_deadline, "loss")
        lost_after = time.monotonic() - lost
        create_config_map(cs, namespace, "during", {"k": "v"}, ENABLED)
        while not replica.controller.is_leader():
            before = replica.controller.is_leader()
            mirrored = cs.core_v1.secrets(namespace).list().items
            if not before and not replica.controller.is_leader():
                assert mirrored == [], "mirrored while not leading"
            assert time.monotonic() - lost < 15, "never led again"
            time.sleep(0.05)
        converge(cs, namespace, "leading again")
        assert lease_holder(cs, namespace) == "solo"
        print(
            f"\nmirror controller: lease lost after {lost_after:.2f}s, led again after "
            f"{time.monotonic() - lost:.2f}s"
        )
    finally:
        replica.shut_down()
