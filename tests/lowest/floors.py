"""The declared floors of the runtime dependencies, and what was measured to work.

``python tests/lowest/floors.py`` prints pip constraints pinning every runtime dependency of
pyproject.toml to its floor (``make test-lowest`` installs the wheel with them).

``MEASURED``: the lowest versions measured to work (newcomer review, session 2, 2026-11-30,
CPython 3.11.7 on linux x86_64, wheel of kubetyped 0.1.0 installed with every runtime
dependency pinned to its floor; README examples, the model/fake smoke of
tests/lowest/test_lowest.py and the test files ``make test-lowest`` runs):
pydantic 2.11.0 works, 2.10.6 fails (``ContainerPort(container_port=80)``: containerPort
Field required, snake_case constructor keywords need 2.11's validate_by_name) and 2.7.0 fails
(AttributeError ``__pydantic_fields__``). The other floors are the oldest releases with binary
wheels for every supported CPython (3.11-3.13, manylinux x86_64; older ones have none for
3.13: orjson < 3.10.7, msgspec < 0.19, PyYAML < 6.0.2), all measured on 3.11 too.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

#: distribution -> lowest version measured to work (see the module docstring)
MEASURED = {
    "pydantic": "2.11.0",
    "httpx": "0.27.0",
    "pyyaml": "6.0.2",
    "orjson": "3.10.7",
    "msgspec": "0.19.0",
    "httpx-ws": "0.7.0",
    "jinja2": "3.1.0",  # the [codegen] extra
}

_REQ = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9.]*)\s*$")


def declared_floors(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """``name -> floor`` of every runtime dependency and of the ``codegen`` extra (names
    lower-cased); raises ValueError for a requirement without a plain ``>=`` floor."""
    project = tomllib.loads(pyproject.read_text())["project"]
    reqs = [*project["dependencies"], *project["optional-dependencies"]["codegen"]]
    out: dict[str, str] = {}
    for req in reqs:
        match = _REQ.match(req)
        if match is None:
            raise ValueError(f"{pyproject}: dependency {req!r} has no plain '>=' floor")
        out[match.group(1).lower()] = match.group(2)
    return out


def version_tuple(version: str) -> tuple[int, ...]:
    """``"2.11"`` -> ``(2, 11, 0)`` (padded to three parts)."""
    parts = tuple(int(p) for p in version.split("."))
    return parts + (0,) * (3 - len(parts))


if __name__ == "__main__":
    for name, floor in declared_floors().items():
        sys.stdout.write(f"{name}=={floor}\n")
