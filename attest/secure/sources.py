"""Sources: who gave the information, with their identity kept protected.

A source row holds what may be shared inside the team (kind, reliability
grade, anonymity, descriptive attributes such as place or occupation) at a
per-record confidentiality level; the identity and contacts go to the
protected-field store, sealed under a field key. Listing shows each reader
only the sources their role may see.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import BaseModel, Field
from sqlalchemy import Engine, insert, select

from attest.errors import UnknownRecord, UsageError
from attest.secure.audit import AuditLog
from attest.secure.fields import ProtectedFieldStore
from attest.secure.roles import LEVELS, can_read_level, check_level, require, require_level
from attest.secure.schema import sources
from attest.secure.users import User

KINDS = ("person", "organization")
GRADES = ("A", "B", "C", "D", "E", "F")
ANONYMITY = ("named", "pseudonymous", "anonymous")
RECORD_TYPE = "source"


class Source(BaseModel):
    id: int
    kind: str
    grade: str | None = None
    anonymity: str
    level: str
    attributes: dict = Field(default_factory=dict)
    protected: dict[str, str | None] = Field(default_factory=dict)


class SourceStore:
    """Reached as ``archive.sources``."""

    def __init__(
        self, engine: Engine, audit: AuditLog, protected: ProtectedFieldStore, current: Callable[[], User]
    ) -> None:
        self.engine = engine
        self.audit = audit
        self.protected = protected
        self._current = current

    def add(
        self,
        kind: str,
        *,
        grade: str | None = None,
        anonymity: str = "named",
        level: str = "restricted",
        attributes: dict | None = None,
        protected: dict[str, str] | None = None,
        protected_level: str = "confidential",
        actor: User | None = None,
    ) -> int:
        """A new source; ``protected`` values (name, contact, ...) are sealed at ``protected_level``."""
        acting = actor or self._current()
        require(acting, "write")
        _check_choice("kind", kind, KINDS)
        _check_choice("anonymity", anonymity, ANONYMITY)
        if grade is not None:
            _check_choice("grade", grade, GRADES)
        require_level(acting, check_level(level))
        if LEVELS.index(protected_level) < LEVELS.index(level):
            raise UsageError("protected fields cannot be less confidential than their record")
        _refuse_repeated_secrets(attributes or {}, protected or {})
        row = {"kind": kind, "grade": grade, "anonymity": anonymity, "level": level,
               "attributes": dict(attributes or {})}  # fmt: skip
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(sources).values(**row, created_at=datetime.now(UTC), created_by=acting.name)
            )
            source_id = int(result.inserted_primary_key[0])
            self.audit.append(
                conn,
                actor=acting.name,
                action="source.add",
                record_type=RECORD_TYPE,
                record_id=source_id,
                after=row,
            )
            for field, value in (protected or {}).items():
                self.protected.put(
                    RECORD_TYPE, source_id, field, value, protected_level, actor=acting, conn=conn
                )
        return source_id

    def get(self, source_id: int, *, actor: User | None = None, reveal: bool = False) -> Source:
        """One source the actor may see; protected values only when ``reveal`` (audited)."""
        acting = actor or self._current()
        require(acting, "read")
        with self.engine.connect() as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).first()
        # A source above the reader's level is reported as absent, not as forbidden:
        # even its existence is information.
        if row is None or not can_read_level(acting, row.level):
            raise UnknownRecord(f"no source with id {source_id}")
        return self._build(row, acting, reveal)

    def list(self, *, actor: User | None = None, reveal: bool = False) -> list[Source]:
        """Sources the actor's role may see, oldest first."""
        acting = actor or self._current()
        require(acting, "read")
        with self.engine.connect() as conn:
            rows = conn.execute(select(sources).order_by(sources.c.id)).all()
        visible = [r for r in rows if can_read_level(acting, r.level)]
        values = (
            self.protected.for_records(RECORD_TYPE, [r.id for r in visible], actor=acting) if reveal else {}
        )
        return [self._build(r, acting, False, values.get(str(r.id))) for r in visible]

    def _build(self, row: object, acting: User, reveal: bool, values: dict | None = None) -> Source:
        data = row._asdict()
        if values is None:
            if reveal:
                values = self.protected.for_record(RECORD_TYPE, row.id, actor=acting)
            else:
                values = {f.field: None for f in self.protected.fields(RECORD_TYPE, row.id)}
        return Source.model_validate({**data, "protected": values})


def _check_choice(what: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError(f"unknown source {what} {value!r}; choose from {', '.join(choices)}")


def _refuse_repeated_secrets(attributes: dict, protected: dict[str, str]) -> None:
    """A protected value copied into a shared attribute would undo its protection: refuse it."""
    for attr, value in attributes.items():
        text = str(value).casefold()
        for field, secret in protected.items():
            if secret and secret.strip() and secret.casefold() in text:
                raise UsageError(
                    f"attribute {attr!r} repeats the protected {field!r}; keep it out of attributes"
                )
