"""A program catching an error finds its class where the concept lives (issue 11's public
surface, issue 16 follow-up): every public error is importable from its package and listed in
`kubetyped.errors`' index.

A runtime exception class (a subclass of `BaseException` defined under `kubetyped`, its name
not `_`-prefixed) is *public* when users can meet it by name: a module of a public package (the
README's list) has it in its `__all__`, or the docstring of a public name says it is raised.
Each public error then

1. derives from `KubetypedError` ("the base of every error kubetyped raises on purpose"), so
   ``except KubetypedError`` catches it;
2. is importable from its *home*: the public package holding its defining module
   (``kubetyped.cache`` for ``kubetyped/cache/store.py``, ``kubetyped.errors`` for
   ``kubetyped/errors.py``), which lists it in `__all__` as the defining module does; an error
   defined outside every public package (``kubetyped.auth``, ``kubetyped.yamlio``, ...,
   implementation details) is in the `__all__` of a public package whose API raises it;
3. is named in `kubetyped.errors`' docstring index (``- kubetyped.cache: CacheError, ...``)
   under a package it is importable from, unless `kubetyped.errors` defines it; the index names
   nothing else.

The same holds for the generator as a library, whose public module is
`kubetyped_codegen.pipeline` (its errors live in modules the README calls internal).

The last test runs the same checks on a synthetic package to show each one fails.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import kubetyped.errors
import kubetyped_codegen
from tests.unit.test_module_all import RUNTIME_PACKAGE, Package, declared_all, importable

#: The generator as a library (README: `kubetyped_codegen.pipeline` is its public module).
CODEGEN_PACKAGE = Package(
    Path(kubetyped_codegen.__file__).resolve().parent,
    "kubetyped_codegen",
    ("kubetyped_codegen.pipeline",),
)


@dataclass
class PublicError:
    """One public exception class and why it is public (``__all__`` of X, docstring of Y)."""

    cls: type[BaseException]
    reasons: set[str] = field(default_factory=set)

    @property
    def qualname(self) -> str:
        """``module.Class`` of its definition."""
        return f"{self.cls.__module__}.{self.cls.__name__}"


def exception_classes(package: Package) -> dict[str, type[BaseException]]:
    """``module.Class`` -> class, for each exception class a module of the package defines."""
    found: dict[str, type[BaseException]] = {}
    for name in package.modules():
        for value in vars(importlib.import_module(name)).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__name__}"] = value
    return found


def home_of(package: Package, module: str) -> str | None:
    """The public package holding `module` (the longest one), None outside all of them."""
    holders = [p for p in package.public if module == p or module.startswith(p + ".")]
    return max(holders, key=len) if holders else None


def _docstrings(value: object) -> list[str]:
    """The docstring of a public name, and of each attribute of a class it names."""
    found = [getattr(value, "__doc__", None)]
    if isinstance(value, type):
        for attribute in vars(value).values():
            if isinstance(attribute, staticmethod | classmethod):
                attribute = attribute.__func__
            if isinstance(attribute, property):
                attribute = attribute.fget
            if callable(attribute) or isinstance(attribute, type):
                found.append(getattr(attribute, "__doc__", None))
    return [doc for doc in found if isinstance(doc, str)]


def public_errors(package: Package, errors_module: str) -> dict[str, PublicError]:
    """``module.Class`` -> the public error: in the `__all__` of a module of a public package, or
    named by the docstring of a public name (one of those modules, or a name in their
    `__all__`). The docstring of `errors_module` holds the index, which makes nothing public."""
    classes = {
        qualname: cls
        for qualname, cls in exception_classes(package).items()
        if not cls.__name__.startswith("_")
    }
    by_name = {cls.__name__: qualname for qualname, cls in classes.items()}
    pattern = re.compile(r"\b(" + "|".join(sorted(by_name)) + r")\b")
    found: dict[str, PublicError] = {}
    for module, path in package.modules().items():
        if home_of(package, module) is None:
            continue
        loaded = importlib.import_module(module)
        docs = [(module, loaded.__doc__ or "")] if module != errors_module else []
        for export in declared_all(path) or []:
            value = getattr(loaded, export, None)
            if value is None:
                continue
            if isinstance(value, type) and value.__name__ in by_name and value in classes.values():
                qualname = f"{value.__module__}.{value.__name__}"
                found.setdefault(qualname, PublicError(value)).reasons.add(f"__all__ of {module}")
            docs += [(f"{module}.{export}", doc) for doc in _docstrings(value)]
        for where, doc in docs:
            for name in pattern.findall(doc):
                qualname = by_name[name]
                found.setdefault(qualname, PublicError(classes[qualname])).reasons.add(
                    f"docstring of {where}"
                )
    return found


def errors_index(doc: str) -> dict[str, list[str]]:
    """Package -> error names of the index in a docstring (``- pkg: A, B`` lines, continued
    by indented lines)."""
    index: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        entry = re.match(r"- `?([\w.]+)`?: (.*)$", line)
        if entry:
            current = index.setdefault(entry.group(1), [])
            text = entry.group(2)
        elif current is not None and line.startswith("  ") and line.strip():
            text = line
        else:
            current = None
            continue
        current.extend(name.strip(" `.") for name in text.split(",") if name.strip(" `."))
    return index


def error_faults(
    packages: Sequence[Package], base: type[BaseException], errors_module: str
) -> list[str]:
    """Every breach of the rules in this file's docstring, one line each."""
    modules = {name: path for package in packages for name, path in package.modules().items()}
    exported = {name: set(declared_all(path) or []) for name, path in modules.items()}
    public_packages = [p for package in packages for p in package.public if p in modules]
    index = errors_index(importlib.import_module(errors_module).__doc__ or "")
    problems = []
    listed: dict[str, list[str]] = {}
    for pkg, names in index.items():
        for name in names:
            listed.setdefault(name, []).append(pkg)
    errors = {
        qualname: (package, error)
        for package in packages
        for qualname, error in public_errors(package, errors_module).items()
    }
    for qualname, (package, error) in sorted(errors.items()):
        cls, module = error.cls, error.cls.__module__
        name = cls.__name__
        why = sorted(error.reasons)[0]
        if not issubclass(cls, base):
            problems.append(f"{qualname}: public ({why}) but not a {base.__name__}")
        home = home_of(package, module)
        if home is not None:
            places = [home] if name in exported[home] else []
            if name not in exported[module]:
                problems.append(f"{qualname}: public ({why}) but not in {module}.__all__")
            if not places:
                problems.append(f"{qualname}: public ({why}) but not importable from {home}")
        else:
            places = [p for p in public_packages if name in exported[p]]
            if not places:
                problems.append(
                    f"{qualname}: public ({why}) but no public package exports it "
                    f"({module} is not public)"
                )
        if module == errors_module:
            continue
        if not any(pkg in places for pkg in listed.get(name, [])):
            where = places[0] if places else home or "its package"
            problems.append(f"{qualname}: not in the {errors_module} index under {where}")
    public_names = {error.cls.__name__ for _, error in errors.values()}
    for pkg, names in index.items():
        for name in names:
            if name not in public_names or name not in exported.get(pkg, set()):
                problems.append(f"{errors_module} index: {pkg}: {name} is no public error of it")
    return problems


