"""README's "Where each behaviour lives" table points at files that exist.

The table is how a newcomer finds the 410-during-watch handling, the exec-credential cache or
where `get_scale` comes from; a module moved or renamed without updating it fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _table_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Where each behaviour lives", 1)[1]
    rows = []
    for line in section.splitlines()[3:]:  # after the heading line, the header and the rule
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _paths(row: str) -> list[str]:
    return re.findall(r"`([a-z_]+(?:/[a-z_]+)*(?:\.py|/))`", row)


def test_the_map_has_rows_with_paths() -> None:
    rows = _table_rows()
    assert len(rows) >= 10
    assert all(_paths(row) for row in rows), [row for row in rows if not _paths(row)]


def test_every_path_in_the_map_exists() -> None:
    missing = []
    for row in _table_rows():
        for path in _paths(row):
            # paths are under runtime/ unless they name a top-level folder (generated/...)
            base = (
                ROOT
                if path.split("/")[0] in ("generated", "codegen")
                else ROOT / "runtime" / "kubetyped"
            )
            folder = path.endswith("/")
            target = base / path.rstrip("/")
            if not (target.is_dir() if folder else target.is_file()):
                # a bare file name after a folder in the same row: `sync_verbs.py` of typed/
                siblings = [p for p in _paths(row) if "/" in p and not p.endswith("/")]
                if any(
                    (ROOT / "runtime" / "kubetyped" / Path(s).parent / path).is_file()
                    for s in siblings
                ):
                    continue
                missing.append(f"{path} ({row[:60]}...)")
    assert missing == [], "README's behaviour map names files that do not exist"
