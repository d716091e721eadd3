"""Render a CRD ``ApiSpec`` as its own package (``--package certmanager``).

Only the CRD group-versions' models are written; every other model module (meta_v1,
autoscaling_v1, ...) resolves to ``kubetyped_kubernetes`` through ``RenderContext``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kubetyped_codegen.ir import ApiSpec
from kubetyped_codegen.naming import module_file_name
from kubetyped_codegen.render_context import DEFAULT_PACKAGE, RenderContext
from kubetyped_codegen.writer import COMMENT_MARKER

MODELS_ROOT = "models/__init__.py"


def local_modules(spec: ApiSpec) -> frozenset[str]:
    """The model modules a CRD package renders itself: its own group-versions."""
    return frozenset(gv.python_name for gv in spec.group_versions())


def explainer(spec: ApiSpec) -> Callable[[str, str], str]:
    """Where a rendered model file came from: ``file: CRD: version v: $.json.path``."""
    from kubetyped_codegen.crd.spec import ORIGINS

    origins = ORIGINS.get(id(spec), {})
    by_file = {
        f"models/{s.module}/{module_file_name(s.class_name)}.py": origins[name]
        for name, s in spec.schemas.items()
        if name in origins
    }

    def explain(relative: str, error: str) -> str:
        return by_file.get(relative, "")

    return explain


def render_crd_package(
    spec: ApiSpec,
    package: str,
    base_package: str = DEFAULT_PACKAGE,
    expansions: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, str]:
    """The files of a CRD package; built-in types come from ``base_package``'s models.

    ``expansions``: the user's mixins per group-version (``pipeline.find_expansions``).
    """
    from kubetyped_codegen.render import render

    local = local_modules(spec)
    context = RenderContext(
        package=package,
        local_modules=local,
        base_package=base_package,
        expansions=dict(expansions or {}),
    )
    files = render(spec, context)
    kept = {
        path: text
        for path, text in files.items()
        if not path.startswith("models/") or path == MODELS_ROOT or path.split("/")[1] in local
    }
    groups = ", ".join(g.name for g in spec.groups)
    kept[MODELS_ROOT] = (
        f"{COMMENT_MARKER}\n"
        f'"""Models of the custom resources of {groups}: one module per group-version."""\n'
    )
    return kept
