"""The Linkage page and /api/link: side-by-side pairs, CSRF, roles, paging, OpenAPI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from attest.archive import Archive
from attest.link.store import LinkStore
from attest.service import linkage
from tests.e2e.clients import api_login, client, page_login
from tests.e2e.support import add_users

LISTS = Path(__file__).parent / "fixtures" / "lists"


@pytest.fixture
def linked(archive: Archive) -> Archive:
    """Two lists and three candidate pairs stored by hand (the page, not Splink, is under test)."""
    add_users(archive)
    owner = archive.current_user()
    a = linkage.import_list(archive, owner, LISTS / "camp_list_a.csv").person_ids
    b = linkage.import_list(archive, owner, LISTS / "relatives_list_b.csv").person_ids
    pairs = [
        (a[1], b[1], 0.52, "name: same reading (x24) -> 0.52"),
        (a[0], b[0], 0.9, "x"),
        (a[4], b[4], 0.1, "y"),
    ]
    with archive.engine.begin() as conn:
        LinkStore().replace_candidates(
            conn, [{"a_id": x, "b_id": y, "probability": p, "evidence": e} for x, y, p, e in pairs], user="t"
        )
    return archive


def test_page_shows_pairs_side_by_side_and_judges_with_csrf(linked: Archive) -> None:
    c = client(linked)
    token = page_login(c, "rita")
    html = c.get("/linkage").text
    assert 'href="/linkage"' in html  # in the navigation
    cards = re.findall(r'<section class="card k-person st-proposed pair" id="p(\d+)"', html)
    assert cards == ["1", "2", "3"]  # 0.52 first, then 0.9 and 0.1 (ties by mentions, then id)
    first = html[html.index('id="p1"') : html.index('id="p2"')]
    assert "Gulnisa Memet" in first and "古丽尼沙·买买提" in first and "gulnisa memet" in first
    assert "p = 0.52" in first and "name: same reading (x24)" in first and "camp_list_a, row 3" in first
    assert 'value="same" class="same-btn"' in first and "<kbd>s</kbd>" in first
    no_token = c.post("/linkage/pairs/1/judge", data={"csrf": "wrong", "decision": "same"})
    assert no_token.status_code == 403
    done = c.post("/linkage/pairs/1/judge", data={"csrf": token, "decision": "same"}, follow_redirects=False)
    assert done.status_code == 303 and "merge%201" in done.headers["location"]
    html = c.get("/linkage").text
    assert 'id="p1"' not in html and "split-btn" in html
    split = c.post("/linkage/merges/1/split", data={"csrf": token}, follow_redirects=False)
    assert split.status_code == 303
    assert linkage.merges(linked, linked.current_user())[0]["split_by"] == "rita"


def test_viewer_sees_but_cannot_judge(linked: Archive) -> None:
    c = client(linked)
    token = page_login(c, "vic")
    html = c.get("/linkage").text
    assert "Gulnisa Memet" in html and "same-btn" not in html and "run-linkage" not in html
    r = c.post("/linkage/pairs/1/judge", data={"csrf": token, "decision": "same"})
    assert r.status_code == 403 and "may not review" in r.text


def test_api_queue_paging_judgements_and_history(linked: Archive) -> None:
    c = client(linked)
    assert c.get("/api/link/queue").status_code == 401
    api_login(c, "rita")
    page = c.get("/api/link/queue", params={"limit": 2}).json()
    assert [i["id"] for i in page["items"]] == [1, 2] and page["next_offset"] == 2 and page["total"] == 3
    assert page["items"][0]["a"]["scripts"] == ["Latn"] and page["items"][0]["b"]["scripts"] == ["Hani"]
    rest = c.get("/api/link/queue", params={"offset": 2, "limit": 2}).json()
    assert [i["id"] for i in rest["items"]] == [3] and rest["next_offset"] is None
    bad = c.post("/api/link/pairs/2/judgements", json={"decision": "maybe"})
    assert bad.status_code == 422
    no_csrf = c.post("/api/link/pairs/2/judgements", json={"decision": "same"}, headers={"X-CSRF-Token": "x"})
    assert no_csrf.status_code == 403
    first = c.post("/api/link/pairs/2/judgements", json={"decision": "unsure", "note": "ask"}).json()
    second = c.post("/api/link/pairs/2/judgements", json={"decision": "same"}).json()
    assert second["supersedes"] == first["judgement_id"] and second["merge_id"] == 1
    detail = c.get("/api/link/pairs/2").json()
    assert [h["decision"] for h in detail["history"]] == ["unsure", "same"]
    assert c.get("/api/link/clusters").json()["items"][0]["size"] == 2
    assert c.get("/api/link/labels").json()["items"][0]["decision"] == "same"
    split = c.post("/api/link/merges/1/split", json={"decision": "different"}).json()
    assert split["decision"] == "different" and split["split_merge_id"] == 1
    again = c.post("/api/link/merges/1/split", json={})
    assert again.status_code == 409 and "already split" in again.json()["detail"]
    assert c.get("/api/link/merges", params={"active": True}).json()["items"] == []
    assert c.get("/api/link/pairs/99").status_code == 404


def test_api_is_in_openapi(linked: Archive) -> None:
    paths = client(linked).get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/link/queue",
        "/api/link/pairs/{pair_id}/judgements",
        "/api/link/merges/{merge_id}/split",
    ):
        assert path in paths
    assert "403" in paths["/api/link/pairs/{pair_id}/judgements"]["post"]["responses"]
