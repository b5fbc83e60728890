"""Browser helpers shared by the e2e tests: log in, take a screenshot."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.conftest import ROOT
from tests.e2e.support import PASSWORDS

SHOTS = ROOT / "docs" / "screenshots"


def login(page, url: str, name: str) -> None:  # noqa: ANN001
    page.goto(f"{url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/inbox")


def shot(page, name: str) -> None:  # noqa: ANN001
    """Screenshot a page: into docs/screenshots with ATTEST_SCREENSHOTS=1, else a temp folder."""
    keep = os.environ.get("ATTEST_SCREENSHOTS") == "1"
    folder = SHOTS if keep else Path(tempfile.gettempdir()) / "attest-shots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
    assert (folder / f"{name}.png").stat().st_size > 1000
