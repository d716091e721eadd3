"""A user's deployment tool on the built-in 1.36 kinds, as a new user writes it.

Checked by `mypy --strict` and pyright (standard) with no plugin, against the installed package
(tests/typing/test_user_code_types.py); never run. Must produce no diagnostics; every
`assert_type` is what editors and checkers must infer.
"""

from __future__ import annotations

import contextlib
from typing import Any, Literal, assert_type

import yaml

from kubetyped.errors import ConflictError, NotFoundError
from kubetyped.model import Quantity, strict_construction
from kubetyped.request import PatchType
from kubetyped_kubernetes import AsyncClientset, Clientset, SharedInformerFactory
from kubetyped_kubernetes.models.apps_v1 import (
    Deployment,
    DeploymentApplyConfiguration,
    DeploymentList,
    DeploymentSpec,
)
from kubetyped_kubernetes.models.autoscaling_v1 import Scale
from kubetyped_kubernetes.models.core_v1 import (
    ConfigMap,
    Container,
    ContainerPort,
    EnvVar,
    HTTPGetAction,
    Pod,
    PodSpec,
    PodTemplateSpec,
    Probe,
    ResourceRequirements,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubetyped_kubernetes.models.meta_v1 import LabelSelector, ObjectMeta

cs = Clientset.from_kubeconfig(context="kind-dev")
assert_type(cs, Clientset)
deployments = cs.apps_v1.deployments("web")

# ---- building objects: snake_case keywords, optional fields optional ----------------------
labels = {"app": "api"}
container = Container(
    name="api",
    image="nginx:1.27",
    image_pull_policy="IfNotPresent",
    ports=[ContainerPort(container_port=8080, name="http", protocol="TCP")],
    env=[EnvVar(name="MODE", value="production")],
    resources=ResourceRequirements(limits={"cpu": Quantity("500m"), "memory": Quantity("256Mi")}),
    liveness_probe=Probe(http_get=HTTPGetAction(port=8080, path="/healthz"), period_seconds=10),
)
deployment = Deployment(
    metadata=ObjectMeta(name="api", namespace="web", labels=labels),
    spec=DeploymentSpec(
        replicas=3,
        selector=LabelSelector(match_labels=labels),
        template=PodTemplateSpec(
            metadata=ObjectMeta(labels=labels), spec=PodSpec(containers=[container])
        ),
    ),
)
service = Service(
    metadata=ObjectMeta(name="api"),
    spec=ServiceSpec(
        type="ClusterIP", selector=labels, ports=[ServicePort(port=80, target_port="http")]
    ),
)
settings = ConfigMap(metadata=ObjectMeta(name="settings"), data={"mode": "production"})
container.image = "nginx:1.28"  # assignment is checked too
assert_type(container.image_pull_policy, Literal["Always", "IfNotPresent", "Never"] | None)
assert_type(container.ports, list[ContainerPort] | None)
assert_type(deployment.to_dict(), dict[str, Any])
assert_type(deployment.to_json(), bytes)

# ---- typed verbs ---------------------------------------------------------------------------
try:
    current = deployments.get("api")
except NotFoundError:
    current = deployments.create(deployment, field_manager="deployer")
assert_type(current, Deployment)
spec = current.spec
assert_type(spec, DeploymentSpec | None)
if spec is not None and spec.template.spec is not None:
    assert_type(spec.template.spec.containers[0].image, str | None)
    assert_type(spec.replicas, int | None)

listed = deployments.list(label_selector="app=api", limit=50)
assert_type(listed, DeploymentList)
for item in listed.items:
    assert_type(item, Deployment)
for pod in cs.core_v1.pods("web").iterate(label_selector="app=api"):
    assert_type(pod, Pod)
    if pod.status is not None:
        assert_type(
            pod.status.phase, Literal["Failed", "Pending", "Running", "Succeeded", "Unknown"] | None
        )

with contextlib.suppress(ConflictError):  # someone else changed it: fine for this tool
    deployments.update(current, field_manager="deployer")
patched = deployments.patch(
    "api", {"metadata": {"labels": {"tier": "web"}}}, PatchType.MERGE, field_manager="deployer"
)
assert_type(patched, Deployment)

# ---- server-side apply with a typed apply configuration -------------------------------------
applied = deployments.apply(
    {"metadata": {"name": "api"}, "spec": {"replicas": 2}}, field_manager="deployer"
)
assert_type(applied, Deployment)
partial: DeploymentApplyConfiguration = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "api", "labels": labels},
    "spec": {
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "api",
                        "image": "nginx:1.28",
                        "imagePullPolicy": "Always",
                        "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                        "resources": {"limits": {"cpu": "1", "memory": 512}},
                    }
                ]
            }
        }
    },
}
deployments.apply(partial, field_manager="deployer", force=True)
deployments.apply(deployment, field_manager="deployer")  # a whole model works too
deployments.apply_status(
    {"metadata": {"name": "api"}, "status": {"replicas": 2}}, field_manager="x"
)
scale = deployments.get_scale("api")
assert_type(scale, Scale)
deployments.apply_scale("api", {"spec": {"replicas": 4}}, field_manager="deployer")

# ---- manifests (wire names) and strict construction ----------------------------------------
manifest = yaml.safe_load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n")
from_manifest = Deployment.model_validate(manifest)
assert_type(from_manifest, Deployment)
with strict_construction():
    checked = Deployment.model_validate(manifest)
deployments.apply(manifest, field_manager="deployer")  # parsed YAML (Any) is accepted

# ---- watch, informers and listers ----------------------------------------------------------
for event in deployments.watch(timeout_seconds=30):
    assert_type(event.object, Deployment)
    print(event.type, event.object.metadata.name if event.object.metadata else None)

factory = SharedInformerFactory(cs, namespace="web")
informer = factory.apps_v1.deployments()
factory.start()
cached = informer.lister().namespaced("web").get("api")
assert_type(cached, Deployment)
assert_type(informer.lister().list("app=api"), list[Deployment])
factory.shutdown()


async def reconcile_async() -> None:
    async with AsyncClientset.from_kubeconfig() as acs:
        assert_type(acs, AsyncClientset)
        got = await acs.apps_v1.deployments("web").get("api")
        assert_type(got, Deployment)
        await acs.apps_v1.deployments("web").apply(
            {"metadata": {"name": "api"}, "spec": {"paused": True}}, field_manager="deployer"
        )


with Clientset.from_kubeconfig() as scoped:
    assert_type(scoped, Clientset)
