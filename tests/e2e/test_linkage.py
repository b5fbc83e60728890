"""The Linkage page in headless Chromium: import two lists, run linkage, judge a pair by key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from attest.archive import Archive
from attest.service import linkage
from tests.conftest import PASSPHRASE
from tests.e2e.browsing import login, shot
from tests.e2e.server import CHROMIUM, running
from tests.e2e.support import add_users

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is absent (scripts/install-browser.sh)"
    ),
]
LISTS = Path(__file__).resolve().parent.parent / "fixtures" / "lists"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Archive, str]]:
    with Archive.create(tmp_path / "archive", PASSPHRASE) as archive:
        add_users(archive)
        ana = archive.users.get("ana")
        linkage.import_list(archive, ana, LISTS / "camp_list_a.csv")
        linkage.import_list(archive, ana, LISTS / "relatives_list_b.csv")
        with running(archive) as url:
            yield archive, url


def test_run_linkage_and_judge_a_pair_by_key(served: tuple[Archive, str], browser) -> None:  # noqa: ANN001
    archive, url = served
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, url, "rita")
    page.click("nav >> text=Linkage")
    assert page.locator(".pair").count() == 0
    page.click("#run-linkage")
    page.wait_for_selector(".pair", timeout=60_000)
    assert "candidate pairs" in page.inner_text("#message")
    total = int(page.inner_text("#queue-total"))
    first = page.locator(".pair").first
    pair_id = int(first.get_attribute("data-p"))
    names = first.locator(".pname").all_inner_texts()
    assert len(names) == 2 and any(ord(ch) > 0x2E80 for ch in "".join(names))  # a name in Chinese script
    shot(page, "linkage")
    # the first pair is selected on load; "s" judges it the same person
    page.keyboard.press("s")
    page.wait_for_selector("#message >> text=merge")
    assert int(page.inner_text("#queue-total")) == total - 1
    assert page.locator(f"#p{pair_id}").count() == 0
    assert page.locator("#merge-list tr.active").count() == 1
    labels = linkage.labels(archive, archive.current_user())
    assert [(lab["pair_id"], lab["decision"], lab["judged_by"]) for lab in labels] == [
        (pair_id, "same", "rita")
    ]
    assert not errors
