"""Informer event handlers typed by the informer's object type (client-go
ResourceEventHandlerFuncs: OnAdd(obj, isInInitialList), OnUpdate(old, new), OnDelete(obj or a
DeletedFinalStateUnknown tombstone)). Checked by `mypy --strict` and pyright; must give no
diagnostics (the mistakes are in mistakes_builtin.py)."""

from __future__ import annotations

from typing import Any, assert_type

from kubetyped.cache import DeletedFinalStateUnknown, FuncHandler, unwrap_tombstone
from kubetyped_kubernetes import (
    AsyncClientset,
    AsyncSharedInformerFactory,
    Clientset,
    SharedInformerFactory,
)
from kubetyped_kubernetes.models.core_v1 import Pod

seen: list[str] = []


def added(pod: Pod, is_in_initial_list: bool) -> None:
    seen.append(f"{pod.metadata.name if pod.metadata else ''} initial={is_in_initial_list}")


def updated(old: Pod, new: Pod) -> None:
    if old.status and new.status and old.status.phase != new.status.phase:
        seen.append(f"{new.status.phase}")


def deleted(obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
    pod = unwrap_tombstone(obj)
    assert_type(pod, Pod)
    if isinstance(obj, DeletedFinalStateUnknown):
        seen.append(f"missed the deletion of {obj.key}")


class PodHandler:
    """A handler object: the three methods, typed for Pods."""

    def on_add(self, obj: Pod, is_in_initial_list: bool) -> None:
        added(obj, is_in_initial_list)

    def on_update(self, old: Pod, new: Pod) -> None:
        updated(old, new)

    def on_delete(self, obj: Pod | DeletedFinalStateUnknown[Pod]) -> None:
        deleted(obj)


def log_anything(obj: object, is_in_initial_list: bool) -> None:
    """Takes any object: fits every informer (a handler may accept more than it is given)."""
    seen.append(repr(obj))


with Clientset.from_kubeconfig() as cs:
    factory = SharedInformerFactory(cs, namespace="web")
    pods = factory.core_v1.pods().informer()
    pods.add_event_handler(on_add=added, on_update=updated, on_delete=deleted)
    pods.add_event_handler(PodHandler())
    pods.add_event_handler(FuncHandler(add=added, delete=deleted))
    pods.add_event_handler(on_add=log_anything, resync_period=60)
    pods.add_event_handler(on_add=lambda pod, initial: seen.append(str(pod.spec)))
    pods.add_event_handler(on_delete=lambda obj: seen.append(str(unwrap_tombstone(obj).spec)))
    config_maps = factory.core_v1.config_maps().informer()
    config_maps.add_event_handler(on_add=lambda cm, initial: seen.append(str(cm.data)))
    config_maps.add_event_handler(on_add=log_anything)


async def main() -> None:
    async def added_async(pod: Pod, is_in_initial_list: bool) -> None:
        added(pod, is_in_initial_list)

    async with AsyncClientset.from_kubeconfig() as acs:
        async_factory = AsyncSharedInformerFactory(acs)
        informer = async_factory.core_v1.pods().informer()
        informer.add_event_handler(on_add=added_async, on_update=updated)
        dynamic: Any = object()  # a dynamic informer's objects are dicts
        assert_type(dynamic, Any)
