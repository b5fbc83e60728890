"""Shared helpers of the review, API, web and e2e tests: a document with known proposals, users."""

from __future__ import annotations

import hashlib
from typing import Any

from attest.archive import Archive
from attest.model.document import ReadDocument
from attest.model.proposal import Proposal

PASSWORDS = {"rita": "rita-reviews-2024", "vic": "vic-only-looks-2024", "ana": "ana-analyses-2024"}
ROLES = {"rita": "reviewer", "vic": "viewer", "ana": "analyst"}

TEXT = (
    "Li Wei was detained at the Urumqi Detention Center in Xinjiang last month.\n"
    "According to China Aid, a local source said that Li Wei was beaten by guards.\n"
    "Relatives were asked to pay 18,000 yuan for his release."
)


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def proposals_for(text: str = TEXT) -> list[Proposal]:
    """The proposals extraction would make for TEXT, by hand, so tests need no model."""

    def p(kind: str, needle: str, label: str | None, data: dict[str, Any], nth: int = 0) -> Proposal:
        s, e = span(text, needle, nth)
        return Proposal(kind, label, s, e, needle, data, 0.8)

    claim = "a local source said that Li Wei was beaten by guards"
    return [
        p("person", "Li Wei", "victim", {"name": "Li Wei", "role": "victim", "aliases": []}),
        p(
            "facility",
            "Urumqi Detention Center",
            "detention",
            {"name": "Urumqi Detention Center", "kind": "detention", "place": "Xinjiang"},
        ),
        p("place", "Xinjiang", "region", {"name": "Xinjiang", "kind": "region"}),
        p(
            "incident",
            "Li Wei was detained at the Urumqi Detention Center in Xinjiang last month",
            "arbitrary_detention",
            {
                "type": "arbitrary_detention",
                "victims": [{"name": "Li Wei", "count": None, "group": None}],
                "place": "Xinjiang",
                "facility": "Urumqi Detention Center",
                "date": "last month",
            },
        ),
        p("organization", "China Aid", None, {"name": "China Aid"}),
        p(
            "claim",
            claim,
            None,
            {
                "speaker": "a local source",
                "via": "China Aid",
                "cue": "said",
                "quote_start": "that Li Wei was beaten by guards",
            },
        ),
        p("person", "Li Wei", "victim", {"name": "Li Wei", "role": "victim", "aliases": []}, nth=1),
        p("amount", "18,000 yuan", "CNY", {"text": "18,000 yuan", "value": 18000, "currency": "CNY"}),
    ]


def add_document(
    archive: Archive,
    text: str = TEXT,
    *,
    title: str = "Detentions in Xinjiang",
    proposals: list[Proposal] | None = None,
    filename: str = "report.txt",
) -> int:
    """Store a document and its proposals straight through the archive (no extraction)."""
    raw = text.encode()
    doc = ReadDocument(
        filename=filename,
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type="text/plain",
        original=raw,
        title=title,
        clean_text=text,
    )
    with archive.engine.begin() as conn:
        doc_id = archive.documents.insert(conn, doc, user=archive.user)
        archive.proposals.insert_many(
            conn, doc_id, proposals if proposals is not None else proposals_for(text)
        )
    return doc_id


def add_users(archive: Archive) -> None:
    for name, role in ROLES.items():
        archive.users.add(name, role, PASSWORDS[name])


def proposal_ids(archive: Archive, doc_id: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for p in archive.proposals.for_document(doc_id):
        out.setdefault(p["kind"], []).append(p["id"])
    return out
