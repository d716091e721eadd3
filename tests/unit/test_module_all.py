"""Every runtime module says which of its names are public (`__all__`), and users' code keeps to
them (issue 11 §5, httpx's curated surface).

- each module under the `kubetyped` package defines a literal `__all__`;
- every name in it exists, and each public class or function has a docstring;
- the code users run or copy (`generated/`, `examples/`, `tests/typing/`, the Python blocks of
  README.md and docs/) imports only modules of the public packages the README lists, and from
  them only names in their `__all__`. pyright reports the same for a py.typed package
  (reportPrivateImportUsage); this test also covers mypy users and names no checker sees.

The last test runs the same checks on a synthetic package to show each one fails.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import kubetyped

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = Path(kubetyped.__file__).resolve().parent
USERS = ("generated", "examples", "tests/typing")
DOCS = ("README.md", "docs", "examples/README.md")


@dataclass(frozen=True)
class Package:
    """A package's folder and import name; `public` lists its public subpackages."""

    folder: Path
    name: str
    public: tuple[str, ...]

    def modules(self) -> dict[str, Path]:
        """Import name -> file of every module in the package."""
        found = {}
        for path in sorted(self.folder.rglob("*.py")):
            parts = (self.name, *path.relative_to(self.folder).with_suffix("").parts)
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
        return found


def declared_all(path: Path) -> list[str] | None:
    """The literal top-level `__all__` of a module's source, or None when it has none."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = node.value
                if isinstance(value, ast.List | ast.Tuple) and all(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
                ):
                    return [str(e.value) for e in value.elts if isinstance(e, ast.Constant)]
                return None
    return None


def missing_all(package: Package) -> list[str]:
    """Modules without a literal `__all__`."""
    return [name for name, path in package.modules().items() if declared_all(path) is None]


def _definition(module: str, name: str) -> ast.AST | None:
    path = importlib.import_module(module).__file__
    if path is None:
        return None
    for node in ast.parse(Path(path).read_text(encoding="utf-8")).body:
        kinds = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        if isinstance(node, kinds) and node.name == name:
            return node
    return None


def bad_exports(package: Package) -> list[str]:
    """Names in an `__all__` that do not exist or appear twice; classes and functions of this
    package without a docstring; public classes with a base class (of this package, not
    `_`-prefixed) outside its module's `__all__`, whose methods ruff's docstring rules would then
    not check although users call them."""
    problems = []
    modules = package.modules()
    for name, path in modules.items():
        exported = declared_all(path) or []
        if len(exported) != len(set(exported)):
            problems.append(f"{name}: duplicate names in __all__")
        module = importlib.import_module(name)
        for export in exported:
            if not hasattr(module, export):
                problems.append(f"{name}.{export}: in __all__ but not defined")
                continue
            value = getattr(module, export)
            owner = getattr(value, "__module__", "") or ""
            if not (isinstance(value, type) or inspect.isfunction(value)):
                continue
            if owner != package.name and not owner.startswith(package.name + "."):
                continue
            node = _definition(owner, value.__name__)
            if node is None or not ast.get_docstring(node):  # type: ignore[arg-type]
                problems.append(f"{name}.{export}: public, no docstring")
            for base in value.__mro__[1:] if isinstance(value, type) else ():
                where = modules.get(base.__module__)
                if where is None or base.__name__.startswith("_"):
                    continue
                if base.__name__ not in (declared_all(where) or []):
                    base_name = f"{base.__module__}.{base.__name__}"
                    problems.append(f"{name}.{export}: its base {base_name} is not public")
    return problems


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def _sources(root: Path, users: Iterable[str], docs: Iterable[str]) -> Iterator[tuple[str, str]]:
    for area in users:
        for path in sorted((root / area).rglob("*.py")):
            if path.name.startswith("mistakes_"):
                continue  # tests/typing's deliberate errors, which the checkers must report
            yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")
    for area in docs:
        base = root / area
        for path in [base] if base.is_file() else sorted(base.rglob("*.md")):
            for number, block in enumerate(_python_blocks(path), 1):
                yield f"{path.relative_to(root).as_posix()} (python block {number})", block


def _uses(tree: ast.AST, modules: dict[str, Path], package: str) -> Iterator[tuple[str, str]]:
    """(module, name) for each name a source takes from one of `modules`: `from m import n`,
    `m.n` through `import m [as x]`, and `x.n` through `from pkg import module as x`."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in modules:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in modules:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                    yield f"{node.module}.{alias.name}", ""
                else:
                    yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    aliases[alias.asname or package] = alias.name if alias.asname else package
                    yield alias.name, ""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        chain: list[str] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            chain.insert(0, current.attr)
            current = current.value
        if not isinstance(current, ast.Name) or current.id not in aliases:
            continue
        module = current.id if current.id == package else aliases[current.id]
        while chain and f"{module}.{chain[0]}" in modules:
            module = f"{module}.{chain.pop(0)}"
        if len(chain) == 1:  # the outermost attribute only: `m.n`, not `m.n.attr`
            yield module, chain[0]


