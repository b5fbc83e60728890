"""In-process clients of the workbench app (no server, no browser) for API and page tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from attest.archive import Archive
from attest.web.app import create_app
from tests.e2e.support import PASSWORDS


def client(archive: Archive, **kw: object) -> TestClient:
    return TestClient(create_app(archive, secure_cookies=False, **kw), raise_server_exceptions=False)


def api_login(c: TestClient, name: str) -> str:
    """Log in through the API; returns the CSRF token and sets it as the default header."""
    r = c.post("/api/session", json={"name": name, "password": PASSWORDS[name]})
    assert r.status_code == 200, r.text
    token = r.json()["csrf_token"]
    c.headers["X-CSRF-Token"] = token
    return token


def page_login(c: TestClient, name: str) -> str:
    """Log in through the login page; returns the session's CSRF token from the inbox page."""
    form = c.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    r = c.post(
        "/login", data={"name": name, "password": PASSWORDS[name], "csrf": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return re.search(r'name="csrf" value="([^"]+)"', c.get("/inbox").text).group(1)
