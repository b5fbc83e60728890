"""Aggregates behind the pictures: places on a map, incidents in time, counts by kind.

Documenters would rather look than read, so the overview page, its JSON API
and the record pages draw from these functions. Every aggregate is taken over
the records the acting user may read and nothing else: a restricted incident
is neither drawn, nor listed, nor *counted* for a viewer (a count is a leak
too). Documents and pending proposals carry no level and are visible to any
reader, as on the document pages.

Incident dates are verbatim phrases ("last month", "in March 2019"); they are
parsed with dateparser relative to the published date of the document the
incident was confirmed from. A relative phrase with no published date to
anchor it stays unparsed rather than being anchored to today.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, String, cast, func, select

from attest.archive import Archive
from attest.archive.records import RecordStore, record_links, record_mentions, table_for
from attest.archive.schema import documents, proposals
from attest.errors import UnknownRecord
from attest.secure.roles import LEVELS, PermissionDenied, can_read_level, require
from attest.secure.users import User

records = RecordStore()
TIMELINE_KINDS = ("person", "facility", "place")
CORROBORATION_BUCKETS = ("1 document", "2 documents", "3 documents", "4 or more")


@dataclass(frozen=True)
class MapPoint:
    """A place with coordinates: a confirmed record, or a name proposed in documents."""

    source: str  # "record" or "proposed"
    id: int | None  # the place record's id (None for a proposed name)
    name: str
    lat: float
    lon: float
    country: str | None
    incidents: int
    documents: int
    href: str


@dataclass(frozen=True)
class TimelineItem:
    """An incident placed in time; ``start``/``end`` are None when its date phrase did not parse."""

    id: int
    name: str
    type: str | None
    date_text: str | None
    start: date | None
    end: date | None  # last day of the period the phrase names (== start for a day)
    precision: str | None  # day, week, month or year
    place: str | None
    facility: str | None
    href: str


@dataclass
class Timeline:
    dated: list[TimelineItem] = field(default_factory=list)
    undated: list[TimelineItem] = field(default_factory=list)


@dataclass
class PlaceMap:
    points: list[MapPoint]
    without_coordinates: int  # readable place records the map cannot draw


@dataclass
class Overview:
    places: PlaceMap
    timeline: Timeline
    incidents_by_type: list[tuple[str, int]]
    documents_per_month: list[tuple[str, int]]
    claims_by_corroboration: list[tuple[str, int]]
    totals: dict[str, int]


# -- levels ------------------------------------------------------------------------
def levels_for(user: User) -> list[str]:
    """The confidentiality levels ``user`` may read: every query below filters on them in SQL."""
    require(user, "read")
    return [lvl for lvl in LEVELS if can_read_level(user, lvl)]


def _readable_rows(conn: Connection, kind: str, user: User, *cols: str) -> list[dict[str, Any]]:
    table = table_for(kind)
    columns = [table.c[c] for c in ("id", "name", "category", *cols)]
    query = select(*columns).where(table.c.confidentiality.in_(levels_for(user))).order_by(table.c.id)
    return [r._asdict() for r in conn.execute(query)]


# -- the map ---------------------------------------------------------------------------
def place_map(archive: Archive, user: User, *, proposed: bool = False) -> PlaceMap:
    """Every readable place record with coordinates, sized by its incidents and documents.

    Coordinates come from the confirmed data (the gazetteer's at extraction
    time); a record confirmed without them (renamed in review, or extracted
    before places carried coordinates) is looked up in the gazetteer by name.
    With ``proposed``, place names still waiting for review are added too.
    """
    with archive.engine.connect() as conn:
        places = _readable_rows(conn, "place", user, "data")
        incidents = _readable_rows(conn, "incident", user, "place")
        place_ids = [p["id"] for p in places]
        by_place: dict[int, set[int]] = defaultdict(set)
        readable_incidents = {i["id"] for i in incidents}
        for link in _links(conn, "incident", "place", to_ids=place_ids):
            if link["from_id"] in readable_incidents:
                by_place[link["to_id"]].add(link["from_id"])
        docs = _mention_documents(conn, "place", place_ids)
        pending = _proposed_places(conn) if proposed else []
    names: dict[str, list[int]] = defaultdict(list)
    for p in places:
        names[p["name"].casefold()].append(p["id"])
    for inc in incidents:
        for pid in names.get((inc["place"] or "").casefold(), []):
            by_place[pid].add(inc["id"])
    points, missing = [], 0
    for p in places:
        where = _coordinates(p)
        if where is None:
            missing += 1
            continue
        lat, lon, country = where
        points.append(
            MapPoint(
                "record",
                p["id"],
                p["name"],
                lat,
                lon,
                country,
                len(by_place[p["id"]]),
                len(docs.get(p["id"], ())),
                f"/records/place/{p['id']}",
            )
        )
    return PlaceMap(points + pending, missing)


def _coordinates(place: dict[str, Any]) -> tuple[float, float, str | None] | None:
    data = place.get("data") if isinstance(place.get("data"), dict) else {}
    lat, lon = _number(data.get("lat")), _number(data.get("lon"))
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon, data.get("country")
    info = _gazetteer(place["name"])
    if info is None:
        return None
    return info


@lru_cache(maxsize=4096)
def _gazetteer(name: str) -> tuple[float, float, str | None] | None:
    from attest.extract import places as gazetteer  # built once per process, on first need

    _kind, info = gazetteer.resolve(name)
    if info is None or info.lat is None or info.lon is None:
        return None
    return info.lat, info.lon, info.country


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _proposed_places(conn: Connection) -> list[MapPoint]:
    """Place names proposed in documents and not yet decided, one point per coordinate pair."""
    query = select(proposals.c.document_id, proposals.c.data).where(
        proposals.c.kind == "place", proposals.c.status == "proposed"
    )
    found: dict[tuple[float, float], dict[str, Any]] = {}
    for doc_id, data in conn.execute(query):
        if not isinstance(data, dict):
            continue
        lat, lon = _number(data.get("lat")), _number(data.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        spot = found.setdefault(
            (round(lat, 3), round(lon, 3)),
            {"name": str(data.get("name") or "?"), "country": data.get("country"), "docs": set()},
        )
        spot["docs"].add(doc_id)
    from urllib.parse import quote

    return [
        MapPoint(
            "proposed",
            None,
            s["name"],
            lat,
            lon,
            s["country"],
            0,
            len(s["docs"]),
            f"/search?place={quote(s['name'])}",
        )
        for (lat, lon), s in sorted(found.items())
    ]


def _links(
    conn: Connection, from_kind: str, to_kind: str, *, to_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """Links between two kinds, filtered in Python: an IN list of every id would hit SQLite's limit."""
    query = select(record_links.c.from_id, record_links.c.to_id, record_links.c.role).where(
        record_links.c.from_type == from_kind, record_links.c.to_type == to_kind
    )
    wanted = set(to_ids) if to_ids is not None else None
    return [r._asdict() for r in conn.execute(query) if wanted is None or r.to_id in wanted]


