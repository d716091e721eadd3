"""Provenance: ../shared/cases/typing/typed_constructor.py (a user report), copied verbatim.

Plain `mypy --strict` (no pydantic.mypy plugin) on a correct use of generated models.

The same holds for every CRD package (all generated models share the shape).
Expected: no errors (the README builds Deployment(metadata=ObjectMeta(name="api"), ...)).
Actual: 14 errors for the line below. Every optional field is reported as a missing argument
("Missing named argument "uid" for "ObjectMeta"") and keywords must be wire names
("Unexpected keyword argument "api_version" ...; did you mean "apiVersion"?").
A 6-line flux GitRepository gives 32 errors. It is clean only with
`plugins = ["pydantic.mypy"]`, and neither the README nor docs/ mention that plugin.
"""

from kubetyped_kubernetes.models.meta_v1 import ObjectMeta

meta = ObjectMeta(name="api", namespace="web")
