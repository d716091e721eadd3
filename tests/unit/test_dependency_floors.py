"""pyproject.toml's dependency floors are not below what was measured to work.

Provenance: newcomer review, session 2: the wheel declared ``pydantic>=2.7`` but needs 2.11
(2.7.0: AttributeError ``__pydantic_fields__``; 2.10.6: ``ContainerPort(container_port=80)``
fails). ``make test-lowest`` installs the floors and runs the smoke test; this guards the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lowest.floors import MEASURED, declared_floors, version_tuple


def test_every_floor_is_at_least_the_measured_one() -> None:
    declared = declared_floors()
    assert set(declared) == set(MEASURED), "measure the floor of every new dependency"
    low = {
        n: (v, MEASURED[n])
        for n, v in declared.items()
        if version_tuple(v) < version_tuple(MEASURED[n])
    }
    assert low == {}, f"floors below the measured ones (declared, measured): {low}"


def test_a_requirement_without_a_floor_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "pyproject.toml"
    bad.write_text(
        '[project]\ndependencies = ["pydantic"]\n[project.optional-dependencies]\ncodegen = []\n'
    )
    with pytest.raises(ValueError, match="pydantic"):
        declared_floors(bad)
