"""The Kubernetes API types the runtime itself uses, from one place below the runtime.

client-go sits on ``k8s.io/api`` and apimachinery, kube-rs on k8s-openapi; kubetyped's runtime
reaches the generated models (``kubetyped_kubernetes.models``, which import nothing of kubetyped
but ``kubetyped.model``) only through this module. It also defines the meta.k8s.io/v1 types the
OpenAPI does not publish (``PartialObjectMetadata`` and its list), on the same ``KubeModel`` base.
Generated types are loaded when first used. A layering test (``tests/unit/test_layering.py``)
keeps every other runtime module off ``kubetyped_kubernetes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from kubetyped.lazy import lazy_exports
from kubetyped.model import Field, KubeModel

if TYPE_CHECKING:
    from kubetyped_kubernetes.models import meta_v1
    from kubetyped_kubernetes.models.autoscaling_v1 import Scale as Scale
    from kubetyped_kubernetes.models.coordination_v1 import Lease as Lease
    from kubetyped_kubernetes.models.coordination_v1 import LeaseList as LeaseList
    from kubetyped_kubernetes.models.coordination_v1 import LeaseSpec as LeaseSpec
    from kubetyped_kubernetes.models.core_v1 import ObjectReference as ObjectReference
    from kubetyped_kubernetes.models.events_v1 import Event as Event
    from kubetyped_kubernetes.models.events_v1 import EventList as EventList
    from kubetyped_kubernetes.models.events_v1 import EventSeries as EventSeries
    from kubetyped_kubernetes.models.meta_v1 import ListMeta as ListMeta
    from kubetyped_kubernetes.models.meta_v1 import ObjectMeta as ObjectMeta
    from kubetyped_kubernetes.models.meta_v1 import Status as Status

__kube_refs__ = {"meta_v1": "kubetyped_kubernetes.models.meta_v1"}

#: Where each generated type the runtime uses comes from.
_GENERATED = {
    "ObjectMeta": "kubetyped_kubernetes.models.meta_v1",
    "ListMeta": "kubetyped_kubernetes.models.meta_v1",
    "Status": "kubetyped_kubernetes.models.meta_v1",
    "Scale": "kubetyped_kubernetes.models.autoscaling_v1",
    "Lease": "kubetyped_kubernetes.models.coordination_v1",
    "LeaseList": "kubetyped_kubernetes.models.coordination_v1",
    "LeaseSpec": "kubetyped_kubernetes.models.coordination_v1",
    "Event": "kubetyped_kubernetes.models.events_v1",
    "EventList": "kubetyped_kubernetes.models.events_v1",
    "EventSeries": "kubetyped_kubernetes.models.events_v1",
    "ObjectReference": "kubetyped_kubernetes.models.core_v1",
}

#: The apiVersion of `PartialObjectMetadata` and its list.
META_API_VERSION = "meta.k8s.io/v1"


class PartialObjectMetadata(KubeModel):
    """The metadata of one object of any kind (what a metadata-only request returns)."""

    kube_group: ClassVar[str] = "meta.k8s.io"
    kube_version: ClassVar[str] = "v1"
    kube_kind: ClassVar[str] = "PartialObjectMetadata"

    api_version: str | None = Field(None, alias="apiVersion")
    kind: str | None = Field(None, alias="kind")
    metadata: meta_v1.ObjectMeta | None = Field(None, alias="metadata")


class PartialObjectMetadataList(KubeModel):
    """A list of `PartialObjectMetadata`."""

    kube_group: ClassVar[str] = "meta.k8s.io"
    kube_version: ClassVar[str] = "v1"
    kube_kind: ClassVar[str] = "PartialObjectMetadataList"

    api_version: str | None = Field(None, alias="apiVersion")
    kind: str | None = Field(None, alias="kind")
    metadata: meta_v1.ListMeta | None = Field(None, alias="metadata")
    items: list[PartialObjectMetadata] = Field(default_factory=list, alias="items")


if not TYPE_CHECKING:  # checkers read the imports above: a visible __getattr__ is Any for all
    __getattr__ = lazy_exports(__name__, globals(), _GENERATED)


__all__ = [
    "META_API_VERSION",
    "Event",
    "EventList",
    "EventSeries",
    "Lease",
    "LeaseList",
    "LeaseSpec",
    "ListMeta",
    "ObjectMeta",
    "ObjectReference",
    "PartialObjectMetadata",
    "PartialObjectMetadataList",
    "Scale",
    "Status",
]
