"""Stats behind the pictures, on an archive filled through the review service.

What is drawn must be what a role may read: restricted records are neither
shown nor counted for a viewer. Dates are read relative to the document's
publication date, and relative phrases without one stay unplaced.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from attest.archive import Archive
from attest.archive.records import RecordStore
from attest.archive.schema import documents
from attest.errors import UnknownRecord
from attest.model.proposal import Proposal
from attest.secure.roles import PermissionDenied
from attest.service import review, stats
from tests.e2e.support import add_document, add_users, proposal_ids, span

KASHGAR_TEXT = (
    "On 3 May 2021 Ayse Tursun was detained in Kashgar.\n"
    "In March 2019 guards beat detainees in Kashgar.\n"
    "Human Rights Watch said that Ayse Tursun was held without charge.\n"
    "Relatives heard that she was moved to Xinjiang."
)


def kashgar_proposals(text: str = KASHGAR_TEXT) -> list[Proposal]:
    def p(kind: str, needle: str, label: str | None, data: dict, nth: int = 0) -> Proposal:
        s, e = span(text, needle, nth)
        return Proposal(kind, label, s, e, needle, data, 0.8)

    place = {"name": "Kashgar", "kind": "city", "country": "CN", "lat": 39.47, "lon": 75.99}
    return [
        p("person", "Ayse Tursun", "victim", {"name": "Ayse Tursun", "role": "victim"}),
        p("place", "Kashgar", "city", place),
        p("place", "Kashgar", "city", place, nth=1),
        p("place", "Xinjiang", "region", {"name": "Xinjiang", "kind": "region"}),
        p(
            "incident",
            "On 3 May 2021 Ayse Tursun was detained in Kashgar",
            "arbitrary_detention",
            {
                "type": "arbitrary_detention",
                "victims": [{"name": "Ayse Tursun"}],
                "place": "Kashgar",
                "date": "On 3 May 2021",
            },
        ),
        p(
            "incident",
            "In March 2019 guards beat detainees in Kashgar",
            "torture",
            {"type": "torture", "victims": [], "place": "Kashgar", "date": "In March 2019"},
        ),
        p(
            "claim",
            "Human Rights Watch said that Ayse Tursun was held without charge",
            None,
            {"speaker": "Human Rights Watch", "cue": "said", "quote_start": "that Ayse Tursun"},
        ),
    ]


def publish(archive: Archive, doc_id: int, published: str | None) -> None:
    with archive.engine.begin() as conn:
        conn.execute(update(documents).where(documents.c.id == doc_id).values(published=published))


def fill(archive: Archive) -> dict:
    """Two reviewed documents: the support TEXT (published 2023-06-15) and the Kashgar report.

    Returns the record ids by name; the torture incident ("beaten") is restricted.
    """
    add_users(archive)
    rita = archive.users.get("rita")
    first = add_document(archive)
    publish(archive, first, "2023-06-15")
    ids = proposal_ids(archive, first)
    rec = {}
    for kind in ("person", "facility", "place", "incident", "claim"):
        rec[kind] = review.accept(archive, rita, ids[kind][0]).record_id
    second = add_document(
        archive, KASHGAR_TEXT, title="Kashgar", filename="k.txt", proposals=kashgar_proposals()
    )
    publish(archive, second, "2021-07-01T08:00:00+00:00")
    ids2 = proposal_ids(archive, second)
    ayse = review.accept(archive, rita, ids2["person"][0]).record_id
    kashgar = review.accept(archive, rita, ids2["place"][0]).record_id
    review.attach(archive, rita, ids2["place"][1], kashgar)
    review.attach(archive, rita, ids2["place"][2], rec["place"])  # Xinjiang, now in two documents
    detained = review.accept(archive, rita, ids2["incident"][0]).record_id
    beaten = review.accept(archive, rita, ids2["incident"][1], confidentiality="restricted").record_id
    claim2 = review.accept(archive, rita, ids2["claim"][0]).record_id
    return {
        **rec,
        "ayse": ayse,
        "kashgar": kashgar,
        "detained": detained,
        "beaten": beaten,
        "claim2": claim2,
        "docs": (first, second),
    }


@pytest.fixture
def filled(archive: Archive):
    return archive, fill(archive)


def by_name(points: list[stats.MapPoint]) -> dict[str, stats.MapPoint]:
    return {p.name: p for p in points}


def test_map_places_with_counts_and_coordinates(filled) -> None:  # noqa: ANN001
    archive, rec = filled
    rita = archive.users.get("rita")
    found = stats.place_map(archive, rita)
    points = by_name(found.points)
    assert set(points) == {"Xinjiang", "Kashgar"} and found.without_coordinates == 0
    kashgar = points["Kashgar"]
    # coordinates straight from the confirmed data; both Kashgar incidents count for a reviewer
    assert (kashgar.lat, kashgar.lon, kashgar.country) == (39.47, 75.99, "CN")
    assert (kashgar.incidents, kashgar.documents) == (2, 1)
    assert kashgar.href == f"/records/place/{rec['kashgar']}" and kashgar.source == "record"
    # Xinjiang was confirmed without coordinates: the gazetteer supplies them
    xinjiang = points["Xinjiang"]
    assert xinjiang.lat == pytest.approx(41.1) and xinjiang.lon == pytest.approx(85.3)
    assert (xinjiang.incidents, xinjiang.documents) == (1, 2)


def test_viewer_sees_and_counts_only_public_records(filled) -> None:  # noqa: ANN001
    archive, rec = filled
    rita, vic = archive.users.get("rita"), archive.users.get("vic")
    with archive.engine.begin() as conn:
        RecordStore().update(conn, "place", rec["place"], {"confidentiality": "restricted"}, user="rita")
    assert {p.name for p in stats.place_map(archive, rita).points} == {"Xinjiang", "Kashgar"}
    points = by_name(stats.place_map(archive, vic).points)
    assert set(points) == {"Kashgar"}
    assert points["Kashgar"].incidents == 1  # the restricted beating is not even counted
    line = stats.timeline(archive, vic)
    assert rec["beaten"] not in {i.id for i in line.dated + line.undated}
    assert rec["beaten"] in {i.id for i in stats.timeline(archive, rita).dated}
    assert dict(stats.incidents_by_type(archive, vic)) == {"arbitrary_detention": 2}
    assert dict(stats.incidents_by_type(archive, rita)) == {"arbitrary_detention": 2, "torture": 1}
    assert stats.totals(archive, vic)["incident"] == 2 and stats.totals(archive, rita)["incident"] == 3
    assert stats.totals(archive, vic)["place"] == 1
    with pytest.raises(PermissionDenied, match="restricted"):
        stats.timeline(archive, vic, kind="place", record_id=rec["place"])


def test_timeline_reads_dates_relative_to_publication(filled) -> None:  # noqa: ANN001
    archive, rec = filled
    rita = archive.users.get("rita")
    line = stats.timeline(archive, rita)
    got = {i.id: (i.start, i.end, i.precision) for i in line.dated}
    # "last month" in a report published 2023-06-15 is May 2023
    assert got[rec["incident"]] == (date(2023, 5, 1), date(2023, 5, 31), "month")
    assert got[rec["detained"]] == (date(2021, 5, 3), date(2021, 5, 3), "day")
    assert got[rec["beaten"]] == (date(2019, 3, 1), date(2019, 3, 31), "month")
    assert [i.id for i in line.dated] == [rec["beaten"], rec["detained"], rec["incident"]]
    assert line.undated == []
    # without a publication date, "last month" cannot be placed; absolute dates still can
    publish(archive, rec["docs"][0], None)
    publish(archive, rec["docs"][1], None)
    line = stats.timeline(archive, rita)
    assert [i.id for i in line.undated] == [rec["incident"]]
    assert line.undated[0].date_text == "last month" and line.undated[0].start is None
    assert {i.id for i in line.dated} == {rec["detained"], rec["beaten"]}


def test_record_timelines(filled) -> None:  # noqa: ANN001
    archive, rec = filled
    rita = archive.users.get("rita")
    li_wei = stats.timeline(archive, rita, kind="person", record_id=rec["person"])
    assert [i.id for i in li_wei.dated] == [rec["incident"]]
    ayse = stats.timeline(archive, rita, kind="person", record_id=rec["ayse"])
    assert [i.id for i in ayse.dated] == [rec["detained"]]
    facility = stats.timeline(archive, rita, kind="facility", record_id=rec["facility"])
    assert [i.id for i in facility.dated] == [rec["incident"]]
    kashgar = stats.timeline(archive, rita, kind="place", record_id=rec["kashgar"])
    assert [i.id for i in kashgar.dated] == [rec["beaten"], rec["detained"]]
    with pytest.raises(UnknownRecord):
        stats.timeline(archive, rita, kind="person", record_id=999)
    with pytest.raises(UnknownRecord, match="no timeline"):
        stats.timeline(archive, rita, kind="claim", record_id=rec["claim"])


def test_documents_per_month_fills_gaps(filled) -> None:  # noqa: ANN001
    archive, rec = filled
    first, second = rec["docs"]
    with archive.engine.begin() as conn:
        for doc, when in (
            (first, datetime(2023, 11, 5, tzinfo=UTC)),
            (second, datetime(2024, 2, 1, tzinfo=UTC)),
        ):
            conn.execute(update(documents).where(documents.c.id == doc).values(ingested_at=when))
    assert stats.documents_per_month(archive, archive.users.get("vic")) == [
        ("2023-11", 1),
        ("2023-12", 0),
        ("2024-01", 0),
        ("2024-02", 1),
    ]


def test_claims_by_corroboration_counts_distinct_documents(filled) -> None:  # noqa: ANN001
    archive, rec = filled
    rita, vic = archive.users.get("rita"), archive.users.get("vic")
    assert dict(stats.claims_by_corroboration(archive, rita)) == {
        "1 document": 2,
        "2 documents": 0,
        "3 documents": 0,
        "4 or more": 0,
    }
    # a later merge gives the first claim a second document (twice: still two documents)
    store = RecordStore()
    with archive.engine.begin() as conn:
        for start in (0, 10):
            fake = {"document_id": rec["docs"][1], "id": None, "start": start, "end": start + 5, "text": "x"}
            store.add_mention(conn, "claim", rec["claim"], fake, user="rita")
        store.update(conn, "claim", rec["claim2"], {"confidentiality": "confidential"}, user="rita")
    assert dict(stats.claims_by_corroboration(archive, vic))["2 documents"] == 1
    assert sum(n for _, n in stats.claims_by_corroboration(archive, vic)) == 1
    assert sum(n for _, n in stats.claims_by_corroboration(archive, archive.users.get("ana"))) == 2


def test_proposed_places_are_optional_and_exclude_decided_ones(archive: Archive) -> None:
    add_users(archive)
    doc = add_document(
        archive, KASHGAR_TEXT, title="Kashgar", filename="k.txt", proposals=kashgar_proposals()
    )
    vic = archive.users.get("vic")
    assert stats.place_map(archive, vic).points == []
    [point] = stats.place_map(archive, vic, proposed=True).points  # Xinjiang has no coordinates
    assert (point.source, point.name, point.documents, point.id) == ("proposed", "Kashgar", 1, None)
    assert point.href == "/search?place=Kashgar"
    ids = proposal_ids(archive, doc)
    rita = archive.users.get("rita")
    for pid in ids["place"][:2]:
        review.reject(archive, rita, pid)
    assert stats.place_map(archive, vic, proposed=True).points == []


@pytest.mark.parametrize(
    ("phrase", "published", "expected"),
    [
        ("on 3 May 2021", None, (date(2021, 5, 3), date(2021, 5, 3), "day")),
        ("in 2018", None, (date(2018, 1, 1), date(2018, 12, 31), "year")),
        ("since early 2020", None, (date(2020, 1, 1), date(2020, 12, 31), "year")),
        ("March 2019", None, (date(2019, 3, 1), date(2019, 3, 31), "month")),
        ("in late August", date(2022, 10, 1), (date(2022, 8, 1), date(2022, 8, 31), "month")),
        ("yesterday", date(2022, 10, 1), (date(2022, 9, 30), date(2022, 9, 30), "day")),
        ("last year", date(2022, 10, 1), (date(2021, 1, 1), date(2021, 12, 31), "year")),
        ("last month", None, None),
        ("in March", None, None),
        ("recently", date(2022, 10, 1), None),
        ("", date(2022, 10, 1), None),
        (None, None, None),
    ],
)
def test_parse_when(phrase: str | None, published: date | None, expected: tuple | None) -> None:
    assert stats.parse_when(phrase, published) == expected


def test_parse_published() -> None:
    assert stats.parse_published("2023-06-15T10:00:00Z") == date(2023, 6, 15)
    assert stats.parse_published("June 15, 2023") == date(2023, 6, 15)
    assert stats.parse_published("2023") is None  # a year is no anchor for "yesterday"
    assert stats.parse_published("not a date") is None and stats.parse_published(None) is None
