"""The HTTP API: sessions, CSRF, roles, paging, uploads and clear 4xx errors."""

from __future__ import annotations

import pytest

from attest.archive import Archive
from tests.e2e.clients import api_login, client
from tests.e2e.support import add_document, add_users, proposal_ids


@pytest.fixture
def app(archive: Archive):
    add_users(archive)
    doc = add_document(archive)
    return archive, doc, proposal_ids(archive, doc)


def test_login_required_and_lockout(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    c = client(archive)
    assert c.get("/api/documents").status_code == 401
    for _ in range(5):
        r = c.post("/api/session", json={"name": "rita", "password": "guess"})
        assert r.status_code == 401 and r.json()["detail"] == "unknown user or wrong password"
    r = c.post("/api/session", json={"name": "rita", "password": "rita-reviews-2024"})
    assert r.status_code == 429 and "too many failed logins" in r.json()["detail"]
    actions = [e.action for e in archive.audit.events()]
    assert actions.count("auth.login_failed") == 5


def test_session_cookie_flags(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    c = client(archive)
    r = c.post("/api/session", json={"name": "rita", "password": "rita-reviews-2024"})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_review_through_api(app) -> None:  # noqa: ANN001
    archive, doc, ids = app
    c = client(archive)
    api_login(c, "rita")
    page = c.get("/api/documents").json()
    assert page["items"][0]["pending"] == 8 and page["counts"] == {"new": 1}
    no_csrf = c.post(f"/api/proposals/{ids['claim'][0]}/accept", json={}, headers={"X-CSRF-Token": "nope"})
    assert no_csrf.status_code == 403 and "CSRF" in no_csrf.json()["detail"]
    r = c.post(f"/api/proposals/{ids['claim'][0]}/accept", json={"changes": {"cue": "told"}})
    assert r.status_code == 200 and r.json()["record_type"] == "claim"
    again = c.post(f"/api/proposals/{ids['claim'][0]}/accept", json={})
    assert again.status_code == 409
    person = c.post(f"/api/proposals/{ids['person'][0]}/accept", json={"notes": "secret"}).json()
    cands = c.get(f"/api/proposals/{ids['person'][1]}/candidates").json()
    assert cands[0]["id"] == person["record_id"]
    r = c.post(f"/api/proposals/{ids['person'][1]}/attach", json={"record_id": person["record_id"]})
    assert r.json()["action"] == "attach"
    detail = c.get(f"/api/records/person/{person['record_id']}").json()
    assert len(detail["mentions"]) == 2 and detail["record"]["protected"]["notes"]["value"] == "secret"
    assert detail["viewer_view"]["withheld"] == ["notes"]
    props = c.get(f"/api/documents/{doc}/proposals", params={"limit": 3}).json()
    assert len(props["items"]) == 3 and props["next_offset"] == 3
    found = c.get("/api/search", params={"q": "Li Wei"}).json()
    assert found["documents"][0]["id"] == doc
    assert any(r["kind"] == "person" for r in found["records"])


def test_viewer_is_refused_and_sees_no_restricted_value(app) -> None:  # noqa: ANN001
    archive, _doc, ids = app
    rita, vic = client(archive), client(archive)
    api_login(rita, "rita")
    api_login(vic, "vic")
    r = vic.post(f"/api/proposals/{ids['person'][0]}/accept", json={})
    assert r.status_code == 403 and "may not review" in r.json()["detail"]
    rec = rita.post(f"/api/proposals/{ids['person'][0]}/accept", json={"notes": "home address"}).json()
    seen = vic.get(f"/api/records/person/{rec['record_id']}").json()["record"]
    assert seen["protected"]["notes"] == {"level": "restricted", "value": None}
    assert "home address" not in vic.get(f"/api/records/person/{rec['record_id']}").text
    up = vic.post("/api/documents", files=[("files", ("a.txt", b"hello", "text/plain"))])
    assert up.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("get", "/api/documents/999", None, 404, "no document with id 999"),
        ("get", "/api/records/person/999", None, 404, "no person record"),
        ("get", "/api/records/spaceship/1", None, 422, "invalid request"),
        ("post", "/api/proposals/999/accept", {}, 404, "no proposal with id 999"),
        ("post", "/api/proposals/1/accept", {"confidentiality": "secret"}, 422, "confidentiality"),
        ("post", "/api/proposals/1/accept", {"changes": {"role": "hero"}}, 422, "not one of"),
        ("post", "/api/proposals/1/accept", {"bogus": 1}, 422, "bogus"),
        ("post", "/api/proposals/4/attach", {"record_id": 1}, 422, "cannot be attached"),
        ("get", "/api/documents?limit=100000", None, 422, "limit"),
        ("get", "/api/nothing-here", None, 404, "no page or endpoint"),
    ],
)
def test_bad_requests_are_clear_4xx(app, method, path, body, status, words) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    c = client(archive)
    api_login(c, "rita")
    r = c.request(method.upper(), path, json=body)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]
    assert "Traceback" not in r.text


def test_malformed_json_is_422(app) -> None:  # noqa: ANN001
    archive, _doc, ids = app
    c = client(archive)
    api_login(c, "rita")
    r = c.post(
        f"/api/proposals/{ids['person'][0]}/accept",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["detail"].startswith("invalid request")


def test_upload_results_and_limits(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    c = client(archive, max_upload=1000)
    api_login(c, "ana")
    before = archive.documents.count()
    too_big = c.post("/api/documents", files=[("files", ("big.txt", b"x" * 5000, "text/plain"))])
    assert too_big.status_code == 413 and "too large" in too_big.json()["detail"]
    r = c.post(
        "/api/documents",
        files=[("files", ("a.pdf", b"%PDF-1.4", "application/pdf")), ("files", ("e.txt", b"", "text/plain"))],
    )
    assert r.status_code == 200
    body = r.json()
    assert body["failed"] == 2 and body["added"] == 0
    messages = {x["name"]: x["message"] for x in body["results"]}
    assert "unsupported file type" in messages["a.pdf"] and messages["e.txt"] == "empty file"
    assert archive.documents.count() == before
