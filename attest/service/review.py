"""Review: a person turns machine proposals into records, or rejects them.

This is the only path from a proposal to a fact, and the web pages, the HTTP
API and the CLI all call it, so the rules live here once: who may review
(role ``review``), that a proposal is decided once, that every decision is
written with its record, its provenance (the document span) and an audit
event in one transaction, and that the document's status follows its
proposals (new → in_review → reviewed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils
from sqlalchemy import Connection, func, select, update

from attest.archive import Archive
from attest.archive.records import CONFIDENTIALITY, KIND_TABLES, RecordStore
from attest.archive.schema import documents, proposals
from attest.archive.search import index_record
from attest.errors import AttestError, UnknownRecord
from attest.model.vocabularies import vocabularies
from attest.secure.roles import require
from attest.secure.users import User

DOC_STATUSES = ("new", "in_review", "reviewed")
ENTITY_KINDS = ("person", "organization", "place", "facility", "group")
ATTACHABLE = ENTITY_KINDS
VOCABULARIES = vocabularies()
MAX_FIELD = 2000
NOTES_LEVEL = "restricted"
records = RecordStore()


class ReviewConflict(AttestError):
    """The proposal was already decided (by someone else, or in another tab)."""


class InvalidEdit(AttestError):
    """An edit that would store a malformed record (unknown field, value off the vocabulary)."""


@dataclass
class InboxPage:
    """One keyset page of the inbox: newest first, ``next_before`` continues it."""

    items: list[dict[str, Any]]
    next_before: int | None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Decision:
    proposal_id: int
    action: str
    record_type: str | None = None
    record_id: int | None = None
    document_status: str = "in_review"


# -- the inbox -----------------------------------------------------------------
def inbox(
    archive: Archive,
    user: User,
    *,
    status: str | None = None,
    media_type: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> InboxPage:
    """Documents newest first; keyset pages over (status, id) stay fast at any size."""
    require(user, "read")
    if status and status not in DOC_STATUSES:
        raise InvalidEdit(f"unknown status {status!r} (known: {', '.join(DOC_STATUSES)})")
    limit = max(1, min(limit, 200))
    cols = [
        documents.c[n]
        for n in (
            "id",
            "title",
            "filename",
            "media_type",
            "published",
            "status",
            "ingested_at",
            "ingested_by",
        )
    ]
    query = select(*cols).order_by(documents.c.id.desc()).limit(limit + 1)
    if status:
        query = query.where(documents.c.status == status)
    if media_type:
        query = query.where(documents.c.media_type == media_type)
    if before is not None:
        query = query.where(documents.c.id < before)
    with archive.engine.connect() as conn:
        rows = [r._asdict() for r in conn.execute(query)]
        more = len(rows) > limit
        rows = rows[:limit]
        pending = _proposal_counts(conn, [r["id"] for r in rows])
        counts = dict(
            conn.execute(select(documents.c.status, func.count()).group_by(documents.c.status)).all()
        )
    for r in rows:
        r["proposals"] = pending.get(r["id"], {})
        r["pending"] = r["proposals"].get("proposed", 0)
    return InboxPage(rows, rows[-1]["id"] if more and rows else None, counts)


def _proposal_counts(conn: Connection, doc_ids: list[int]) -> dict[int, dict[str, int]]:
    if not doc_ids:
        return {}
    out: dict[int, dict[str, int]] = {}
    query = (
        select(proposals.c.document_id, proposals.c.status, func.count())
        .where(proposals.c.document_id.in_(doc_ids))
        .group_by(proposals.c.document_id, proposals.c.status)
    )
    for doc_id, status, n in conn.execute(query):
        out.setdefault(doc_id, {})[status] = n
    return out


# -- one document ----------------------------------------------------------------
def document_view(archive: Archive, user: User, doc_id: int) -> dict[str, Any]:
    """A document with its proposals, each with its decision and candidate records."""
    require(user, "read")
    doc = archive.documents.get(doc_id)
    with archive.engine.connect() as conn:
        props = [
            r._asdict()
            for r in conn.execute(
                select(proposals).where(proposals.c.document_id == doc_id).order_by(proposals.c.start)
            )
        ]
        decided = {d["proposal_id"]: d for d in records.decisions(conn, doc_id)}
        names = {k: records.names(conn, k) for k in ATTACHABLE}
    for p in props:
        p["decision"] = decided.get(p["id"])
        p["candidates"] = (
            _candidates(names[p["kind"]], proposal_name(p), p["kind"])
            if p["kind"] in ATTACHABLE and p["status"] == "proposed"
            else []
        )
    return {"document": doc, "proposals": props, "segments": segments(doc.clean_text, props)}


def segments(text: str, props: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text as a tree of plain pieces and highlighted spans, for display.

    Spans nest (an entity inside a claim inside an incident) and are drawn
    nested; a span that crosses the end of its enclosing span is clipped there,
    so each character appears once. Every proposal stays reachable in the list
    beside the text even when its span is clipped away.
    """
    root: dict[str, Any] = {"children": [], "end": len(text)}
    stack = [root]
    pos = 0

    def emit(upto: int) -> None:
        nonlocal pos
        if upto > pos:
            stack[-1]["children"].append({"text": text[pos:upto], "proposal": None})
            pos = upto

    for p in sorted(props, key=lambda p: (p["start"], -p["end"], p["id"])):
        while len(stack) > 1 and p["start"] >= stack[-1]["end"]:
            emit(stack[-1]["end"])
            stack.pop()
        start, end = max(p["start"], pos), min(p["end"], stack[-1]["end"], len(text))
        if end <= start:
            continue
        emit(start)
        node = {"text": "", "proposal": p, "children": [], "end": end}
        stack[-1]["children"].append(node)
        stack.append(node)
    while len(stack) > 1:
        emit(stack[-1]["end"])
        stack.pop()
    emit(len(text))
    return root["children"]