def _mention_documents(conn: Connection, kind: str, ids: list[int]) -> dict[int, set[int]]:
    wanted = set(ids)
    out: dict[int, set[int]] = defaultdict(set)
    if not wanted:
        return out
    query = select(record_mentions.c.record_id, record_mentions.c.document_id).where(
        record_mentions.c.record_type == kind
    )
    for rec_id, doc_id in conn.execute(query):
        if rec_id in wanted:
            out[rec_id].add(doc_id)
    return out


# -- dates -------------------------------------------------------------------------------
_VAGUE = re.compile(
    r"^(?:(?:in|on|at|since|from|by|during|around|about|circa|ca\.?|approximately|"
    r"early|late|mid|the|of|beginning|end)\b[\s,-]*)+",
    re.I,
)
_ANCHORS = (datetime(2001, 1, 10), datetime(2013, 8, 20))  # two far-apart bases expose relative phrases


@lru_cache(maxsize=16)
def _parser(base: datetime) -> Any:
    from dateparser.date import DateDataParser  # heavy import, only when a timeline is drawn

    return DateDataParser(
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"},
    )


@lru_cache(maxsize=8192)
def _parse_at(phrase: str, base: datetime) -> tuple[date, str] | None:
    try:
        found = _parser(base).get_date_data(phrase)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input
        return None
    if found is None or found.date_obj is None:
        return None
    return found.date_obj.date(), found.period or "day"


