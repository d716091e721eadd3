"""`PartialObjectMetadata` and its list: any object reduced to its `metadata` (meta.k8s.io/v1).

The OpenAPI spec does not publish these types, so the generator does not emit them; they are
defined here on the same `KubeModel` base, reusing the generated `ObjectMeta` and `ListMeta`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from kubetyped.model import Field, KubeModel

if TYPE_CHECKING:
    from kubetyped.generated.models import meta_v1

__kube_refs__ = {"meta_v1": "kubetyped.generated.models.meta_v1"}

API_VERSION = "meta.k8s.io/v1"


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
