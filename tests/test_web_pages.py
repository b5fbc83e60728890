"""The pages without a browser: login CSRF, forms, paging, escaping, error pages."""

from __future__ import annotations

import re

import pytest

from attest.archive import Archive
from tests.e2e.clients import client, page_login
from tests.e2e.support import add_document, add_users, proposal_ids


@pytest.fixture
def app(archive: Archive):
    add_users(archive)
    doc = add_document(archive)
    return archive, doc, proposal_ids(archive, doc)


def test_pages_need_login(app) -> None:  # noqa: ANN001
    archive, doc, _ids = app
    c = client(archive)
    for path in ("/inbox", f"/documents/{doc}", "/search?q=x", "/records/person"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"


def test_login_form_needs_its_token(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    c = client(archive)
    c.get("/login")
    r = c.post("/login", data={"name": "rita", "password": "rita-reviews-2024", "csrf": "forged"})
    assert r.status_code == 403 and "expired" in r.text


def test_review_form_flow(app) -> None:  # noqa: ANN001
    archive, doc, ids = app
    c = client(archive)
    csrf = page_login(c, "rita")
    html = c.get(f"/documents/{doc}").text
    assert html.count("<mark") == 8 and "Mark document reviewed" in html
    r = c.post(f"/proposals/{ids['claim'][0]}/accept", data={"document_id": doc}, follow_redirects=False)
    assert r.status_code == 403  # no CSRF token
    r = c.post(
        f"/proposals/{ids['person'][0]}/accept",
        data={
            "csrf": csrf,
            "document_id": doc,
            "orig_name": "Li Wei",
            "f_name": "Li Wei",
            "orig_role": "victim",
            "f_role": "witness",
            "confidentiality": "public",
            "notes": "n",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/documents/{doc}#p{ids['person'][0]}"
    rec = c.get("/records/person/1").text
    assert "witness" in rec and "Detentions in Xinjiang" in rec
    r = c.post(
        f"/proposals/{ids['amount'][0]}/reject",
        data={"csrf": csrf, "document_id": doc, "reason": "no"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = c.post(f"/proposals/{ids['amount'][0]}/reject", data={"csrf": csrf, "document_id": doc})
    assert r.status_code == 409 and "already decided" in r.text
    html = c.get(f"/documents/{doc}").text
    assert "reject by rita" in html and "accept by rita" not in html and "edit by rita" in html


def test_viewer_sees_no_review_controls(app) -> None:  # noqa: ANN001
    archive, doc, _ids = app
    c = client(archive)
    page_login(c, "vic")
    html = c.get(f"/documents/{doc}").text
    assert "accept-btn" not in html and "Mark document reviewed" not in html
    assert 'id="upload-files"' not in c.get("/inbox").text


def test_inbox_pages_by_keyset(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    for i in range(60):
        add_document(
            archive,
            f"Report number {i} about detentions.",
            title=f"Report {i}",
            filename=f"r{i}.txt",
            proposals=[],
        )
    c = client(archive)
    page_login(c, "rita")
    first = c.get("/inbox").text
    assert "Report 59" in first and "Report 9<" not in first
    older = re.search(r'href="(/inbox\?before=\d+)"', first).group(1)
    second = c.get(older).text
    assert "Report 9<" in second and "Report 59" not in second
    assert "Detentions in Xinjiang" in second


def test_text_is_escaped(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    evil = add_document(
        archive,
        "<script>alert(1)</script> detained [[x]]",
        title="<img src=x onerror=alert(1)>",
        filename="evil.txt",
        proposals=[],
    )
    c = client(archive)
    page_login(c, "rita")
    for path in (f"/documents/{evil}", "/inbox", "/search?q=detained"):
        html = c.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path


def test_error_pages_not_tracebacks(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    c = client(archive)
    page_login(c, "rita")
    r = c.get("/documents/424242")
    assert r.status_code == 404 and "no document with id 424242" in r.text and "Traceback" not in r.text
    r = c.get("/records/spaceship/1")
    assert r.status_code == 404 and "no record kind" in r.text
    r = c.get("/documents/abc")
    assert r.status_code == 422


def test_security_headers(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    r = client(archive).get("/login")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_static_assets_are_local(app) -> None:  # noqa: ANN001
    archive, _doc, _ids = app
    c = client(archive)
    html = c.get("/login").text
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert c.get("/static/app.js").status_code == 200 and c.get("/static/app.css").status_code == 200
