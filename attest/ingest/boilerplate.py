"""Remove whole lines of web noise, and keep them as part of the record.

Removed lines are not thrown away: the document keeps them, so a reviewer can
see what was cut and a wrong cut can be found. Patterns live in
``data/boilerplate.yaml``; a line is noise only when a pattern matches the
whole line and the line is short, so article sentences that merely mention
"subscribe" or "advertisement" survive.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

_DATA = Path(__file__).parent / "data" / "boilerplate.yaml"
_YEAR = re.compile(r"\b(19|20)\d\d\b")


@lru_cache(maxsize=1)
def _rules() -> tuple[int, list[tuple[str, re.Pattern[str]]]]:
    spec = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    rules = [(p["name"], re.compile(rf"(?:{p['regex']})", re.IGNORECASE)) for p in spec["patterns"]]
    return int(spec["max_words"]), rules


def noise_rule(line: str) -> str | None:
    """Name of the rule that marks ``line`` as noise, or None for report text."""
    stripped = line.strip()
    if not stripped:
        return None
    max_words, rules = _rules()
    if len(stripped.split()) > max_words:
        return None
    for name, pattern in rules:
        if pattern.fullmatch(stripped):
            if name == "navigation" and (re.search(r"[.!?]\s", stripped) or _YEAR.search(stripped)):
                continue  # sentences and datelines ("Outlet | World | 2 May 2021") are text
            if name == "category-label" and not 2 <= len(stripped.split()) <= 8:
                continue  # one capitalised word is a dateline or a name, not a label
            return name
    return None


def split_boilerplate(text: str) -> tuple[str, list[str]]:
    """Return (clean text, removed lines): each distinct removed line listed once."""
    kept: list[str] = []
    removed: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        if noise_rule(line):
            stripped = line.strip()
            if stripped not in seen:
                seen.add(stripped)
                removed.append(stripped)
            continue
        kept.append(line)
    clean = "\n".join(kept).strip("\n")
    return clean, removed
