"""One loader for the linkage data files under ``attest/link/data``.

Transliteration tables are data, not code, so that a monitor who knows a
script can correct a letter without reading Python. Every file is a TSV with
``#`` comment lines (its source) and the key in the first column.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

DATA = Path(str(resources.files("attest.link") / "data"))


@cache
def load_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of ``data/<name>.tsv`` without comments and blank lines."""
    rows: list[tuple[str, ...]] = []
    path = DATA / f"{name}.tsv"
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = tuple(line.split("\t"))
        if not cells[0]:
            raise ValueError(f"{path}:{lineno}: empty key")
        rows.append(cells)
    return tuple(rows)


@cache
def load_table(name: str) -> dict[str, str]:
    """First column -> second column (empty string when the key maps to nothing)."""
    table: dict[str, str] = {}
    for cells in load_rows(name):
        key = cells[0]
        if key in table:
            raise ValueError(f"{name}.tsv: duplicate key {key!r}")
        table[key] = cells[1] if len(cells) > 1 else ""
    return table