def proposal_name(p: dict[str, Any]) -> str:
    data = p.get("data")
    if isinstance(data, dict):
        for key in ("name", "group", "quote_start", "text"):
            if data.get(key):
                return str(data[key])
    elif isinstance(data, str) and data:
        return data
    return p["text"]


def _candidates(names: list[tuple[int, str, list[str]]], name: str, kind: str, limit: int = 5) -> list[dict]:
    """Existing records whose name (or an alias) is close to ``name``, best first, with the reason."""
    choices: dict[int, str] = {}
    owner: list[tuple[int, str, bool]] = []
    for rec_id, rec_name, aliases in names:
        for alias, is_alias in [(rec_name, False), *[(a, True) for a in aliases]]:
            choices[len(owner)] = alias
            owner.append((rec_id, alias, is_alias))
    if not choices:
        return []
    hits = process.extract(
        name, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=75, limit=limit * 3
    )
    best: dict[int, dict] = {}
    for _alias, score, idx in hits:
        rec_id, alias, is_alias = owner[idx]
        if rec_id not in best or best[rec_id]["score"] < score:
            which = "an alias" if is_alias else "the name"
            best[rec_id] = {
                "kind": kind,
                "id": rec_id,
                "name": alias,
                "score": round(score),
                "why": f"{which} “{alias}” is {round(score)}% similar to “{name}”",
            }
    return sorted(best.values(), key=lambda c: -c["score"])[:limit]


def candidates(archive: Archive, user: User, proposal_id: int, limit: int = 5) -> list[dict]:
    require(user, "read")
    p = _proposal(archive, proposal_id)
    if p["kind"] not in ATTACHABLE:
        return []
    with archive.engine.connect() as conn:
        names = records.names(conn, p["kind"])
    return _candidates(names, proposal_name(p), p["kind"], limit)