def test_every_public_error_is_reachable_from_its_package_and_indexed() -> None:
    errors = public_errors(RUNTIME_PACKAGE, "kubetyped.errors")
    names = {error.cls.__name__ for error in errors.values()}
    # the gaps this test was written for are among the errors it checks
    assert {"ApplyError", "UnknownIndexError", "IndexConflictError", "YamlError"} <= names
    assert "ApiError" in names and len(errors) > 60
    generator = {
        e.cls.__name__ for e in public_errors(CODEGEN_PACKAGE, "kubetyped.errors").values()
    }
    assert {"CodegenError", "SpecError", "CrdError", "GeneratedCodeError"} <= generator
    packages = [RUNTIME_PACKAGE, CODEGEN_PACKAGE]
    assert error_faults(packages, kubetyped.errors.KubetypedError, "kubetyped.errors") == []


class _Sink:
    def replace(self, items: list[object], resource_version: str, on_reject: object = None) -> None:
        """Unused."""

    def upsert(self, obj: object) -> None:
        """Unused."""

    def remove(self, obj: object) -> None:
        """Unused."""


def test_users_catch_the_errors_by_their_package_names() -> None:
    """The gaps this test file was written for, met through the public API and caught by the
    names their packages export."""
    import kubetyped
    from kubetyped import apply, cache, manifests, model
    from kubetyped.model import Time

    indexer: cache.Indexer[dict[str, object]] = cache.Indexer()
    with pytest.raises(cache.UnknownIndexError):
        indexer.by_index("by-owner", "x")
    with pytest.raises(cache.IndexConflictError):
        indexer.add_indexers({cache.NAMESPACE_INDEX: cache.namespace_index_func})
    with pytest.raises(manifests.YamlError, match="invalid YAML at line 2"):
        manifests.load_manifests("kind: [unclosed\n")
    with pytest.raises(model.TimeParseError):
        Time.from_wire("yesterday")
    with pytest.raises(cache.ReflectorStateError):
        cache.ReflectorCore(sink=_Sink()).list_failed(OSError())  # no list under way: a driver bug
    assert model.ModelDecodeError is kubetyped.ModelDecodeError
    assert issubclass(apply.ApplyError, kubetyped.KubetypedError)  # ApplyResult.error's type


