"""Mistakes users make with built-in kinds: each marked line must be reported, on its line, by
`mypy --strict` and by pyright (standard), and no other line may be. Never run."""

from __future__ import annotations

import kubetyped
from kubetyped.generated import Clientset
from kubetyped.generated.models.apps_v1 import (
    Deployment,
    DeploymentApplyConfiguration,
    DeploymentSpec,
)
from kubetyped.generated.models.core_v1 import Container, ContainerPort, ServiceSpec
from kubetyped.generated.models.meta_v1 import ObjectMeta

cs = Clientset.from_kubeconfig()
deployments = cs.apps_v1.deployments("web")
container = Container(name="api", image="nginx")

# fmt: off
Container(name="api", imagee="nginx")  # expect-error: typo'd keyword
_ = kubetyped.Clientset  # expect-error: unknown attribute (the clientset is generated, not in kubetyped)
_ = kubetyped.ListOption  # expect-error: unknown attribute (a typo of a public name)
ObjectMeta(name=3)  # expect-error: wrong type
Container(image="nginx")  # expect-error: missing required field
Deployment(spec={"replicas": 1})  # expect-error: dict where a model is required
Container(name="api", image_pull_policy="Sometimes")  # expect-error: invalid enum value
ServiceSpec(type="Cluster")  # expect-error: invalid enum value
ContainerPort(containerPort=80)  # expect-error: wire name as a keyword
print(container.imagee)  # expect-error: unknown attribute read
container.imagee = "nginx"  # expect-error: unknown attribute write
container.image = 3  # expect-error: wrong type assigned
container.image_pull_policy = "sometimes"  # expect-error: invalid enum value assigned
DeploymentSpec(replicas=1)  # expect-error: missing required fields (selector, template)
deployments.apply({"metadata": {"name": "api"}, "spec": {"replicass": 2}}, field_manager="x")  # expect-error: typo in an apply configuration
deployments.apply({"spec": {"replicas": "2"}}, field_manager="x")  # expect-error: wrong type in an apply configuration
partial: DeploymentApplyConfiguration = {"spec": {"template": {"spec": {"containers": [{"imagePullPolicy": "Sometimes"}]}}}}  # expect-error: invalid enum value deep in an apply configuration
deployments.apply(cs.core_v1.pods("web").get("x"), field_manager="x")  # expect-error: a Pod where a Deployment is applied
replicas: int = deployments.get("api").spec.replicas  # expect-error: optional field read without a check
