"""The fake clientsets of a package (client-go's ``fake`` clientset): ``fake.py``.

``FakeClientset``/``AsyncFakeClientset`` are the package's clientsets on the in-memory
apiserver of ``kubetyped.fake`` (object tracker, reactors, recorded actions).
"""

from __future__ import annotations

from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.render_common import render_templates
from kubetyped_codegen.render_context import RenderContext


def render_fake(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """``fake.py`` as ``{relative path: text}``."""
    return render_templates(spec, ctx, None, ("fake.py",))
