"""The controlled vocabularies (roles, place and facility kinds, violation types).

Kept as data (``data/vocabularies.yaml``) with this one loader, so that
extraction, review and checks of gold files cannot disagree about them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_FILE = Path(__file__).parent / "data" / "vocabularies.yaml"


@lru_cache(maxsize=1)
def vocabularies() -> dict[str, dict[str, tuple[str, ...]]]:
    """``{"person": {"role": (...)}, "incident": {"type": (...)}, ...}``."""
    raw = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, values in raw.items():
        kind, fieldname = key.split(".", 1)
        out.setdefault(kind, {})[fieldname] = tuple(values)
    return out


def terms(kind: str, fieldname: str) -> tuple[str, ...]:
    """The allowed values of one field, e.g. ``terms("incident", "type")``."""
    return vocabularies()[kind][fieldname]
