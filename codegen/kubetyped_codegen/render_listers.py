"""lister-gen: one typed lister class per resource, ``listers/<gv>.py``.

A lister is a read-only typed view of an informer's cache: ``ClusterLister`` for cluster-scoped
resources, ``NamespacedLister`` (with ``namespaced(ns)``) for namespaced ones, as client-go's
``<Kind>Lister``/``<Kind>NamespaceLister``. The user's ``<Kind>ListerExpansion`` mixin from
``expansions/<gv>.py`` is a base when defined.
"""

from __future__ import annotations

from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.render_common import render_templates
from kubetyped_codegen.render_context import RenderContext


def render_listers(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """``listers/<gv>.py`` and ``listers/__init__.py`` as ``{relative path: text}``."""
    return render_templates(spec, ctx, "listers", ("listers/__init__.py",))
