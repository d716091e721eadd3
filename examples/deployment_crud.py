"""Create, update, roll back and delete a Deployment with the typed clientset
(client-go's `create-update-delete-deployment` example).

- create: a Deployment built from typed models;
- update: change the image and replicas inside `retry_on_conflict`, which re-reads and retries
  when another writer got there first (409 Conflict);
- roll back: put the previous pod template back (kept from before the update; `kubectl rollout
  undo` reads it from the old ReplicaSet, which only exists where controllers run);
- delete, unless `--keep`.

No pod is waited for: the example only talks to the API server.

    python examples/deployment_crud.py --context admin --namespace demo
"""

from __future__ import annotations

import argparse
import sys

from _support import ensure_namespace

from kubetyped.retry_conflict import retry_on_conflict
from kubetyped_kubernetes import Clientset
from kubetyped_kubernetes.models import apps_v1, core_v1, meta_v1


def new_deployment(name: str, image: str) -> apps_v1.Deployment:
    labels = {"app": name}
    return apps_v1.Deployment(
        metadata=meta_v1.ObjectMeta(name=name),
        spec=apps_v1.DeploymentSpec(
            replicas=2,
            selector=meta_v1.LabelSelector(match_labels=labels),
            template=core_v1.PodTemplateSpec(
                metadata=meta_v1.ObjectMeta(labels=labels),
                spec=core_v1.PodSpec(
                    containers=[
                        core_v1.Container(
                            name="web",
                            image=image,
                            ports=[core_v1.ContainerPort(name="http", container_port=80)],
                        )
                    ]
                ),
            ),
        ),
    )


def image_of(deployment: apps_v1.Deployment) -> str:
    assert deployment.spec and deployment.spec.template.spec
    return deployment.spec.template.spec.containers[0].image or ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--name", default="demo-deployment")
    parser.add_argument("--keep", action="store_true", help="do not delete the Deployment")
    args = parser.parse_args(argv)

    with Clientset.from_kubeconfig(args.kubeconfig, context=args.context) as clientset:
        ensure_namespace(clientset.rest, args.namespace)
        deployments = clientset.apps_v1.deployments(args.namespace)

        # 1. Create.
        created = deployments.create(new_deployment(args.name, "nginx:1.27"))
        print(f"created deployment {args.name}: image {image_of(created)}")

        # 2. Update, retrying on conflict. Always re-read inside the retried function: a
        #    conflict means our copy is stale.
        previous: list[core_v1.PodTemplateSpec] = []

        def update() -> apps_v1.Deployment:
            current = deployments.get(args.name)
            assert current.spec is not None
            # An independent copy of the template, for the rollback below.
            previous[:] = [core_v1.PodTemplateSpec.from_raw(current.spec.template.to_dict())]
            current.spec.replicas = 1
            assert current.spec.template.spec is not None
            current.spec.template.spec.containers[0].image = "nginx:1.28"
            return deployments.update(current)

        updated = retry_on_conflict(update)
        assert updated.spec is not None
        print(
            f"updated deployment {args.name}: image {image_of(updated)}, "
            f"replicas {updated.spec.replicas}"
        )

        # 3. Roll back to the previous template (also conflict-safe).
        def rollback() -> apps_v1.Deployment:
            current = deployments.get(args.name)
            assert current.spec is not None
            current.spec.template = previous[0]
            return deployments.update(current)

        rolled_back = retry_on_conflict(rollback)
        print(f"rolled back deployment {args.name}: image {image_of(rolled_back)}")

        # 4. Delete. Background propagation (kubectl's default): the Deployment goes at once,
        #    the garbage collector removes its ReplicaSets afterwards. ("Foreground" would keep
        #    it, marked for deletion, until the collector has removed the dependents.)
        if not args.keep:
            deployments.delete(args.name, propagation_policy="Background")
            print(f"deleted deployment {args.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
