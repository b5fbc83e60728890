"""The overview in a real headless Chromium: the map, the timeline and the charts are drawn.

A small archive of reviewed reports (places across Xinjiang, incidents over
four years, one restricted) is served; a reviewer opens /overview, sees every
picture, follows a circle on the map to its place and that place's timeline;
a viewer's overview leaves the restricted place out. With ATTEST_SCREENSHOTS=1
the page is saved as docs/screenshots/overview.png for docs/web.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from attest.archive import Archive
from attest.archive.schema import documents
from attest.model.proposal import Proposal
from attest.service import review
from tests.conftest import PASSPHRASE
from tests.e2e.browsing import login, shot
from tests.e2e.server import CHROMIUM, running
from tests.e2e.support import add_document, add_users, proposal_ids, span

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent (scripts/install-browser.sh)"
    ),
]

# place, lat, lon, violation type, date phrase, published, ingested (year, month)
REPORTS = [
    ("Urumqi", 43.80, 87.60, "arbitrary_detention", "on 12 March 2019", "2019-03-20", (2023, 9)),
    ("Urumqi", 43.80, 87.60, "torture", "in April 2019", "2019-05-02", (2023, 9)),
    ("Kashgar", 39.47, 75.99, "arbitrary_detention", "last month", "2020-06-15", (2023, 10)),
    ("Kashgar", 39.47, 75.99, "enforced_disappearance", "in 2020", "2021-01-10", (2023, 10)),
    ("Kashgar", 39.47, 75.99, "death_in_custody", "on 2 February 2021", "2021-02-09", (2023, 12)),
    ("Hotan", 37.11, 79.93, "forced_labour", "in 2021", "2022-03-01", (2024, 1)),
    ("Ghulja", 43.91, 81.33, "trial", "on 8 November 2021", "2021-11-09", (2024, 1)),
    ("Beitun District", 47.35, 87.82, "arbitrary_detention", "in June 2022", "2022-07-04", (2024, 2)),
    ("Aksu", 41.17, 80.26, "fine_or_extortion", "yesterday", "2022-09-30", (2024, 3)),
    ("Altay", 47.84, 88.13, "surveillance", "sometime after the raid", None, (2024, 3)),
]
RESTRICTED = "Hotan"


def report(i: int, place: str, lat: float, lon: float, kind: str, when: str) -> tuple[str, list[Proposal]]:
    name = f"Detainee {chr(65 + i)}"
    sentence = f"{when[0].upper()}{when[1:]} {name} was a victim of {kind.replace('_', ' ')} in {place}."
    text = f"{sentence}\nRelatives said that {name} had done nothing wrong."

    def p(k: str, needle: str, label: str | None, data: dict) -> Proposal:
        s, e = span(text, needle)
        return Proposal(k, label, s, e, needle, data, 0.8)

    return text, [
        p("person", name, "victim", {"name": name, "role": "victim"}),
        p("place", place, "city", {"name": place, "kind": "city", "country": "CN", "lat": lat, "lon": lon}),
        p(
            "incident",
            sentence[:-1],
            kind,
            {"type": kind, "victims": [{"name": name}], "place": place, "date": when},
        ),
        p("claim", f"Relatives said that {name} had done nothing wrong", None, {"speaker": "Relatives"}),
    ]


def fill_overview(archive: Archive) -> None:
    """Review every report as rita: places attached to one record per name, Hotan restricted."""
    add_users(archive)
    rita = archive.users.get("rita")
    places: dict[str, int] = {}
    for i, (place, lat, lon, kind, when, published, (year, month)) in enumerate(REPORTS):
        text, props = report(i, place, lat, lon, kind, when)
        title = f"Report {i + 1}: {place}"
        doc = add_document(archive, text, title=title, filename=f"r{i}.txt", proposals=props)
        with archive.engine.begin() as conn:
            conn.execute(
                update(documents)
                .where(documents.c.id == doc)
                .values(published=published, ingested_at=datetime(year, month, 3, tzinfo=UTC))
            )
        ids = proposal_ids(archive, doc)
        level = "restricted" if place == RESTRICTED else "public"
        review.accept(archive, rita, ids["person"][0])
        if place in places:
            review.attach(archive, rita, ids["place"][0], places[place])
        else:
            places[place] = review.accept(archive, rita, ids["place"][0], confidentiality=level).record_id
        review.accept(archive, rita, ids["incident"][0], confidentiality=level)
        review.accept(archive, rita, ids["claim"][0])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Archive, str]]:
    with Archive.create(tmp_path / "archive", PASSPHRASE) as archive:
        fill_overview(archive)
        with running(archive) as url:
            yield archive, url


def test_overview_draws_pictures(served: tuple[Archive, str], browser) -> None:  # noqa: ANN001, F811
    _archive, url = served
    page = browser.new_context(viewport={"width": 1400, "height": 1800}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else 0)

    login(page, url, "rita")
    page.click("nav >> text=Overview")
    page.wait_for_url(f"{url}/overview")
    page.wait_for_selector("svg.chart-map circle.pt")
    distinct = {r[0] for r in REPORTS}
    assert page.locator("svg.chart-map circle.pt").count() == len(distinct)
    assert page.locator("svg.chart-map path.land").count() == 1  # the packaged coastline is drawn
    box = page.locator("svg.chart-map").bounding_box()
    assert box and box["width"] > 800 and box["height"] > 350  # laid out, not collapsed
    # Kashgar (three incidents) is drawn bigger than Aksu (one)
    radius = page.eval_on_selector_all(
        "svg.chart-map circle.pt",
        "cs => Object.fromEntries(cs.map(c => [c.dataset.name, +c.getAttribute('r')]))",
    )
    assert radius["Kashgar"] > radius["Aksu"]
    dated = len(REPORTS) - 1  # Altay's "sometime after the raid" cannot be placed in time
    assert page.locator("svg.chart-timeline .mark").count() == dated
    assert "sometime after the raid" in page.locator("#ov-undated").text_content()
    assert page.locator("svg.chart-bars").count() == 2 and page.locator("svg.chart-columns rect").count() == 7
    shot(page, "overview")

    # a circle on the map leads to its place, whose page has its own timeline
    page.click("svg.chart-map circle.pt[data-name=Kashgar]")
    page.wait_for_url(f"{url}/records/place/*")
    assert page.locator("h1").inner_text() == "Kashgar"
    assert page.locator("#rec-timeline svg.chart-timeline .mark").count() == 3
    assert errors == [], errors

    # a viewer's overview leaves the restricted place and its incident out
    viewer = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    login(viewer, url, "vic")
    viewer.goto(f"{url}/overview")
    viewer.wait_for_selector("svg.chart-map circle.pt")
    assert viewer.locator("svg.chart-map circle.pt").count() == len(distinct) - 1
    assert viewer.locator(f"svg.chart-map circle[data-name={RESTRICTED}]").count() == 0
    assert viewer.locator("svg.chart-timeline .mark").count() == dated - 1
    assert "forced labour" not in viewer.locator("#ov-types").inner_text()
