"""Deployments: generation follows spec changes only; status is written through /status only."""

from __future__ import annotations

from typing import Any

from tests.behaviour.support import Backend, deployment


def _status(replicas: int) -> dict[str, Any]:
    return {"replicas": replicas, "observedGeneration": 1}


def test_generation_and_status_subresource(backend: Backend) -> None:
    deps = backend.cs.apps_v1.deployments(backend.namespace)
    created = deps.create({**deployment("web"), "status": _status(7)})
    assert created.metadata.generation == 1
    assert not (created.status and created.status.replicas)  # status is not set by create

    with_status = deps.update_status({**created.to_dict(), "status": _status(3)})
    assert with_status.status.replicas == 3
    assert with_status.metadata.generation == 1  # status changes never bump generation

    # a label change is metadata: no new generation
    relabelled = with_status.to_dict()
    relabelled["metadata"]["labels"] = {"team": "a"}
    relabelled = deps.update(relabelled).to_dict()
    assert relabelled["metadata"]["generation"] == 1

    # a spec change bumps generation; the status in the body is ignored
    changed = {**relabelled, "spec": {**relabelled["spec"], "replicas": 4}, "status": _status(9)}
    updated = deps.update(changed)
    assert updated.metadata.generation == 2
    assert updated.spec.replicas == 4 and updated.status.replicas == 3

    # a spec change through /status is ignored
    through_status = {**updated.to_dict(), "spec": {**updated.to_dict()["spec"], "replicas": 1}}
    after = deps.update_status(through_status)
    assert after.spec.replicas == 4 and after.metadata.generation == 2
    assert deps.get_status("web").status.replicas == 3


def test_status_patch_changes_only_status(backend: Backend) -> None:
    deps = backend.cs.apps_v1.deployments(backend.namespace)
    deps.create(deployment("api"))
    patched = deps.patch_status(
        "api", {"spec": {"replicas": 5}, "status": {"replicas": 2}}, "application/merge-patch+json"
    )
    assert patched.status.replicas == 2 and patched.spec.replicas == 1
    assert patched.metadata.generation == 1


def test_defaulting_is_not_simulated(backend: Backend) -> None:
    backend.fake_differs("the fake does no defaulting (the apiserver defaults spec.strategy)")
    created = backend.cs.apps_v1.deployments(backend.namespace).create(deployment("defaults"))
    assert created.spec.strategy is not None and created.spec.strategy.type == "RollingUpdate"
