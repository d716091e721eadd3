"""informer-gen: typed shared informers per group-version and the ``SharedInformerFactory``.

``informers/<gv>.py`` binds each resource (list and watch verbs only) to the generic
``TypedInformer`` with its lister class; ``informers/factory.py`` gives one accessor per
group-version (``factory.apps_v1.deployments()``), as client-go's informer factory.
"""

from __future__ import annotations

from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.render_common import render_templates
from kubetyped_codegen.render_context import RenderContext


def render_informers(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """``informers/<gv>.py``, ``informers/__init__.py`` and ``informers/factory.py``."""
    return render_templates(
        spec, ctx, "informers", ("informers/__init__.py", "informers/factory.py")
    )
