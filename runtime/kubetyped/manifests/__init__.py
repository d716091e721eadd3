"""Kubernetes manifests: multi-document YAML or JSON → typed objects, and back (`to_yaml`).

`load_manifests(source)` reads a file, a folder of `*.yaml`/`*.yml`/`*.json`, a string or
bytes, with the one YAML reader (`kubetyped.yamlio`, sigs.k8s.io/yaml semantics). Each
document becomes the generated model of its `apiVersion`/`kind` when the `ModelRegistry` knows
it (built from the generated package's `ResourceInfo`s: built-in kinds, and CRD packages made
by `kubetyped generate`), else stays a plain dict (a dynamic object). `kind: List` documents
are expanded (kubectl does the same). Source: kubectl `resource.Builder` + lightkube
`codecs.load_all_yaml`.
"""

from kubetyped.manifests.load import (
    ManifestError,
    ModelRegistry,
    default_registry,
    load_manifests,
    to_yaml,
)
from kubetyped.yamlio import YamlError

__all__ = [
    "ManifestError",
    "ModelRegistry",
    "YamlError",
    "default_registry",
    "load_manifests",
    "to_yaml",
]