def parse_when(phrase: str | None, published: date | None = None) -> tuple[date, date, str] | None:
    """(first day, last day, precision) of a date phrase, or None when it cannot be placed.

    "in March 2019" → (2019-03-01, 2019-03-31, month). Relative phrases ("last
    month", "in March") need ``published``; without it they stay unplaced, as
    anchoring them to today would put old events in the present.
    """
    text = _VAGUE.sub("", (phrase or "").strip()).strip(" .,;")
    if not text or len(text) > 80:
        return None
    if published is not None:
        return _period(_parse_at(text, datetime(published.year, published.month, published.day)))
    # no anchor: accept only what reads the same from two far-apart bases (an absolute date)
    first, second = (_period(_parse_at(text, base)) for base in _ANCHORS)
    return first if first == second else None


def _period(got: tuple[date, str] | None) -> tuple[date, date, str] | None:
    """The whole period a parsed phrase names: "2018" is all of 2018, not the 1st of some month."""
    if got is None:
        return None
    day, period = got
    if period == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31), "year"
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return date(day.year, day.month, 1), date(day.year, day.month, last), "month"
    if period == "week":
        return day, day + timedelta(days=6), "week"
    return day, day, "day"


def parse_published(value: str | None) -> date | None:
    """A document's published date: ISO first (what readers store), then anything dateparser reads."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        pass
    got = parse_when(value)
    return got[0] if got and got[2] == "day" else None


# -- timelines ----------------------------------------------------------------------------
def timeline(
    archive: Archive, user: User, *, kind: str | None = None, record_id: int | None = None
) -> Timeline:
    """Readable incidents in date order (all, or those of one person, facility or place).

    The record itself must be readable (else PermissionDenied, as on its
    page); its incidents are those linked to it and, for a facility or place,
    those that name it.
    """
    with archive.engine.connect() as conn:
        incidents = _readable_rows(conn, "incident", user, "date_text", "place", "facility")
        if kind is not None:
            incidents = _incidents_of(conn, user, incidents, kind, record_id or 0)
        published = _published_of(conn, [i["id"] for i in incidents])
    out = Timeline()
    for inc in incidents:
        when = parse_when(inc["date_text"], published.get(inc["id"]))
        start, end, precision = when if when else (None, None, None)
        item = TimelineItem(
            inc["id"],
            inc["name"],
            inc["category"],
            inc["date_text"],
            start,
            end,
            precision,
            inc["place"],
            inc["facility"],
            f"/records/incident/{inc['id']}",
        )
        (out.dated if when else out.undated).append(item)
    out.dated.sort(key=lambda i: (i.start, i.end, i.id))
    return out


def _incidents_of(
    conn: Connection, user: User, incidents: list[dict[str, Any]], kind: str, record_id: int
) -> list[dict[str, Any]]:
    if kind not in TIMELINE_KINDS:
        raise UnknownRecord(f"no timeline for {kind} records (only {', '.join(TIMELINE_KINDS)})")
    rec = records.get(conn, kind, record_id)  # UnknownRecord → 404
    if not can_read_level(user, rec.get("confidentiality") or "public"):
        raise PermissionDenied(f"{kind} {record_id} is {rec['confidentiality']}; your role may not read it")
    linked = {
        r.from_id
        for r in conn.execute(
            select(record_links.c.from_id).where(
                record_links.c.from_type == "incident",
                record_links.c.to_type == kind,
                record_links.c.to_id == record_id,
            )
        )
    } | {
        r.to_id
        for r in conn.execute(
            select(record_links.c.to_id).where(
                record_links.c.to_type == "incident",
                record_links.c.from_type == kind,
                record_links.c.from_id == record_id,
            )
        )
    }
    name = rec["name"].casefold()
    column = kind if kind in ("facility", "place") else None
    return [
        i
        for i in incidents
        if i["id"] in linked or (column is not None and (i[column] or "").casefold() == name)
    ]


def _published_of(conn: Connection, incident_ids: list[int]) -> dict[int, date]:
    """Each incident's anchor: the published date of the first of its documents that has one."""
    wanted = set(incident_ids)
    if not wanted:
        return {}
    query = (
        select(record_mentions.c.record_id, documents.c.published)
        .join(documents, documents.c.id == record_mentions.c.document_id)
        .where(record_mentions.c.record_type == "incident")
        .order_by(record_mentions.c.id)
    )
    out: dict[int, date] = {}
    for rec_id, published in conn.execute(query):
        if rec_id in wanted and rec_id not in out:
            when = parse_published(published)
            if when is not None:
                out[rec_id] = when
    return out