def test_the_checks_fail_on_a_package_that_breaks_each_rule(tmp_path: Path) -> None:
    """A synthetic package with one fault per rule: each is reported, and nothing else."""
    folder = tmp_path / "src" / "errcheck_pkg"
    (folder / "sub").mkdir(parents=True)
    (folder / "__init__.py").write_text('"""Top."""\n\n__all__: list[str] = []\n')
    (folder / "errors.py").write_text(
        '"""Errors.\n\n- errcheck_pkg.sub: Good, Stray, Ghost\n- errcheck_pkg.other: Helper\n"""\n\n'
        '__all__ = ["Base", "Core"]\n\n\nclass Base(Exception):\n    """Base."""\n\n\n'
        'class Core(Base):\n    """In errors."""\n'
    )
    (folder / "hidden.py").write_text(
        '"""Not public."""\n\nfrom errcheck_pkg.errors import Base\n\n__all__ = ["Helper"]\n\n\n'
        'class Helper(Base):\n    """Raised by sub.api.run."""\n'
    )
    (folder / "other.py").write_text('"""Other."""\n\n__all__: list[str] = []\n')
    (folder / "sub" / "__init__.py").write_text(
        '"""Sub."""\n\nfrom errcheck_pkg.sub.api import Good, run\n\n__all__ = ["Good", "run"]\n'
    )
    (folder / "sub" / "api.py").write_text(
        '"""Api."""\n\nfrom errcheck_pkg.errors import Base\n\n'
        '__all__ = ["Good", "Stray", "Loose", "run"]\n\n\n'
        'class Good(Base):\n    """Fine."""\n\n\nclass Stray(Base):\n    """Not re-exported."""\n\n\n'
        'class Loose(ValueError):\n    """Not a Base."""\n\n\n'
        'class Quiet(Base):\n    """Named by a docstring, in no __all__."""\n\n\n'
        'class _Private(Base):\n    """Never public."""\n\n\n'
        'def run() -> None:\n    """Raises `Quiet`, `Helper`, `_Private`."""\n'
    )
    package = Package(folder, "errcheck_pkg", ("errcheck_pkg.errors", "errcheck_pkg.sub"))
    with importable(tmp_path / "src", "errcheck_pkg"):
        base = importlib.import_module("errcheck_pkg.errors").Base
        errors = public_errors(package, "errcheck_pkg.errors")
        assert sorted(errors) == [
            "errcheck_pkg.errors.Base",
            "errcheck_pkg.errors.Core",
            "errcheck_pkg.hidden.Helper",
            "errcheck_pkg.sub.api.Good",
            "errcheck_pkg.sub.api.Loose",
            "errcheck_pkg.sub.api.Quiet",
            "errcheck_pkg.sub.api.Stray",
        ]
        assert errors["errcheck_pkg.sub.api.Quiet"].reasons == {
            "docstring of errcheck_pkg.sub.api.run",
            "docstring of errcheck_pkg.sub.run",
        }
        assert error_faults([package], base, "errcheck_pkg.errors") == [
            "errcheck_pkg.hidden.Helper: public (docstring of errcheck_pkg.sub.api.run) but no "
            "public package exports it (errcheck_pkg.hidden is not public)",
            "errcheck_pkg.hidden.Helper: not in the errcheck_pkg.errors index under its package",
            "errcheck_pkg.sub.api.Loose: public (__all__ of errcheck_pkg.sub.api) but not a Base",
            "errcheck_pkg.sub.api.Loose: public (__all__ of errcheck_pkg.sub.api) but not "
            "importable from errcheck_pkg.sub",
            "errcheck_pkg.sub.api.Loose: not in the errcheck_pkg.errors index under errcheck_pkg.sub",
            "errcheck_pkg.sub.api.Quiet: public (docstring of errcheck_pkg.sub.api.run) but not in "
            "errcheck_pkg.sub.api.__all__",
            "errcheck_pkg.sub.api.Quiet: public (docstring of errcheck_pkg.sub.api.run) but not "
            "importable from errcheck_pkg.sub",
            "errcheck_pkg.sub.api.Quiet: not in the errcheck_pkg.errors index under errcheck_pkg.sub",
            "errcheck_pkg.sub.api.Stray: public (__all__ of errcheck_pkg.sub.api) but not "
            "importable from errcheck_pkg.sub",
            "errcheck_pkg.sub.api.Stray: not in the errcheck_pkg.errors index under errcheck_pkg.sub",
            "errcheck_pkg.errors index: errcheck_pkg.sub: Stray is no public error of it",
            "errcheck_pkg.errors index: errcheck_pkg.sub: Ghost is no public error of it",
            "errcheck_pkg.errors index: errcheck_pkg.other: Helper is no public error of it",
        ]


@pytest.mark.parametrize(
    ("doc", "index"),
    [
        ("- `a.b`: X, Y,\n  Z\n\nafter: no", {"a.b": ["X", "Y", "Z"]}),
        ("intro\n- a: X\n- b: Y.\n", {"a": ["X"], "b": ["Y"]}),
    ],
)
def test_errors_index_parser(doc: str, index: dict[str, list[str]]) -> None:
    assert errors_index(doc) == index
