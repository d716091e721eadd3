"""The resource-bound request core of every client family (client-go `rest.Request` +
`gentype.Client`): `BoundResource` (pure: one resource bound to a namespace builds its requests)
with a pluggable `Codec` (`ModelCodec` for models, `JSONCodec` for dicts; the metadata client
brings its own), and `AsyncResourceClient` (`ResourceClient` generated from it by `make
unasync`), which sends them and decodes the answers."""

from kubetyped.resource.async_client import AsyncResourceClient
from kubetyped.resource.core import (
    BoundResource,
    CachePage,
    Codec,
    JSONCodec,
    ModelCodec,
    api_version_of,
    patch_body,
    wire_form,
)
from kubetyped.resource.sync_client import ResourceClient

__all__ = [
    "AsyncResourceClient",
    "BoundResource",
    "CachePage",
    "Codec",
    "JSONCodec",
    "ModelCodec",
    "ResourceClient",
    "api_version_of",
    "patch_body",
    "wire_form",
]
