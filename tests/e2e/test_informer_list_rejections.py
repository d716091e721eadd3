"""An object the transform or an index function rejects in the initial LIST is reported and
left out; the informer still syncs with the rest (README "Informers never die").

Provenance: newcomer review, session 2 (/tmp/newcomer/case_index_list.py and
case_transform_list.py, on the fake clientset): one such object made the whole list fail, the
informer never synced and its cache stayed empty. Here against the real apiserver, thread and
asyncio informers.
"""

from __future__ import annotations

from typing import Any

from kubetyped.cache import IndexFuncError, TransformError
from kubetyped_kubernetes import (
    AsyncClientset,
    AsyncSharedInformerFactory,
    Clientset,
    SharedInformerFactory,
)


def config_map(name: str, **labels: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "labels": labels}}


def reject_odd(obj: Any) -> Any:
    if (obj.metadata.labels or {}).get("odd"):
        raise ValueError("this transform cannot handle odd objects")
    return obj


def team_index(obj: Any) -> list[str]:
    return [obj.metadata.labels["team"]]  # KeyError for an object without the label


OBJECTS = [config_map("a", team="x"), config_map("no-team"), config_map("odd", team="y", odd="1")]


def test_listed_objects_a_hook_rejects_are_skipped(admin_config: Any, namespace: str) -> None:
    with Clientset.from_config(admin_config) as cs:
        for obj in OBJECTS:
            cs.core_v1.config_maps(namespace).create(obj)
        errors: list[BaseException] = []
        factory = SharedInformerFactory(cs, namespace=namespace)
        informer = factory.core_v1.config_maps()
        informer.informer().add_indexers({"team": team_index})
        informer.informer().set_transform(reject_odd)
        informer.informer().set_watch_error_handler(errors.append)
        factory.start()
        try:
            assert factory.wait_for_cache_sync(30)
            assert sorted(o.metadata.name for o in informer.lister().list()) == ["a"]
            assert [o.metadata.name for o in informer.informer().indexer.by_index("team", "x")] == [
                "a"
            ]
            reported = {
                (type(e), e.key) for e in errors if isinstance(e, TransformError | IndexFuncError)
            }
            assert reported == {
                (TransformError, f"{namespace}/odd"),
                (IndexFuncError, f"{namespace}/no-team"),
            }
            assert informer.informer().health().synced
        finally:
            factory.shutdown(timeout=5)


async def test_async_listed_objects_a_hook_rejects_are_skipped(
    admin_config: Any, namespace: str
) -> None:
    async with AsyncClientset.from_config(admin_config) as cs:
        for obj in OBJECTS:
            await cs.core_v1.config_maps(namespace).create(obj)
        errors: list[BaseException] = []
        factory = AsyncSharedInformerFactory(cs, namespace=namespace)
        informer = factory.core_v1.config_maps()
        informer.informer().add_indexers({"team": team_index})
        informer.informer().set_transform(reject_odd)
        informer.informer().set_watch_error_handler(errors.append)
        factory.start()
        try:
            assert await factory.wait_for_cache_sync(30)
            assert sorted(o.metadata.name for o in informer.lister().list()) == ["a"]
            assert {type(e) for e in errors} == {TransformError, IndexFuncError}
        finally:
            await factory.shutdown()
