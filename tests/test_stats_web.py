"""The overview's JSON API and pages in-process: paging, role checks, nothing restricted leaks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from attest.archive import Archive
from attest.archive.records import RecordStore
from tests.e2e.clients import api_login, client, page_login
from tests.test_stats_service import fill

SECRET_PLACE = "Secret <Site> & Co"


@pytest.fixture
def served(archive: Archive):
    """The filled archive, with Kashgar renamed to a name that needs escaping and made restricted."""
    rec = fill(archive)
    with archive.engine.begin() as conn:
        values = {"name": SECRET_PLACE, "confidentiality": "restricted"}
        RecordStore().update(conn, "place", rec["kashgar"], values, user="rita")
    return archive, rec


def test_api_needs_login(served) -> None:  # noqa: ANN001
    archive, rec = served
    c = client(archive)
    for path in ("/api/overview", "/api/overview/places", "/api/overview/timeline"):
        assert c.get(path).status_code == 401
    assert c.get(f"/api/records/person/{rec['person']}/timeline").status_code == 401


def test_api_overview_counts_follow_the_role(served) -> None:  # noqa: ANN001
    archive, _rec = served
    viewer, reviewer = client(archive), client(archive)
    api_login(viewer, "vic")
    api_login(reviewer, "rita")
    mine = reviewer.get("/api/overview").json()
    theirs = viewer.get("/api/overview").json()
    assert mine["totals"]["incident"] == 3 and theirs["totals"]["incident"] == 2
    assert {c["label"]: c["count"] for c in mine["incidents_by_type"]}["torture"] == 1
    assert "torture" not in {c["label"] for c in theirs["incidents_by_type"]}
    assert [c["label"] for c in theirs["claims_by_corroboration"]][0] == "1 document"
    assert sum(c["count"] for c in theirs["documents_per_month"]) == 2


def test_api_places_are_paged_and_filtered(served) -> None:  # noqa: ANN001
    archive, rec = served
    c = client(archive)
    api_login(c, "rita")
    first = c.get("/api/overview/places", params={"limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_offset"] == 1
    second = c.get("/api/overview/places", params={"limit": 1, "offset": 1}).json()
    assert second["next_offset"] is None
    names = {p["name"] for p in first["items"] + second["items"]}
    assert names == {"Xinjiang", SECRET_PLACE}
    viewer = client(archive)
    api_login(viewer, "vic")
    page = viewer.get("/api/overview/places").json()
    assert [p["name"] for p in page["items"]] == ["Xinjiang"] and page["next_offset"] is None
    assert page["items"][0]["href"] == f"/records/place/{rec['place']}"
    assert SECRET_PLACE not in viewer.get("/api/overview/places", params={"proposed": True}).text


def test_api_timeline_for_viewer_and_per_record(served) -> None:  # noqa: ANN001
    archive, rec = served
    c = client(archive)
    api_login(c, "vic")
    line = c.get("/api/overview/timeline").json()
    assert [i["id"] for i in line["items"]] == [rec["detained"], rec["incident"]]
    assert (line["dated"], line["undated"]) == (2, 0)
    assert line["items"][1]["start"] == "2023-05-01" and line["items"][1]["precision"] == "month"
    assert c.get("/api/overview/timeline", params={"dated": False}).json()["items"] == []
    paged = c.get("/api/overview/timeline", params={"limit": 1, "offset": 1}).json()
    assert [i["id"] for i in paged["items"]] == [rec["incident"]] and paged["next_offset"] is None
    person = c.get(f"/api/records/person/{rec['ayse']}/timeline").json()
    assert [i["id"] for i in person["items"]] == [rec["detained"]]
    restricted = c.get(f"/api/records/place/{rec['kashgar']}/timeline")
    assert restricted.status_code == 403 and "restricted" in restricted.json()["detail"]
    assert c.get("/api/records/person/9999/timeline").status_code == 404
    assert c.get(f"/api/records/claim/{rec['claim']}/timeline").status_code == 422
    reviewer = client(archive)
    api_login(reviewer, "rita")
    kashgar = reviewer.get(f"/api/records/place/{rec['kashgar']}/timeline").json()
    assert [i["id"] for i in kashgar["items"]] == [rec["beaten"], rec["detained"]]


def test_openapi_describes_the_overview(served) -> None:  # noqa: ANN001
    archive, _rec = served
    paths = client(archive).get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/overview",
        "/api/overview/places",
        "/api/overview/timeline",
        "/api/records/{kind}/{record_id}/timeline",
    ):
        assert "get" in paths[path] and "overview" in paths[path]["get"]["tags"]
    params = {p["name"] for p in paths["/api/overview/places"]["get"]["parameters"]}
    assert {"offset", "limit", "proposed"} <= params


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, re.S)]


def test_overview_page_draws_the_pictures(served) -> None:  # noqa: ANN001
    archive, rec = served
    c = client(archive)
    assert c.get("/overview", follow_redirects=False).headers["location"] == "/login"
    page_login(c, "rita")
    r = c.get("/overview")
    assert r.status_code == 200 and "default-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert '<a href="/overview">Overview</a>' in html
    pictures = svgs(html)
    assert len(pictures) == 5  # map, timeline, three charts
    assert "Secret &lt;Site&gt; &amp; Co" in html and SECRET_PLACE not in html
    assert f'href="/records/place/{rec["kashgar"]}"' in html
    assert f'href="/records/incident/{rec["beaten"]}"' in html
    assert ' style="' not in html  # the CSP would drop it


def test_viewer_overview_page_hides_restricted_records(served) -> None:  # noqa: ANN001
    archive, rec = served
    c = client(archive)
    page_login(c, "vic")
    html = c.get("/overview").text
    assert len(svgs(html)) == 5
    assert "Secret" not in html and f"/records/place/{rec['kashgar']}" not in html
    assert f"/records/incident/{rec['beaten']}" not in html and "torture" not in html
    assert f'href="/records/place/{rec["place"]}"' in html


def test_record_page_shows_the_timeline(served) -> None:  # noqa: ANN001
    archive, rec = served
    c = client(archive)
    page_login(c, "vic")
    html = c.get(f"/records/person/{rec['ayse']}").text
    [line] = svgs(html)
    assert "chart-timeline" in line.get("class")
    assert f'href="/records/incident/{rec["detained"]}"' in html
    claim = c.get(f"/records/claim/{rec['claim']}").text
    assert "<svg" not in claim  # only persons, facilities and places have a timeline
