"""What renderers get besides the IR (``RenderContext``), and the renderer signature."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kubetyped_codegen.ir import ApiSpec

DEFAULT_PACKAGE = "kubetyped_kubernetes"


@dataclass(frozen=True, slots=True)
class RenderContext:
    """``package``: the import package of the output folder (``--package``).

    A full package (``local_modules`` None) renders every group-version, shared apimachinery
    models (``meta_v1``) included, so a clientset generated for another Kubernetes version is
    self-contained. A CRD package renders only its own modules and imports the rest (ObjectMeta,
    autoscaling/v1 Scale …) from ``kubetyped_kubernetes``.
    """

    package: str = DEFAULT_PACKAGE
    #: modules rendered into ``package``; the others (built-in group-versions such as
    #: ``autoscaling_v1`` for Scale) are imported from ``kubetyped_kubernetes``. None: all.
    local_modules: frozenset[str] | None = None
    #: where the modules that are not rendered come from (``generate --base-package``)
    base_package: str = DEFAULT_PACKAGE
    #: the user's mixins per group-version module (``apps_v1`` -> ``{"DeploymentExpansion"}``),
    #: found in ``<out>/expansions/<gv>.py`` by ``pipeline.find_expansions``
    expansions: Mapping[str, frozenset[str]] = field(default_factory=dict, hash=False)

    def renders(self, module: str) -> bool:
        """Whether ``module``'s models are rendered into ``package`` (else imported)."""
        return self.local_modules is None or module in self.local_modules

    def models_module(self, module: str) -> str:
        """The absolute module of a group-version's models (``core_v1`` -> ``...models.core_v1``)."""
        if self.local_modules is not None and module not in self.local_modules:
            return f"{self.base_package}.models.{module}"
        return f"{self.package}.models.{module}"


#: A renderer maps the IR to {relative output path: file text}.
Renderer = Callable[[ApiSpec, RenderContext], dict[str, str]]
