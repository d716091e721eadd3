"""Every renderer of a package, run in one call: ``render(spec, ctx) -> {path: text}``.

One renderer per artifact, as client-go's code-generator has one generator per artifact:
models with their apply configurations (``render_models``, ``render_apply``), clients and
clientsets (``render_clients``: client-gen), listers (``render_listers``: lister-gen),
informers (``render_informers``: informer-gen) and the fake clientset (``render_fake``).
Rendering is pure (no file is read or written); ``pipeline`` does the I/O.
"""

from __future__ import annotations

from kubetyped_codegen import MISSING_EXTRA
from kubetyped_codegen.errors import CodegenError
from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.render_context import RenderContext, Renderer


def renderers() -> tuple[tuple[str, Renderer], ...]:
    """Every renderer ``render`` runs, by artifact name: ``(ApiSpec, RenderContext) -> files``.

    Imported on first use: rendering needs jinja2 (the ``kubetyped[codegen]`` extra), while
    ``--version``, ``snapshot`` and ``diff`` work with the plain ``pip install kubetyped``.
    Raises ``CodegenError`` naming the extra when jinja2 is missing.
    """
    try:
        from kubetyped_codegen.render_clients import render_clients
        from kubetyped_codegen.render_fake import render_fake
        from kubetyped_codegen.render_informers import render_informers
        from kubetyped_codegen.render_listers import render_listers
        from kubetyped_codegen.render_models import render_models
    except ModuleNotFoundError as error:
        if error.name not in ("jinja2", "markupsafe"):
            raise
        raise CodegenError(MISSING_EXTRA) from None
    return (
        ("models", render_models),
        ("clients", render_clients),
        ("listers", render_listers),
        ("informers", render_informers),
        ("fake", render_fake),
    )


def render(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """The files of the package ``ctx.package``: ``{relative path: text}``.

    Raises ``CodegenError`` when two renderers produce one path (a generator bug), or naming
    the ``kubetyped[codegen]`` extra when jinja2 is missing.
    """
    files: dict[str, str] = {}
    for name, renderer in renderers():
        for path, text in renderer(spec, ctx).items():
            if path in files:
                raise CodegenError(f"{path}: rendered by two renderers (second: {name})")
            files[path] = text
    return files
