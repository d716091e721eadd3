"""client-gen: typed clients per group-version, the clientsets and the package's front door.

``clients/<gv>.py`` holds one ``ResourceInfo`` constant and a sync and an async client class
per resource; the classes only name their resource and combine the verb mixins the API grants
(``kubetyped.typed.sync_verbs``/``async_verbs``), plus the user's expansion mixin when
``expansions/<gv>.py`` defines one (client-go's ``<Kind>Expansion``). ``clientset.py`` holds
``Clientset``/``AsyncClientset`` with one lazy accessor per group-version; ``__init__.py``
exports them with the factory and the fake. See docs/GENERATED.md.
"""

from __future__ import annotations

from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.render_common import HEADER, environment, package_context, render_templates
from kubetyped_codegen.render_context import RenderContext


def render_clients(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """``clients/<gv>.py``, ``clients/__init__.py``, ``clientset.py``, ``__init__.py`` and
    ``py.typed`` of the package ``ctx.package``, as ``{relative path: text}``."""
    files = render_templates(spec, ctx, "clients", ("clientset.py", "clients/__init__.py"))
    template = environment().get_template("package___init__.py.jinja")
    files["__init__.py"] = template.render(package_context(spec, ctx))
    # PEP 561: installed, the package's types are read by mypy and pyright (not "partial").
    files["py.typed"] = f"{HEADER}\n"
    return files
