"""Schemathesis over the OpenAPI description: no 5xx, no response that breaks the schema.

Runs against the ASGI app in-process through schemathesis' Python API (one
Hypothesis run per operation), logged in as an analyst (every permission but
admin) with a fresh session per case, so logging out in one case does not
hide the rest of the API from the next. Both valid and invalid inputs are
generated: invalid ones must get a documented 4xx, never a 5xx.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from attest.archive import Archive
from attest.web.app import create_app
from tests.conftest import PASSPHRASE
from tests.e2e.support import add_document, add_users

# The operations, listed from the app's own description (no archive needed for that).
OPERATIONS = [
    r.ok().label
    for r in schemathesis.openapi.from_asgi("/api/openapi.json", create_app(None)).get_all_operations()
]


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("schema") / "archive"
    with Archive.create(path, PASSPHRASE) as archive:
        add_users(archive)
        add_document(archive)
        yield create_app(archive, secure_cookies=False, max_upload=64 * 1024)


@pytest.fixture(scope="module")
def operations(api_app) -> dict:  # noqa: ANN001
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api_app)
    return {r.ok().label: r.ok() for r in schema.get_all_operations()}


def test_every_operation_is_covered() -> None:
    assert len(OPERATIONS) >= 12
    assert all(label.split(" ")[1].startswith("/api/") for label in OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_conforms(label: str, mode: GenerationMode, api_app, operations) -> None:  # noqa: ANN001
    if label == "POST /api/documents" and mode is GenerationMode.NEGATIVE:
        pytest.skip("multipart parts are bytes on the wire: a 'number' file is still a file")
    operation = operations[label]
    sessions = api_app.state.attest.sessions

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case) -> None:  # noqa: ANN001
        session = sessions.create("ana")
        response = case.call(
            cookies={"attest_session": session.token}, headers={"X-CSRF-Token": session.csrf}
        )
        assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:300]}"
        case.validate_response(response)

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        pytest.skip(f"{label} takes no input that could be invalid")