# -- decisions -----------------------------------------------------------------------
def accept(
    archive: Archive,
    user: User,
    proposal_id: int,
    *,
    changes: dict[str, Any] | None = None,
    confidentiality: str = "public",
    notes: str | None = None,
) -> Decision:
    """Confirm a proposal (with optional edits) as a new record, with its span as provenance."""
    require(user, "review")
    if confidentiality not in CONFIDENTIALITY:
        raise InvalidEdit(f"confidentiality must be one of {', '.join(CONFIDENTIALITY)}")
    with archive.engine.begin() as conn:
        p = _pending(conn, proposal_id)
        data = _edited(p, changes or {})
        values = record_values(p["kind"], data, p["text"])
        values.update(confidentiality=confidentiality, data=data)
        rec_id = records.insert(conn, p["kind"], values, user=user.name)
        if _clip(notes):
            archive.protected.put(
                p["kind"], rec_id, "notes", _clip(notes), NOTES_LEVEL, actor=user, conn=conn
            )
        records.add_mention(conn, p["kind"], rec_id, p, user=user.name)
        _link_in_document(conn, p, rec_id, data, user)
        index_record(conn, p["kind"], rec_id, values["name"], _body(values))
        action = "edit" if changes else "accept"
        return _decided(archive, conn, user, p, action, p["kind"], rec_id, after=values)


def reject(archive: Archive, user: User, proposal_id: int, *, reason: str | None = None) -> Decision:
    """Record that a proposal is wrong; it stays in the archive, marked rejected."""
    require(user, "review")
    with archive.engine.begin() as conn:
        p = _pending(conn, proposal_id)
        return _decided(archive, conn, user, p, "reject", None, None, reason=_clip(reason))


def attach(archive: Archive, user: User, proposal_id: int, record_id: int) -> Decision:
    """Count a proposal as one more mention of an existing record instead of a duplicate."""
    require(user, "review")
    with archive.engine.begin() as conn:
        p = _pending(conn, proposal_id)
        if p["kind"] not in ATTACHABLE:
            raise InvalidEdit(f"a {p['kind']} cannot be attached; accept or reject it")
        rec = records.get(conn, p["kind"], record_id)
        name = proposal_name(p)
        if p["kind"] == "person" and name.casefold() != rec["name"].casefold():
            aliases = list(rec.get("aliases") or [])
            if name not in aliases:
                records.update(conn, "person", record_id, {"aliases": [*aliases, name]}, user=user.name)
                index_record(conn, "person", record_id, rec["name"], " ".join([*aliases, name]))
        records.add_mention(conn, p["kind"], record_id, p, user=user.name)
        _link_in_document(conn, p, record_id, p["data"] if isinstance(p["data"], dict) else {}, user)
        return _decided(archive, conn, user, p, "attach", p["kind"], record_id, after={"name": name})


def mark_reviewed(archive: Archive, user: User, doc_id: int) -> str:
    """Close a document's review by hand (e.g. nothing worth keeping in it)."""
    require(user, "review")
    with archive.engine.begin() as conn:
        status = conn.execute(select(documents.c.status).where(documents.c.id == doc_id)).scalar_one_or_none()
        if status is None:
            raise UnknownRecord(f"no document with id {doc_id}")
        conn.execute(update(documents).where(documents.c.id == doc_id).values(status="reviewed"))
        _audit(
            archive,
            conn,
            user,
            "review.document_reviewed",
            "document",
            doc_id,
            before={"status": status},
            after={"status": "reviewed"},
        )
    return "reviewed"


# -- helpers -----------------------------------------------------------------------
def _proposal(archive: Archive, proposal_id: int) -> dict[str, Any]:
    with archive.engine.connect() as conn:
        row = conn.execute(select(proposals).where(proposals.c.id == proposal_id)).one_or_none()
    if row is None:
        raise UnknownRecord(f"no proposal with id {proposal_id}")
    return row._asdict()


