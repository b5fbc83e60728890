"""Protected fields: values about people that only some roles can read.

A source's identity and contacts, a witness's name, a victim who did not
consent to publication: any layer stores such a value here, against its own
record (``record_type``, ``record_id``, ``field``), at a confidentiality level.
The value is sealed with AES-256-GCM under that level's field key, which only
the key slots of roles allowed to read the level hold; so the role check in
this store is backed by cryptography, not only by code.

Every write and every read that returns a value appends an audit event in
the same transaction. Events hold the digest of the *ciphertext*, never of
the value, so the log cannot be used to confirm a guessed name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, delete, insert, select, update

from attest.errors import UnknownRecord, UsageError
from attest.secure.audit import AuditLog
from attest.secure.crypto import seal, unseal
from attest.secure.keys import SessionKeys
from attest.secure.roles import can_read_level, check_level, require, require_level
from attest.secure.schema import protected_fields
from attest.secure.users import User

WITHHELD = None  # what a reader gets for a field above their level


class FieldInfo(BaseModel):
    """That a protected field exists and its level; never its value."""

    record_type: str
    record_id: str
    field: str
    level: str


def _context(record_type: str, record_id: str, field: str, level: str) -> str:
    return f"protected|{record_type}|{record_id}|{field}|{level}"


def _fingerprint(row: object | None) -> dict | None:
    if row is None:
        return None
    return {
        "field": row.field,
        "level": row.level,
        "ciphertext_sha256": hashlib.sha256(row.ciphertext).hexdigest(),
    }


class ProtectedFieldStore:
    """Sealed values by record and field; reached as ``archive.protected``."""

    def __init__(
        self, engine: Engine, audit: AuditLog, keys: SessionKeys, current: Callable[[], User]
    ) -> None:
        self.engine = engine
        self.audit = audit
        self.keys = keys
        self._current = current

    @contextmanager
    def _transaction(self, conn: Connection | None):  # noqa: ANN202
        if conn is not None:
            yield conn
        else:
            with self.engine.begin() as own:
                yield own

    def _where(self, record_type: str, record_id: str | int, field: str | None = None):  # noqa: ANN202
        clause = (protected_fields.c.record_type == record_type) & (
            protected_fields.c.record_id == str(record_id)
        )
        return clause if field is None else clause & (protected_fields.c.field == field)

    # -- writes --------------------------------------------------------------
    def put(
        self,
        record_type: str,
        record_id: str | int,
        field: str,
        value: str,
        level: str = "confidential",
        *,
        actor: User | None = None,
        conn: Connection | None = None,
    ) -> None:
        """Store (or replace) a value; the writer must be allowed to read its level."""
        acting = actor or self._current()
        require(acting, "write")
        if check_level(level) == "public":
            raise UsageError("a public value needs no protection: keep it in its record")
        require_level(acting, level)
        rid = str(record_id)
        blob = seal(self.keys.get(level), value.encode("utf-8"), _context(record_type, rid, field, level))
        now = datetime.now(UTC)
        with self._transaction(conn) as c:
            before = c.execute(select(protected_fields).where(self._where(record_type, rid, field))).first()
            values = {"level": level, "ciphertext": blob, "updated_at": now, "updated_by": acting.name}
            if before is None:
                c.execute(
                    insert(protected_fields).values(
                        record_type=record_type, record_id=rid, field=field, **values
                    )
                )
            else:
                c.execute(update(protected_fields).where(protected_fields.c.id == before.id).values(**values))
            after = c.execute(select(protected_fields).where(self._where(record_type, rid, field))).first()
            self.audit.append(
                c,
                actor=acting.name,
                action="protected.write",
                record_type=record_type,
                record_id=rid,
                before=_fingerprint(before),
                after=_fingerprint(after),
            )

    def delete(
        self,
        record_type: str,
        record_id: str | int,
        field: str | None = None,
        *,
        actor: User | None = None,
        conn: Connection | None = None,
    ) -> int:
        """Remove one field, or every protected field of the record; returns how many."""
        acting = actor or self._current()
        require(acting, "write")
        with self._transaction(conn) as c:
            rows = c.execute(select(protected_fields).where(self._where(record_type, record_id, field))).all()
            for row in rows:
                require_level(acting, row.level)
            c.execute(delete(protected_fields).where(self._where(record_type, record_id, field)))
            for row in rows:
                self.audit.append(
                    c,
                    actor=acting.name,
                    action="protected.delete",
                    record_type=record_type,
                    record_id=str(record_id),
                    before=_fingerprint(row),
                )
        return len(rows)

    def reseal(
        self,
        conn: Connection,
        old: dict[str, bytes],
        new: dict[str, bytes],
        progress: Callable[[int, int], None] | None = None,
    ) -> tuple[int, str]:
        """Re-seal every value of the levels in ``new`` from its old key to its new one, in ``conn``.

        For field-key rotation (``accounts.rotate_field_keys``): one transaction,
        so an interruption leaves every value under the old key. Returns how
        many values and a digest of the new ciphertexts (for the audit event).
        """
        rows = conn.execute(
            select(protected_fields)
            .where(protected_fields.c.level.in_(sorted(new)))
            .order_by(protected_fields.c.id)
        ).all()
        combined = hashlib.sha256()
        for done, row in enumerate(rows, 1):
            context = _context(row.record_type, row.record_id, row.field, row.level)
            blob = seal(new[row.level], unseal(old[row.level], row.ciphertext, context), context)
            conn.execute(
                update(protected_fields).where(protected_fields.c.id == row.id).values(ciphertext=blob)
            )
            combined.update(hashlib.sha256(blob).digest())
            if progress is not None:
                progress(done, len(rows))
        return len(rows), combined.hexdigest()

    # -- reads ---------------------------------------------------------------
    def fields(self, record_type: str, record_id: str | int) -> list[FieldInfo]:
        """Which protected fields a record has and their levels (no values, not audited)."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(protected_fields)
                .where(self._where(record_type, record_id))
                .order_by(protected_fields.c.field)
            )
            return [FieldInfo.model_validate(r._asdict()) for r in rows]

    def get(self, record_type: str, record_id: str | int, field: str, *, actor: User | None = None) -> str:
        """One value, if the actor's role may read its level; audited."""
        acting = actor or self._current()
        with self.engine.begin() as c:
            row = c.execute(
                select(protected_fields).where(self._where(record_type, record_id, field))
            ).first()
            if row is None:
                raise UnknownRecord(f"no protected field {field!r} on {record_type} {record_id}")
            require_level(acting, row.level)
            value = self._open(row)
            self._log_read(c, acting, record_type, str(record_id), [row])
        return value

    def for_record(
        self, record_type: str, record_id: str | int, *, actor: User | None = None
    ) -> dict[str, str | None]:
        """All protected fields of a record: values the actor may read, None for the rest."""
        return self.for_records(record_type, [record_id], actor=actor).get(str(record_id), {})

    def infos(
        self, record_type: str, record_ids: list[str | int], *, fields: set[str] | None = None
    ) -> dict[str, dict[str, str]]:
        """{record id: {field: level}} for many records (no values, not audited)."""
        out: dict[str, dict[str, str]] = {}
        with self.engine.connect() as c:
            for row in c.execute(self._many(record_type, record_ids, fields)):
                out.setdefault(row.record_id, {})[row.field] = row.level
        return out

    def _many(self, record_type: str, record_ids: list[str | int], fields: set[str] | None):  # noqa: ANN202
        query = select(protected_fields).where(
            (protected_fields.c.record_type == record_type)
            & protected_fields.c.record_id.in_([str(i) for i in record_ids])
        )
        return query if fields is None else query.where(protected_fields.c.field.in_(sorted(fields)))

    def for_records(
        self,
        record_type: str,
        record_ids: list[str | int],
        *,
        actor: User | None = None,
        fields: set[str] | None = None,
    ) -> dict[str, dict[str, str | None]]:
        """Protected fields of many records (one query, one audit event per record that revealed a value)."""
        acting = actor or self._current()
        ids = [str(i) for i in record_ids]
        out: dict[str, dict[str, str | None]] = {i: {} for i in ids}
        if not ids:
            return out
        with self.engine.begin() as c:
            rows = c.execute(self._many(record_type, ids, fields)).all()
            revealed: dict[str, list] = {}
            for row in rows:
                if can_read_level(acting, row.level) and self.keys.has(row.level):
                    out[row.record_id][row.field] = self._open(row)
                    revealed.setdefault(row.record_id, []).append(row)
                else:
                    out[row.record_id][row.field] = WITHHELD
            for rid, read_rows in revealed.items():
                self._log_read(c, acting, record_type, rid, read_rows)
        return out

    def values_for_redaction(self, *, actor: User | None = None) -> list[tuple[str, str]]:
        """(value, level) of every protected value the actor can read, so an export can scrub them.

        One audit event records the scan (how many values), not one per record.
        """
        acting = actor or self._current()
        values = []
        with self.engine.begin() as c:
            rows = c.execute(select(protected_fields)).all()
            for row in rows:
                if can_read_level(acting, row.level) and self.keys.has(row.level):
                    values.append((self._open(row), row.level))
            self.audit.append(
                c,
                actor=acting.name,
                action="protected.scan",
                record_type="protected_fields",
                record_id=None,
                after={"purpose": "redaction", "values": len(values), "of": len(rows)},
            )
        return values

    def _open(self, row: object) -> str:
        key = self.keys.get(row.level)
        context = _context(row.record_type, row.record_id, row.field, row.level)
        return unseal(key, row.ciphertext, context).decode("utf-8")

    def _log_read(self, conn: Connection, acting: User, record_type: str, record_id: str, rows: list) -> None:
        self.audit.append(
            conn,
            actor=acting.name,
            action="protected.read",
            record_type=record_type,
            record_id=record_id,
            after=sorted((_fingerprint(r) for r in rows), key=lambda f: f["field"]),
        )