# -- counts ---------------------------------------------------------------------------------
def incidents_by_type(archive: Archive, user: User) -> list[tuple[str, int]]:
    """Readable incidents per violation type, most frequent first ("unspecified" when none)."""
    table = table_for("incident")
    query = (
        select(table.c.category, func.count())
        .where(table.c.confidentiality.in_(levels_for(user)))
        .group_by(table.c.category)
    )
    with archive.engine.connect() as conn:
        counts = Counter({(cat or "unspecified"): n for cat, n in conn.execute(query)})
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def documents_per_month(archive: Archive, user: User) -> list[tuple[str, int]]:
    """Documents ingested per calendar month (UTC), oldest first, empty months included as 0."""
    require(user, "read")
    month = func.substr(cast(documents.c.ingested_at, String), 1, 7)
    query = select(month, func.count()).group_by(month)
    with archive.engine.connect() as conn:
        counts = {m: n for m, n in conn.execute(query) if m and re.fullmatch(r"\d{4}-\d{2}", m)}
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, mon = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{mon:02d}" <= last:
        key = f"{year:04d}-{mon:02d}"
        out.append((key, counts.get(key, 0)))
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return out


def claims_by_corroboration(archive: Archive, user: User) -> list[tuple[str, int]]:
    """Readable claims by how many distinct documents carry them: 1, 2, 3, 4 or more.

    This counts documents, not independent origins (three articles copying one
    report count three here); the bars show how much rests on a single text.
    """
    claims = table_for("claim")
    per_claim = (
        select(record_mentions.c.record_id, func.count(func.distinct(record_mentions.c.document_id)))
        .join(claims, claims.c.id == record_mentions.c.record_id)
        .where(record_mentions.c.record_type == "claim", claims.c.confidentiality.in_(levels_for(user)))
        .group_by(record_mentions.c.record_id)
    )
    buckets = Counter()
    with archive.engine.connect() as conn:
        for _claim, n in conn.execute(per_claim):
            buckets[CORROBORATION_BUCKETS[min(max(n, 1), 4) - 1]] += 1
    return [(b, buckets[b]) for b in CORROBORATION_BUCKETS]


def totals(archive: Archive, user: User) -> dict[str, int]:
    """How many documents and readable records of each kind the pictures are drawn from."""
    levels = levels_for(user)
    out: dict[str, int] = {}
    with archive.engine.connect() as conn:
        out["documents"] = conn.execute(select(func.count()).select_from(documents)).scalar_one()
        for kind in ("person", "place", "facility", "incident", "claim"):
            table = table_for(kind)
            out[kind] = conn.execute(
                select(func.count()).select_from(table).where(table.c.confidentiality.in_(levels))
            ).scalar_one()
    return out


def overview(archive: Archive, user: User, *, proposed: bool = False) -> Overview:
    """Everything the overview page draws, for ``user``."""
    return Overview(
        places=place_map(archive, user, proposed=proposed),
        timeline=timeline(archive, user),
        incidents_by_type=incidents_by_type(archive, user),
        documents_per_month=documents_per_month(archive, user),
        claims_by_corroboration=claims_by_corroboration(archive, user),
        totals=totals(archive, user),
    )
