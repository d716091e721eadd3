"""The kubetyped generator: snapshots, generator model, rendering, diff.

Rendering (``generate``, ``verify``) needs jinja2, the ``kubetyped[codegen]`` extra; the rest
(``kubetyped --version``, ``snapshot``, ``diff``) runs on the plain install.
"""

MISSING_EXTRA = "the kubetyped generator needs its extra: pip install 'kubetyped[codegen]'"
