"""Review service: proposals become records with provenance, once, by permitted users only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from attest.archive import Archive
from attest.archive.records import record_links, record_mentions
from attest.errors import UnknownRecord
from attest.secure.roles import PermissionDenied
from attest.service import records as record_service
from attest.service import review
from attest.service.review import InvalidEdit, ReviewConflict
from tests.e2e.support import TEXT, add_document, add_users, proposal_ids


@pytest.fixture
def setup(archive: Archive):
    add_users(archive)
    doc = add_document(archive)
    return archive, doc, proposal_ids(archive, doc), archive.users.get("rita"), archive.users.get("vic")


def test_accept_creates_record_with_span_and_audit(setup) -> None:  # noqa: ANN001
    archive, doc, ids, rita, _ = setup
    events = archive.audit.count()
    d = review.accept(archive, rita, ids["facility"][0])
    assert (d.action, d.record_type, d.document_status) == ("accept", "facility", "in_review")
    page = record_service.record_page(archive, rita, "facility", d.record_id)
    assert page["record"]["name"] == "Urumqi Detention Center"
    assert page["record"]["place"] == "Xinjiang"
    [m] = page["mentions"]
    assert TEXT[m["start"] : m["end"]] == "Urumqi Detention Center" and m["document_id"] == doc
    assert archive.audit.count() == events + 1
    assert archive.audit.verify().ok


def test_decided_once_and_document_status_follows(setup) -> None:  # noqa: ANN001
    archive, doc, ids, rita, _ = setup
    review.reject(archive, rita, ids["amount"][0], reason="not a demand")
    with pytest.raises(ReviewConflict, match="already decided"):
        review.accept(archive, rita, ids["amount"][0])
    for pids in ids.values():
        for pid in pids:
            if pid != ids["amount"][0]:
                last = review.accept(archive, rita, pid)
    assert last.document_status == "reviewed"
    assert review.inbox(archive, rita, status="reviewed").items[0]["id"] == doc


def test_attach_adds_mention_and_alias_not_a_duplicate(setup) -> None:  # noqa: ANN001
    archive, doc, ids, rita, _ = setup
    first = review.accept(archive, rita, ids["person"][0])
    other = add_document(archive, "Lee Wei was freed.", title="Second", filename="b.txt", proposals=[])
    from attest.model.proposal import Proposal

    with archive.engine.begin() as conn:
        archive.proposals.insert_many(
            conn, other, [Proposal("person", "victim", 0, 7, "Lee Wei", {"name": "Lee Wei"})]
        )
    pid = archive.proposals.for_document(other)[0]["id"]
    [cand] = review.candidates(archive, rita, pid)
    assert cand["id"] == first.record_id and cand["score"] >= 75 and "Li Wei" in cand["why"]
    review.attach(archive, rita, pid, first.record_id)
    rec = record_service.get_record(archive, rita, "person", first.record_id)
    assert rec["aliases"] == ["Lee Wei"]
    page = record_service.record_page(archive, rita, "person", first.record_id)
    assert {m["document_id"] for m in page["mentions"]} == {doc, other}
    assert len(record_service.list_records(archive, rita, "person")) == 1


def test_incident_and_claim_link_to_entities(setup) -> None:  # noqa: ANN001
    archive, _doc, ids, rita, _ = setup
    person = review.accept(archive, rita, ids["person"][0]).record_id
    review.attach(archive, rita, ids["person"][1], person)
    incident = review.accept(archive, rita, ids["incident"][0]).record_id
    claim = review.accept(archive, rita, ids["claim"][0]).record_id
    with archive.engine.connect() as conn:
        links = {(r.from_type, r.role, r.to_type) for r in conn.execute(select(record_links))}
    assert ("incident", "victim", "person") in links
    assert ("claim", "mentions", "person") in links
    page = record_service.record_page(archive, rita, "person", person)
    [c] = page["claims"]
    assert c["record"]["id"] == claim
    assert [link["name"] for link in c["chains"][0]] == [
        "a local source",
        "China Aid",
        "Detentions in Xinjiang",
    ]
    assert any(x["kind"] == "incident" and x["record"]["id"] == incident for x in page["linked"])


def test_edit_checks_fields_and_vocabulary(setup) -> None:  # noqa: ANN001
    archive, _doc, ids, rita, _ = setup
    with pytest.raises(InvalidEdit, match="cannot edit"):
        review.accept(archive, rita, ids["person"][0], changes={"password": "x"})
    with pytest.raises(InvalidEdit, match="role 'hero' is not one of"):
        review.accept(archive, rita, ids["person"][0], changes={"role": "hero"})
    d = review.accept(archive, rita, ids["person"][0], changes={"name": "Li Wei (李伟)", "role": "witness"})
    rec = record_service.get_record(archive, rita, "person", d.record_id)
    assert (d.action, rec["name"], rec["category"]) == ("edit", "Li Wei (李伟)", "witness")
    # the failed edits left nothing behind
    with archive.engine.connect() as conn:
        assert len(conn.execute(select(record_mentions)).all()) == 1


def test_roles_and_levels(setup) -> None:  # noqa: ANN001
    archive, _doc, ids, rita, vic = setup
    with pytest.raises(PermissionDenied):
        review.accept(archive, vic, ids["person"][0])
    d = review.accept(archive, rita, ids["person"][0], notes="lives at 3 Kashgar Rd")
    mine = record_service.get_record(archive, rita, "person", d.record_id)
    assert mine["protected"]["notes"]["value"] == "lives at 3 Kashgar Rd"
    theirs = record_service.get_record(archive, vic, "person", d.record_id)
    assert theirs["protected"]["notes"]["value"] is None and theirs["withheld"] == ["notes"]
    hidden = review.accept(archive, rita, ids["place"][0], confidentiality="restricted")
    with pytest.raises(PermissionDenied, match="restricted"):
        record_service.get_record(archive, vic, "place", hidden.record_id)
    assert record_service.list_records(archive, vic, "place") == []
    assert record_service.record_page(archive, rita, "place", hidden.record_id)["viewer_view"] is None


def test_unknown_ids(setup) -> None:  # noqa: ANN001
    archive, _doc, _ids, rita, _ = setup
    with pytest.raises(UnknownRecord):
        review.accept(archive, rita, 9999)
    with pytest.raises(UnknownRecord):
        review.document_view(archive, rita, 9999)
    with pytest.raises(UnknownRecord):
        record_service.get_record(archive, rita, "person", 9999)
    with pytest.raises(UnknownRecord, match="no record kind"):
        record_service.get_record(archive, rita, "spaceship", 1)


def test_segments_nest_and_clip() -> None:
    text = "abcdefghij"
    props = [
        {"id": 1, "start": 0, "end": 6},
        {"id": 2, "start": 1, "end": 3},
        {"id": 3, "start": 5, "end": 9},  # crosses the end of 1: clipped at 6
    ]
    tree = review.segments(text, props)

    def flat(nodes):  # noqa: ANN001, ANN202
        return "".join(n["text"] if n["proposal"] is None else flat(n["children"]) for n in nodes)

    assert flat(tree) == text
    assert [n["proposal"]["id"] for n in tree[0]["children"] if n["proposal"]] == [2, 3]


def test_cli_review_commands(setup, cli, archive_path) -> None:  # noqa: ANN001
    archive, doc, ids, _rita, _ = setup
    a = ["--archive", archive_path]
    listed = cli(*a, "--json", "review", "list", "--document", doc)
    assert listed.code == 0 and '"kind": "claim"' in listed.out
    done = cli(*a, "review", "edit", ids["person"][0], "--set", "role=witness")
    assert done.code == 0 and "edit → person" in done.out
    assert cli(*a, "review", "attach", ids["person"][1], "1").code == 0
    bad = cli(*a, "review", "accept", ids["person"][0])
    assert bad.code != 0 and "already decided" in bad.err
    assert cli(*a, "review", "edit", ids["place"][0], "--set", "nonsense").code != 0
    assert cli(*a, "review", "reject", ids["amount"][0], "--reason", "no").code == 0
    inbox = cli(*a, "--json", "review", "list")
    assert '"in_review"' in inbox.out