def _pending(conn: Connection, proposal_id: int) -> dict[str, Any]:
    row = conn.execute(select(proposals).where(proposals.c.id == proposal_id)).one_or_none()
    if row is None:
        raise UnknownRecord(f"no proposal with id {proposal_id}")
    p = row._asdict()
    if p["status"] != "proposed":
        raise ReviewConflict(f"proposal {proposal_id} was already decided ({p['status']})")
    if p["kind"] not in KIND_TABLES:
        raise InvalidEdit(f"proposal {proposal_id} has kind {p['kind']!r}, which review cannot record")
    return p


EDITABLE = {
    "person": {"name", "role", "aliases"},
    "organization": {"name"},
    "place": {"name", "kind"},
    "facility": {"name", "kind", "place"},
    "group": {"group", "count", "name"},
    "incident": {"type", "place", "facility", "date", "victims"},
    "claim": {"speaker", "via", "cue", "quote_start"},
    "amount": {"text", "value", "currency"},
}


def _edited(p: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The proposal's data with the reviewer's changes applied and checked."""
    data = p["data"]
    data = dict(data) if isinstance(data, dict) else {"name": data or p["text"]}
    unknown = set(changes) - EDITABLE[p["kind"]]
    if unknown:
        raise InvalidEdit(
            f"cannot edit {', '.join(sorted(unknown))} of a {p['kind']} "
            f"(editable: {', '.join(sorted(EDITABLE[p['kind']]))})"
        )
    for key, value in changes.items():
        if isinstance(value, str):
            value = value.strip()[:MAX_FIELD] or None
        if key == "aliases" and isinstance(value, str):
            value = [a.strip() for a in value.split(",") if a.strip()]
        if key in ("count", "value") and value is not None:
            try:
                value = int(value) if key == "count" else float(value)
            except (TypeError, ValueError):
                raise InvalidEdit(f"{key} must be a number, not {value!r}") from None
        data[key] = value
    for key, allowed in VOCABULARIES.get(p["kind"], {}).items():
        if data.get(key) is not None and data[key] not in allowed:
            raise InvalidEdit(f"{key} {data[key]!r} is not one of: {', '.join(allowed)}")
    if p["kind"] in ENTITY_KINDS and not (data.get("name") or data.get("group") or p["text"]):
        raise InvalidEdit("a name is required")
    return data


def record_values(kind: str, data: dict[str, Any], text: str) -> dict[str, Any]:
    """Columns of a record from its interchange item (the confirmed data)."""
    get = data.get
    if kind == "person":
        return {"name": get("name") or text, "category": get("role"), "aliases": list(get("aliases") or [])}
    if kind in ("organization",):
        return {"name": get("name") or text}
    if kind == "place":
        return {"name": get("name") or text, "category": get("kind")}
    if kind == "facility":
        return {"name": get("name") or text, "category": get("kind"), "place": get("place")}
    if kind == "group":
        count = get("count")
        return {
            "name": get("group") or get("name") or text,
            "count": count if isinstance(count, int) else None,
        }
    if kind == "incident":
        where = get("facility") or get("place") or ""
        label = str(get("type") or "incident").replace("_", " ")
        return {
            "name": f"{label} – {where}" if where else label,
            "category": get("type"),
            "date_text": get("date"),
            "place": get("place"),
            "facility": get("facility"),
        }
    if kind == "claim":
        return {
            "name": text[:300],
            "speaker": get("speaker"),
            "via": get("via"),
            "cue": get("cue"),
            "category": get("kind"),
        }
    if kind == "amount":
        value = get("value")
        return {
            "name": get("text") or text,
            "value": float(value) if isinstance(value, int | float) else None,
            "currency": get("currency"),
            "category": get("currency"),
        }
    raise InvalidEdit(f"unknown kind {kind!r}")


def _body(values: dict[str, Any]) -> str:
    """What the search index holds for a record besides its name."""
    parts = [
        str(v)
        for k, v in values.items()
        if k not in ("name", "data", "confidentiality", "aliases") and v and not isinstance(v, dict)
    ]
    for alias in values.get("aliases") or []:
        parts.append(alias)
    return " ".join(p if isinstance(p, str) else str(p) for p in parts)


def _clip(value: str | None) -> str | None:
    return value.strip()[:MAX_FIELD] or None if value else None


def _link_in_document(conn: Connection, p: dict[str, Any], rec_id: int, data: dict, user: User) -> None:
    """Tie the new mention to records already confirmed in the same document.

    Claims and incidents *mention* the entities inside their span; an incident
    also names its victims, place and facility, and a claim its speaker.
    """
    kind = p["kind"]
    from attest.archive.records import record_mentions as rm

    rows = [r._asdict() for r in conn.execute(select(rm).where(rm.c.document_id == p["document_id"]))]
    for m in rows:
        if (m["record_type"], m["record_id"]) == (kind, rec_id):
            continue
        inside = p["start"] <= m["start"] and m["end"] <= p["end"]
        around = m["start"] <= p["start"] and p["end"] <= m["end"]
        if kind in ("claim", "incident") and m["record_type"] in ENTITY_KINDS and inside:
            records.link(conn, kind, rec_id, "mentions", m["record_type"], m["record_id"], user=user.name)
        elif kind in ENTITY_KINDS and m["record_type"] in ("claim", "incident") and around:
            records.link(conn, m["record_type"], m["record_id"], "mentions", kind, rec_id, user=user.name)
    named = _named_roles(kind, data)
    if named:
        for m in rows:
            text = m["text"].casefold()
            for role, target_kind, name in named:
                if m["record_type"] == target_kind and name and name.casefold() in (text,):
                    records.link(conn, kind, rec_id, role, target_kind, m["record_id"], user=user.name)


def _named_roles(kind: str, data: dict) -> list[tuple[str, str, str]]:
    if kind == "incident":
        out = [("place", "place", data.get("place")), ("facility", "facility", data.get("facility"))]
        out += [("victim", "person", v.get("name")) for v in data.get("victims") or [] if isinstance(v, dict)]
        return [o for o in out if o[2]]
    if kind == "claim" and data.get("speaker"):
        return [("speaker", "person", data["speaker"]), ("speaker", "organization", data["speaker"])]
    return []


def _decided(
    archive: Archive,
    conn: Connection,
    user: User,
    p: dict[str, Any],
    action: str,
    record_type: str | None,
    record_id: int | None,
    *,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> Decision:
    """Write the decision, move the proposal and document status on, and audit it."""
    status = {"accept": "accepted", "edit": "accepted", "reject": "rejected", "attach": "attached"}[action]
    conn.execute(update(proposals).where(proposals.c.id == p["id"]).values(status=status))
    safe_after = {k: v for k, v in (after or {}).items() if k not in ("data",)} or None
    records.decide(
        conn,
        proposal_id=p["id"],
        document_id=p["document_id"],
        action=action,
        record_type=record_type,
        record_id=record_id,
        actor=user.name,
        before={"data": p["data"]},
        after=_jsonable(safe_after),
        reason=reason,
    )
    left = conn.execute(
        select(func.count()).where(
            proposals.c.document_id == p["document_id"], proposals.c.status == "proposed"
        )
    ).scalar_one()
    doc_status = "in_review" if left else "reviewed"
    conn.execute(update(documents).where(documents.c.id == p["document_id"]).values(status=doc_status))
    _audit(
        archive,
        conn,
        user,
        f"review.{action}",
        record_type or "proposal",
        record_id or p["id"],
        before={"proposal": p["id"], "status": "proposed"},
        after={"proposal": p["id"], "status": status, **(_jsonable(safe_after) or {})},
    )
    return Decision(p["id"], action, record_type, record_id, doc_status)


def _jsonable(d: dict[str, Any] | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        k: (v if isinstance(v, str | int | float | bool | list | dict | type(None)) else str(v))
        for k, v in d.items()
    }


def _audit(
    archive: Archive, conn: Connection, user: User, action: str, record_type: str, record_id: int, **kw: Any
) -> None:
    archive.audit.append(
        conn, actor=user.name, action=action, record_type=record_type, record_id=str(record_id), **kw
    )
