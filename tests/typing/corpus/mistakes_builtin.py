"""Mistakes users make with built-in kinds: each marked line must be reported, on its line, by
`mypy --strict` and by pyright (standard), and no other line may be. Never run."""

from __future__ import annotations

from datetime import datetime

import kubetyped
import kubetyped.config
from kubetyped.cache import DeletedFinalStateUnknown
from kubetyped.request import DeleteOptions, PatchType
from kubetyped_kubernetes import Clientset, SharedInformerFactory
from kubetyped_kubernetes.models.apps_v1 import (
    Deployment,
    DeploymentApplyConfiguration,
    DeploymentSpec,
)
from kubetyped_kubernetes.models.core_v1 import (
    Container,
    ContainerPort,
    EmptyDirVolumeSource,
    Pod,
    ResourceRequirements,
    Service,
    ServicePort,
    ServiceSpec,
)
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

cs = Clientset.from_kubeconfig()
deployments = cs.apps_v1.deployments("web")
container = Container(name="api", image="nginx")

pod_informer = SharedInformerFactory(cs).core_v1.pods().informer()


def service_added(service: Service, is_in_initial_list: bool) -> None: ...
def pod_deleted(pod: Pod) -> None: ...
def pod_updated(old: Pod, new: Pod) -> None: ...


class ServiceHandler:
    def on_add(self, obj: Service, is_in_initial_list: bool) -> None: ...
    def on_update(self, old: Service, new: Service) -> None: ...
    def on_delete(self, obj: Service | DeletedFinalStateUnknown[Service]) -> None: ...


# fmt: off
Container(name="api", imagee="nginx")  # expect-error: typo'd keyword
_ = kubetyped.Clientset  # expect-error: unknown attribute (the clientset is generated, not in kubetyped)
_ = kubetyped.ListOption  # expect-error: unknown attribute (a typo of a public name)
_ = kubetyped.config.load_kubeconfg  # expect-error: unknown attribute (a typo in a lazy module)
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
EmptyDirVolumeSource(size_limit=["1Gi"])  # expect-error: wrong type for a quantity
ObjectMeta(creation_timestamp=1700000000)  # expect-error: wrong type for a time
ResourceRequirements(requests={"cpu": None})  # expect-error: wrong type in a quantity map
EmptyDirVolumeSource(sizeLimit="1Gi")  # expect-error: typo'd keyword (wire name) in a widened constructor
EmptyDirVolumeSource().size_limit = "1Gi"  # expect-error: wrong type assigned (a str is not a Quantity)
ObjectMeta(name="x").creation_timestamp = datetime.now()  # expect-error: wrong type assigned (a datetime is not a Time)
ServicePort(port=80, target_port=8.5)  # expect-error: wrong type for an int-or-string
deployments.delete("api", propagation_policy="foreground")  # expect-error: invalid option value (propagation policy)
deployments.create(Deployment(), field_validation="Loose")  # expect-error: invalid option value (field validation)
deployments.patch("api", {}, "merge")  # expect-error: invalid option value (patch type)
deployments.patch("api", {}, PatchType.APPLY)  # expect-error: invalid option value (server-side apply is apply())
deployments.list(resource_version="0", resource_version_match="Newest")  # expect-error: invalid option value (resource version match)
DeleteOptions(propagation_policy="Sideways")  # expect-error: invalid option value in an options object
pod_informer.add_event_handler(on_add=service_added)  # expect-error: handler for another kind (Service handler on a Pod informer)
pod_informer.add_event_handler(ServiceHandler())  # expect-error: handler object for another kind
pod_informer.add_event_handler(on_delete=pod_deleted)  # expect-error: on_delete that cannot take the DeletedFinalStateUnknown tombstone
pod_informer.add_event_handler(on_add=pod_updated)  # expect-error: handler of the wrong shape (update as add)
pod_informer.add_event_handler(on_add=lambda pod, initial: pod.spec.containers)  # expect-error: optional field read in a handler (pod is typed Pod)
