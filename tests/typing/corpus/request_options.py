"""Request options with closed value sets, as users write them: the values as strings or the
enums of `kubetyped.request`. Checked by `mypy --strict` and pyright; must give no diagnostics
(the mistakes are in mistakes_builtin.py)."""

from __future__ import annotations

from kubetyped.dynamic import DynamicClient
from kubetyped.request import (
    DeleteOptions,
    FieldValidation,
    ListOptions,
    PatchType,
    PropagationPolicy,
    ResourceVersionMatch,
)
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.models.apps_v1 import Deployment

cs = Clientset.from_kubeconfig()
deployments = cs.apps_v1.deployments("web")
api = deployments.get("api")

deployments.create(api, field_validation="Strict", dry_run=True)
deployments.update(api, field_validation=FieldValidation.WARN)
deployments.apply(api, field_manager="me", field_validation="Ignore")
deployments.patch("api", {"spec": {"replicas": 2}}, PatchType.MERGE)
deployments.patch("api", {"spec": {"replicas": 2}}, "application/strategic-merge-patch+json")
deployments.patch("api", [{"op": "remove", "path": "/spec/paused"}], "application/json-patch+json")
deployments.delete("api", propagation_policy="Foreground")
deployments.delete_collection(
    label_selector={"app": "api"}, propagation_policy=PropagationPolicy.ORPHAN
)
deployments.list(resource_version="0", resource_version_match="NotOlderThan")
deployments.list(resource_version="10", resource_version_match=ResourceVersionMatch.EXACT)
for event in deployments.watch(resource_version="0", resource_version_match="NotOlderThan"):
    print(event.type)
widgets = DynamicClient(cs.rest).resource("example.com", "v1", "widgets")
widgets.patch("w", {"spec": {}}, "application/merge-patch+json")
widgets.delete("w", propagation_policy="Orphan")
widgets.list(resource_version="0", resource_version_match="NotOlderThan")
DeleteOptions(propagation_policy=PropagationPolicy.FOREGROUND)
ListOptions(resource_version="0", resource_version_match="Exact")


async def main() -> None:
    async with AsyncClientset.from_kubeconfig() as acs:
        deployment: Deployment = await acs.apps_v1.deployments("web").get("api")
        await acs.apps_v1.deployments("web").delete("api", propagation_policy="Background")
        await acs.apps_v1.deployments("web").create(deployment, field_validation="Warn")
