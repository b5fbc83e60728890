"""The workbench in a real headless Chromium: the reviewer's day, end to end.

Log in, upload a sample report and a bad file, review (accept a claim and an
incident, attach a person to an existing record, reject with a key), search,
and check as a viewer that a restricted field stays hidden. Screenshots of the
main pages land in docs/screenshots/ for docs/web.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from attest.archive import Archive
from attest.service import review
from tests.conftest import PASSPHRASE, SAMPLES, SEED_TEXT
from tests.e2e.browsing import login, shot
from tests.e2e.server import CHROMIUM, running
from tests.e2e.support import add_document, add_users

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent (scripts/install-browser.sh)"
    ),
]
SAMPLE = SAMPLES / "testimony_relative.txt"
SECRET_NOTE = "Family asked that his address never be published"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Archive, str]]:
    with Archive.create(tmp_path / "archive", PASSPHRASE) as archive:
        add_users(archive)
        with running(archive) as url:
            yield archive, url


def card(page, kind: str, status: str = "proposed"):  # noqa: ANN001, ANN201
    return page.locator(f".card[data-kind={kind}].st-{status}").first


def test_reviewer_day(served: tuple[Archive, str], browser, tmp_path: Path) -> None:  # noqa: ANN001
    archive, url = served
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # log in: a wrong password is refused, the right one opens the inbox
    page.goto(f"{url}/login")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert "unknown user or wrong password" in page.locator(".flash").inner_text()
    shot(page, "login")
    login(page, url, "ana")
    cookie = next(c for c in page.context.cookies() if c["name"] == "attest_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    # upload a sample report, the seed (when present) and a bad file: per-file results
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    files = [str(SAMPLE), str(bad)] + ([str(SEED_TEXT)] if SEED_TEXT.exists() else [])
    page.set_input_files("#upload-files", files)
    page.click("form.upload button[type=submit]")
    results = page.locator("#upload-results")
    results.wait_for()
    assert "added" in results.locator("tr", has_text=SAMPLE.name).inner_text()
    failed = results.locator("tr", has_text="scan.pdf").inner_text()
    assert "failed" in failed and "unsupported file type" in failed
    shot(page, "inbox")

    # an earlier document already holds a record of the person this report names
    doc_id = next(
        d["id"] for d in review.inbox(archive, archive.current_user()).items if d["filename"] == SAMPLE.name
    )
    person = next(p for p in archive.proposals.for_document(doc_id) if p["kind"] == "person")
    name = review.proposal_name(person)
    earlier = add_document(
        archive,
        f"{name} was detained in Kashgar.",
        title="Earlier report",
        filename="earlier.txt",
        proposals=[],
    )
    from attest.model.proposal import Proposal

    with archive.engine.begin() as conn:
        archive.proposals.insert_many(
            conn,
            earlier,
            [Proposal("person", "victim", 0, len(name), name, {"name": name, "role": "victim"})],
        )
    existing = review.accept(
        archive, archive.users.get("ana"), archive.proposals.for_document(earlier)[0]["id"]
    )

    # review: the text is highlighted, each proposal has a card
    page.goto(f"{url}/documents/{doc_id}")
    assert page.locator("#doc-text mark").count() > 5
    shot(page, "review")

    claim = card(page, "claim")
    claim_id = claim.get_attribute("data-p")
    claim.locator("button.accept-btn").click()
    page.wait_for_load_state()
    assert "accept by ana" in page.locator(f"#p{claim_id} .decided").inner_text()

    incident = card(page, "incident")
    incident_id = incident.get_attribute("data-p")
    incident.locator("button.accept-btn").click()
    page.wait_for_load_state()
    assert "→ incident" in page.locator(f"#p{incident_id} .decided").inner_text()

    # one click attaches the person to the existing record instead of a duplicate
    target = page.locator(f"#p{person['id']}")
    target.locator("button.candidate").first.click()
    page.wait_for_load_state()
    assert page.locator(f"#p{person['id']}.st-attached").count() == 1
    persons = archive.proposals.for_document(doc_id)
    assert any(p["id"] == person["id"] and p["status"] == "attached" for p in persons)

    # a person accepted with a restricted note
    other = card(page, "person")
    if other.count():
        other.locator("summary").click()
        other.locator("textarea[name=notes]").fill(SECRET_NOTE)
        other.locator("button.accept-btn").click()
        page.wait_for_load_state()
    else:  # the report named one person only: note goes on a place instead
        other = card(page, "place")
        other.locator("summary").click()
        other.locator("textarea[name=notes]").fill(SECRET_NOTE)
        other.locator("button.accept-btn").click()
        page.wait_for_load_state()

    # keyboard: j selects the next pending proposal, r rejects it
    pending_before = page.locator(".card.st-proposed").count()
    page.keyboard.press("j")
    selected = page.locator(".card.current").get_attribute("data-p")
    page.keyboard.press("r")
    page.wait_for_selector(f"#p{selected}.st-rejected")
    assert page.locator(".card.st-proposed").count() == pending_before - 1

    # the record page: both documents, the claim's attribution chain
    page.goto(f"{url}/records/person/{existing.record_id}")
    mentions = page.locator("#rec-mentions").inner_text()
    assert "Earlier report" in mentions and name in mentions
    shot(page, "record")

    # search finds the person record and the document
    page.fill("#global-search", name)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search\?q=.*"))
    assert name in page.locator("#record-hits").inner_text()
    assert page.locator("#document-hits li").count() >= 1
    shot(page, "search")

    # the record with the restricted note: the reviewer sees it, a viewer does not
    noted = _record_with_note(archive)
    page.goto(f"{url}/records/{noted[0]}/{noted[1]}")
    assert SECRET_NOTE in page.locator("#rec-fields").inner_text()
    assert SECRET_NOTE not in page.locator("#viewer-view").inner_text()
    page.click("header form button")  # log out
    page.wait_for_url(f"{url}/login")
    login(page, url, "vic")
    page.goto(f"{url}/records/{noted[0]}/{noted[1]}")
    body = page.locator("body").inner_text()
    assert SECRET_NOTE not in body
    assert "withheld" in page.locator("#rec-fields tr[data-field=notes]").inner_text()
    # and a viewer has no review buttons nor upload form
    page.goto(f"{url}/documents/{doc_id}")
    assert page.locator("button.accept-btn").count() == 0
    page.goto(f"{url}/inbox")
    assert page.locator("#upload-files").count() == 0
    assert not errors, errors


def _record_with_note(archive: Archive) -> tuple[str, int]:
    from sqlalchemy import select

    from attest.secure.schema import protected_fields

    with archive.engine.connect() as conn:
        row = conn.execute(
            select(protected_fields.c.record_type, protected_fields.c.record_id).where(
                protected_fields.c.field == "notes"
            )
        ).first()
    assert row is not None, "no record got a note"
    return row.record_type, int(row.record_id)