def private_uses(
    package: Package, root: Path, users: Iterable[str] = USERS, docs: Iterable[str] = DOCS
) -> list[str]:
    """Each use, in users' code, of a module outside the public packages or of a name outside
    its module's `__all__`."""
    modules = package.modules()
    exported = {name: set(declared_all(path) or []) for name, path in modules.items()}
    problems = set()
    for where, text in _sources(root, users, docs):
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # a doc block that is not a whole program (a fragment, a REPL session)
        for module, name in _uses(tree, modules, package.name):
            public = (module == p or module.startswith(p + ".") for p in package.public)
            if module != package.name and not any(public):
                problems.add(f"{where}: imports {module}, not a public package")
            if name and name not in exported[module]:
                problems.add(f"{where}: {module}.{name} is not in {module}.__all__")
    return sorted(problems)


def _readme_public_packages() -> tuple[str, ...]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("Public subpackages, each with its own `__all__`") :]
    paragraph = paragraph[: paragraph.index("Other modules")]
    return tuple(sorted(set(re.findall(r"`(kubetyped(?:\.[a-z_]+)+)`", paragraph))))


RUNTIME_PACKAGE = Package(RUNTIME, "kubetyped", _readme_public_packages())


@contextlib.contextmanager
def importable(folder: Path, package: str) -> Iterator[None]:
    """``package`` (written under ``folder`` by a test) importable inside the block; afterwards
    ``folder`` leaves ``sys.path`` and every module of ``package`` leaves ``sys.modules``."""
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def test_every_runtime_module_defines_all() -> None:
    modules = RUNTIME_PACKAGE.modules()
    assert len(modules) > 150
    assert missing_all(RUNTIME_PACKAGE) == []


def test_every_exported_name_exists_and_public_ones_are_documented() -> None:
    assert bad_exports(RUNTIME_PACKAGE) == []


def test_users_code_uses_only_the_public_surface() -> None:
    assert "kubetyped.cache" in RUNTIME_PACKAGE.public
    assert private_uses(RUNTIME_PACKAGE, ROOT) == []


def test_the_checks_fail_on_a_package_that_breaks_each_rule(tmp_path: Path) -> None:
    """A synthetic package and user tree, one fault per rule: every check reports its fault
    (and only it), so a green run of the tests above means something."""
    folder = tmp_path / "src" / "allcheck_pkg"
    (folder / "public").mkdir(parents=True)
    (folder / "__init__.py").write_text('"""Top."""\n\n__all__ = ["top"]\n\ntop = 1\n')
    (folder / "public" / "__init__.py").write_text('"""P."""\n\n__all__: list[str] = []\n')
    (folder / "public" / "api.py").write_text(
        '"""Api."""\n\n__all__ = ["Documented", "undocumented", "ghost"]\n\n\n'
        'class Base:\n    """Not in __all__."""\n\n\n'
        'class Documented(Base):\n    """Has one."""\n\n\ndef undocumented() -> None:\n    pass\n\n\n'
        "def helper() -> None:\n    pass\n\n\ndef second() -> None:\n    pass\n"
    )
    (folder / "internal.py").write_text('"""No __all__ here."""\n\nthing = 1\n')
    users = tmp_path / "user"
    users.mkdir()
    (users / "ok.py").write_text(
        "import allcheck_pkg\nfrom allcheck_pkg.public import api\n"
        "from allcheck_pkg.public.api import Documented\n"
        "api.undocumented()\nprint(allcheck_pkg.top, Documented)\n"
    )
    (users / "bad.py").write_text(
        "from allcheck_pkg.public.api import helper\nfrom allcheck_pkg import internal\n"
        "import allcheck_pkg.public.api as a\na.second()\n"
    )
    (tmp_path / "README.md").write_text(
        "```python\nfrom allcheck_pkg.public import api\napi.helper()\n```\n"
    )
    package = Package(folder, "allcheck_pkg", ("allcheck_pkg.public",))
    with importable(tmp_path / "src", "allcheck_pkg"):
        assert missing_all(package) == ["allcheck_pkg.internal"]
        assert bad_exports(package) == [
            "allcheck_pkg.public.api.Documented: its base allcheck_pkg.public.api.Base is not public",
            "allcheck_pkg.public.api.undocumented: public, no docstring",
            "allcheck_pkg.public.api.ghost: in __all__ but not defined",
        ]
        assert private_uses(package, tmp_path, ["user"], ["README.md"]) == [
            "README.md (python block 1): allcheck_pkg.public.api.helper is not in "
            "allcheck_pkg.public.api.__all__",
            "user/bad.py: allcheck_pkg.public.api.helper is not in allcheck_pkg.public.api.__all__",
            "user/bad.py: allcheck_pkg.public.api.second is not in allcheck_pkg.public.api.__all__",
            "user/bad.py: imports allcheck_pkg.internal, not a public package",
        ]
