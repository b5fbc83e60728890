"""Evidence integrity: re-hash every original and compare with its recorded SHA-256.

The hash recorded at ingest (with time and ingesting user) is what a court
or a partner is told; this check shows the stored bytes still match it. A
sealed original that fails AES-GCM authentication is reported the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from attest.archive import Archive
from attest.archive.schema import documents, originals
from attest.secure.crypto import TamperedData
from attest.secure.roles import require
from attest.secure.users import User


@dataclass
class OriginalProblem:
    document_id: int
    filename: str
    sha256: str
    problem: str


@dataclass
class IntegrityReport:
    checked: int
    problems: list[OriginalProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_originals(
    archive: Archive, *, actor: User | None = None, progress: Callable[[int], None] | None = None
) -> IntegrityReport:
    acting = actor or archive.current_user()
    require(acting, "read")
    problems: list[OriginalProblem] = []
    checked = 0
    query = (
        select(
            documents.c.id, documents.c.filename, documents.c.sha256, originals.c.content, originals.c.size
        )
        .outerjoin(originals, originals.c.sha256 == documents.c.sha256)
        .order_by(documents.c.id)
    )
    with archive.engine.connect() as conn:
        for row in conn.execute(query):
            checked += 1
            problem = _check(archive, row)
            if problem:
                problems.append(OriginalProblem(row.id, row.filename, row.sha256, problem))
            if progress:
                progress(checked)
    return IntegrityReport(checked, problems)


def _check(archive: Archive, row: object) -> str | None:
    if row.content is None:
        return "original is missing"
    try:
        data = archive.documents.open_original(row.sha256, row.content)
    except TamperedData:
        return "original fails authentication (altered)"
    actual = hashlib.sha256(data).hexdigest()
    if actual != row.sha256:
        return f"SHA-256 is now {actual}"
    if len(data) != row.size:
        return f"size is now {len(data)} bytes, recorded {row.size}"
    return None
