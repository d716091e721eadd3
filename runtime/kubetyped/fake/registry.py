"""Which resources the fake serves: the `ResourceInfo`s of a generated clientset's clients.

A generated package `<pkg>` has `<pkg>.clientset` (the clientset classes) and `<pkg>.clients.*`
(one module per group-version, each defining module-level `ResourceInfo` constants). The
registry imports those modules and indexes the constants by group/version/plural and by
apiVersion/kind, so any generated package — CRD packages included — gets a fake for free.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from functools import cache

from kubetyped.fake.errors import FakeSetupError
from kubetyped.typed.resource import ResourceInfo

__all__ = ["ResourceRegistry"]

GVR = tuple[str, str, str]


class ResourceRegistry:
    """Resources by (group, version, plural) and by (apiVersion, kind)."""

    def __init__(self, resources: Iterable[ResourceInfo] = ()) -> None:
        self._by_gvr: dict[GVR, ResourceInfo] = {}
        self._by_kind: dict[tuple[str, str], ResourceInfo] = {}
        self._by_model: dict[str, ResourceInfo] = {}
        for info in resources:
            self.register(info)

    def register(self, info: ResourceInfo) -> None:
        """Add a resource; a later registration of the same group/version/plural replaces the
        earlier one, while lookups by kind and by model keep the first.
        """
        self._by_gvr[(info.group, info.version, info.plural)] = info
        self._by_kind.setdefault((info.api_version, info.kind), info)
        self._by_model.setdefault(info.model, info)

    def __iter__(self) -> Iterator[ResourceInfo]:
        return iter(self._by_gvr.values())

    def __len__(self) -> int:
        return len(self._by_gvr)

    def by_gvr(self, group: str, version: str, plural: str) -> ResourceInfo | None:
        """The resource served at `group`/`version`/`plural`, None when the fake does not serve it."""
        return self._by_gvr.get((group, version, plural))

    def by_kind(self, api_version: str, kind: str) -> ResourceInfo:
        """The resource of objects with `api_version` and `kind`; `FakeSetupError` when none is
        registered.
        """
        info = self._by_kind.get((api_version, kind))
        if info is None:
            raise FakeSetupError(
                f"the fake knows no resource of apiVersion {api_version!r} kind {kind!r}; "
                "pass the clientset class that generated it, or register its ResourceInfo"
            )
        return info

    def by_model(self, model_class: type) -> ResourceInfo | None:
        """The resource whose model is `model_class` (generated models live in a private module
        of their group-version package, re-exported by the package)."""
        module, name = model_class.__module__, model_class.__name__
        for candidate in (module, module.rpartition(".")[0]):
            info = self._by_model.get(f"{candidate}:{name}")
            if info is not None:
                return info
        return None

    @classmethod
    def for_package(cls, package: str) -> ResourceRegistry:
        """Every `ResourceInfo` in `<package>.clients.*`."""
        return cls(_package_resources(package))


@cache
def _package_resources(package: str) -> tuple[ResourceInfo, ...]:
    clients_name = f"{package}.clients"
    try:
        clients = importlib.import_module(clients_name)
    except ImportError as exc:
        raise FakeSetupError(
            f"{package} has no clients subpackage ({exc}); is it a generated clientset package?"
        ) from None
    found: list[ResourceInfo] = []
    for module_info in pkgutil.iter_modules(clients.__path__):
        module = importlib.import_module(f"{clients_name}.{module_info.name}")
        found.extend(v for v in vars(module).values() if isinstance(v, ResourceInfo))
    return tuple(found)


def package_of(clientset_class: type) -> str:
    """`kubetyped_kubernetes` for `kubetyped_kubernetes.clientset.Clientset`."""
    module = clientset_class.__module__
    package, _, _ = module.rpartition(".")
    if not package:
        raise FakeSetupError(f"{clientset_class.__name__} is not in a generated package")
    return package
