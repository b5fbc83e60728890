"""The tamper-evident audit log: a hash chain over every write and protected read.

Each event's hash covers its own fields and the previous event's hash, so
editing, deleting or reordering any event breaks the chain from that point on.
Truncating the tail or rewriting the whole chain is caught by a signed anchor
(``attest.secure.anchor``) held outside the archive.

Events never hold values, only SHA-256 digests of the canonical JSON of the
record before and after: the log is safe to show to any auditor. Callers that
write protected values pass the *ciphertext* digest, which (with a random
nonce) cannot be confirmed by guessing the plaintext.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, func, insert, select

from attest.secure.schema import audit_events

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor",
    "action",
    "record_type",
    "record_id",
    "before_hash",
    "after_hash",
    "prev_hash",
)


def canonical(obj: object) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def digest(obj: object) -> str | None:
    """SHA-256 of the canonical JSON of ``obj``; None stays None (no record)."""
    return None if obj is None else hashlib.sha256(canonical(obj)).hexdigest()


def event_hash(fields: dict) -> str:
    return hashlib.sha256(canonical({k: fields[k] for k in HASHED_FIELDS})).hexdigest()


class AuditEvent(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    record_type: str
    record_id: str | None = None
    before_hash: str | None = None
    after_hash: str | None = None
    prev_hash: str
    hash: str


@dataclass
class ChainCheck:
    """The result of recomputing the chain; ``broken_seq`` names the first bad event."""

    count: int
    head: str
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


class AuditLog:
    """Append and verify the chain; reached as ``archive.audit``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def append(
        self,
        conn: Connection,
        *,
        actor: str,
        action: str,
        record_type: str,
        record_id: str | int | None,
        before: object = None,
        after: object = None,
    ) -> None:
        """Add one event inside the caller's transaction (it commits or rolls back with the write).

        Two writers racing for the same sequence number collide on the primary
        key, so one transaction fails rather than forking the chain.
        """
        last = conn.execute(
            select(audit_events.c.seq, audit_events.c.hash).order_by(audit_events.c.seq.desc()).limit(1)
        ).first()
        fields = {
            "seq": (last.seq + 1) if last else 1,
            "at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "record_type": record_type,
            "record_id": None if record_id is None else str(record_id),
            "before_hash": digest(before),
            "after_hash": digest(after),
            "prev_hash": last.hash if last else GENESIS,
        }
        conn.execute(insert(audit_events).values(**fields, hash=event_hash(fields)))

    def events(self, *, after_seq: int = 0, limit: int | None = None) -> Iterator[AuditEvent]:
        """Events in chain order (stored order: seq), streamed."""
        query = select(audit_events).where(audit_events.c.seq > after_seq).order_by(audit_events.c.seq)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield AuditEvent.model_validate(row._asdict())

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(audit_events)).scalar_one()

    def head(self) -> tuple[int, str]:
        """(count, hash of the last event); (0, GENESIS) for an empty log."""
        with self.engine.connect() as conn:
            last = conn.execute(
                select(audit_events.c.seq, audit_events.c.hash).order_by(audit_events.c.seq.desc()).limit(1)
            ).first()
        return (last.seq, last.hash) if last else (0, GENESIS)

    def hash_at(self, seq: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(audit_events.c.hash).where(audit_events.c.seq == seq)).scalar()

    def verify(self) -> ChainCheck:
        """Recompute every hash and link; stop at the first broken event."""
        return verify_chain(self.events())


def verify_chain(events: Iterator[AuditEvent] | list[AuditEvent]) -> ChainCheck:
    """Check sequence numbers, links and hashes of events given in stored order."""
    prev, count = GENESIS, 0
    for ev in events:
        expected_seq = count + 1
        if ev.seq != expected_seq:
            what = "missing" if ev.seq > expected_seq else "out of order"
            return ChainCheck(
                count, prev, expected_seq, f"event {expected_seq} is {what} (found {ev.seq} next)"
            )
        if ev.prev_hash != prev:
            return ChainCheck(count, prev, ev.seq, "does not link to the event before it")
        if event_hash(ev.model_dump()) != ev.hash:
            return ChainCheck(count, prev, ev.seq, "its contents do not match its hash (edited)")
        prev, count = ev.hash, count + 1
    return ChainCheck(count, prev)
