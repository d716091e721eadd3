"""The curated top-level API: `kubetyped.__all__` is the README's "public API" list, every name
imports, type checkers see every name, and `import kubetyped` itself loads nothing heavy."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kubetyped

ROOT = Path(__file__).resolve().parents[2]


def _readme_names() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- public-api -->\n```text\n(.*?)```", readme, re.S)
    assert block, "README.md lost its <!-- public-api --> block"
    names: set[str] = set()
    for line in block.group(1).splitlines():
        names.update(line.split(":", 1)[-1].split())
    return names


def test_all_is_the_readme_list() -> None:
    assert set(kubetyped.__all__) == _readme_names()
    assert len(kubetyped.__all__) == len(set(kubetyped.__all__))


@pytest.mark.parametrize("name", sorted(kubetyped.__all__))
def test_each_public_name_imports(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from kubetyped import {name}", namespace)
    assert namespace[name] is getattr(kubetyped, name)


def test_the_names_are_the_documented_objects() -> None:
    from kubetyped.errors import NotFoundError
    from kubetyped.request import ListOptions
    from kubetyped.typed.clientset import ClientsetBase
    from kubetyped.watch import WatchEvent

    assert kubetyped.NotFoundError is NotFoundError
    assert kubetyped.ListOptions is ListOptions
    assert kubetyped.ClientsetBase is ClientsetBase
    assert kubetyped.WatchEvent is WatchEvent
    from kubetyped_kubernetes import Clientset

    assert issubclass(Clientset, kubetyped.ClientsetBase)


def test_type_checkers_see_every_name() -> None:
    """Each name is re-exported in the `TYPE_CHECKING` block (`import X as X`), which is what
    mypy and pyright read; the lazy `__getattr__` is for the interpreter only."""
    tree = ast.parse((ROOT / "runtime" / "kubetyped" / "__init__.py").read_text(encoding="utf-8"))
    seen: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                assert alias.asname in (alias.name, None) or alias.name == "VERSION"
                seen.add(alias.asname or alias.name)
    assert set(kubetyped.__all__) <= seen


def test_dir_and_unknown_names() -> None:
    assert dir(kubetyped) == sorted(kubetyped.__all__)
    with pytest.raises(AttributeError, match="no attribute 'Clientset'"):
        _ = kubetyped.Clientset  # type: ignore[attr-defined]  # generated, not runtime


def test_importing_kubetyped_loads_nothing_else() -> None:
    """Every submodule import runs `kubetyped/__init__.py` first: it must stay free."""
    code = (
        "import sys, kubetyped\n"
        "print(sorted(m for m in sys.modules if m.startswith(('kubetyped', 'httpx', 'pydantic'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['kubetyped', 'kubetyped.lazy', 'kubetyped.version']"


def _readme_public_modules() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("Public subpackages, each with its own `__all__`") :]
    paragraph = paragraph[: paragraph.index("Other modules")]
    return sorted(set(re.findall(r"`(kubetyped(?:\.[a-z_]+)+)`", paragraph)))


def test_the_readme_public_modules_each_define_all() -> None:
    """The subpackages the README calls public each curate their surface with `__all__`, and
    every name listed there imports."""
    modules = _readme_public_modules()
    assert "kubetyped.cache" in modules and "kubetyped.errors" in modules
    missing = []
    for name in modules:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            missing.append(f"{name}: no __all__")
            continue
        missing += [f"{name}.{n}" for n in exported if not hasattr(module, n)]
    assert missing == []


#: Modules whose module-level `__getattr__` stays visible to type checkers, and why.
VISIBLE_GETATTR = {
    "runtime/kubetyped/typed/__init__.py": "only the deprecated `Event` alias (warns at run time)",
    "runtime/kubetyped/transport.py": "internal: lazily re-exports the transports that import it",
}


def test_lazy_modules_hide_getattr_from_type_checkers() -> None:
    """A module-level `__getattr__` that mypy and pyright can see types every attribute and every
    `from m import name` of that module as `Any`: a misspelt name is never reported. Lazy
    modules define it under `if not TYPE_CHECKING:` and import their names for checkers."""
    visible = []
    for path in sorted((ROOT / "runtime" / "kubetyped").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
                visible.append(relative)
    assert sorted(visible) == sorted(VISIBLE_GETATTR)
