"""Record pages: one confirmed thing with everything that backs it.

A record is shown with each document span it was confirmed from, the claims
that mention it with their attribution chain (who said it, via whom, in which
document), the records it is linked to, and — so a reviewer knows what they
are about to share — the same record as a viewer would see it. Confidentiality
is applied here, once, for pages, API and CLI alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from attest.archive import Archive
from attest.archive.records import KIND_TABLES, RecordStore, table_for
from attest.archive.schema import documents, proposals
from attest.errors import UnknownRecord
from attest.secure.roles import PermissionDenied, can_read_level, require
from attest.secure.users import User

VIEWER = User(name="(any viewer)", role="viewer")
records = RecordStore()


def readable(rec: dict[str, Any], user: User) -> bool:
    return can_read_level(user, rec.get("confidentiality") or "public")


def _check(rec: dict[str, Any], user: User) -> None:
    if not readable(rec, user):
        raise PermissionDenied(
            f"{rec['kind']} {rec['id']} is {rec['confidentiality']}; your role may not read it"
        )


def get_record(archive: Archive, user: User, kind: str, record_id: int) -> dict[str, Any]:
    """One record with its protected fields, as ``user`` may see it.

    ``protected`` maps each sealed field (notes, contact...) to its value, or
    to None when the user's level does not reach it; ``withheld`` names those.
    Reading a protected value is audited by ``archive.protected``.
    """
    require(user, "read")
    with archive.engine.connect() as conn:
        rec = records.get(conn, kind, record_id)
    _check(rec, user)
    levels = archive.protected.infos(kind, [record_id]).get(str(record_id), {})
    values = archive.protected.for_record(kind, record_id, actor=user) if levels else {}
    rec["protected"] = {f: {"level": lvl, "value": values.get(f)} for f, lvl in sorted(levels.items())}
    rec["withheld"] = [f for f, lvl in sorted(levels.items()) if values.get(f) is None]
    return rec


def viewer_view(rec: dict[str, Any]) -> dict[str, Any] | None:
    """What a viewer would see of a record: nothing above public, no protected value."""
    if not readable(rec, VIEWER):
        return None
    shown = {k: v for k, v in rec.items() if k not in ("protected", "withheld")}
    shown["protected"] = {
        f: {"level": p["level"], "value": None} for f, p in rec.get("protected", {}).items()
    }
    shown["withheld"] = sorted(rec.get("protected", {}))
    return shown


def list_records(
    archive: Archive, user: User, kind: str, *, after: int = 0, limit: int = 50, name: str | None = None
) -> list[dict[str, Any]]:
    """A keyset page of records of one kind; records above the user's level are left out."""
    require(user, "read")
    table_for(kind)
    with archive.engine.connect() as conn:
        rows = records.list(conn, kind, after_id=after, limit=max(1, min(limit, 200)), name=name)
    return [{**r, "withheld": []} for r in rows if readable(r, user)]


def record_page(archive: Archive, user: User, kind: str, record_id: int) -> dict[str, Any]:
    """Everything the record page shows, already redacted for ``user``."""
    rec = get_record(archive, user, kind, record_id)
    with archive.engine.connect() as conn:
        mentions = records.mentions(conn, kind, record_id)
        doc_ids = sorted({m["document_id"] for m in mentions})
        titles = _titles(conn, doc_ids)
        for m in mentions:
            m["document_title"] = titles.get(m["document_id"], "")
        links = records.links(conn, kind, record_id)
        linked = []
        for link in links:
            other_kind, other_id = (
                (link["to_type"], link["to_id"])
                if link["direction"] == "out"
                else (link["from_type"], link["from_id"])
            )
            try:
                other = records.get(conn, other_kind, other_id)
            except UnknownRecord:
                continue
            linked.append(
                {
                    "role": link["role"],
                    "direction": link["direction"],
                    "kind": other_kind,
                    "record": {**other, "withheld": []} if readable(other, user) else None,
                }
            )
        claims = [x for x in linked if x["kind"] == "claim" and x["record"]]
        if kind == "claim":
            claims.insert(0, {"role": "self", "direction": "out", "kind": "claim", "record": rec})
        for c in claims:
            c["chains"] = _chains(conn, c["record"])
    return {
        "record": rec,
        "kind": kind,
        "mentions": mentions,
        "documents": [{"id": d, "title": titles.get(d, "")} for d in doc_ids],
        "linked": [x for x in linked if x["kind"] != "claim"],
        "claims": claims,
        "viewer_view": viewer_view(rec),
        "fields": _fields(rec),
    }


def _fields(rec: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """(field, value, level) for display, protected fields last; bookkeeping left out."""
    skip = {
        "id",
        "kind",
        "data",
        "withheld",
        "protected",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    }
    level = rec.get("confidentiality") or "public"
    out = [(k, v, level) for k, v in rec.items() if k not in skip]
    out += [(f, p["value"], p["level"]) for f, p in rec.get("protected", {}).items()]
    return out


def _titles(conn: Any, doc_ids: list[int]) -> dict[int, str]:
    if not doc_ids:
        return {}
    rows = conn.execute(
        select(documents.c.id, documents.c.title, documents.c.filename).where(documents.c.id.in_(doc_ids))
    )
    return {r.id: r.title or r.filename for r in rows}


def _chains(conn: Any, claim: dict[str, Any]) -> list[list[dict[str, str]]]:
    """For each document carrying the claim: speaker → via → (outer via...) → document.

    A nested attribution ("a source told China Aid, the article says") is two
    claim proposals in one document, the inner one's ``via`` being the outer
    one's speaker; following that thread gives the whole chain.
    """
    chains = []
    for m in records.mentions(conn, "claim", claim["id"]):
        doc = conn.execute(
            select(documents.c.id, documents.c.title, documents.c.filename, documents.c.url).where(
                documents.c.id == m["document_id"]
            )
        ).one()
        others = [
            r.data
            for r in conn.execute(
                select(proposals.c.data).where(
                    proposals.c.document_id == m["document_id"], proposals.c.kind == "claim"
                )
            )
            if isinstance(r.data, dict)
        ]
        chain = [{"role": "speaker", "name": claim.get("speaker") or "unnamed speaker"}]
        seen = {chain[0]["name"].casefold()}
        via = claim.get("via")
        while via and via.casefold() not in seen and len(chain) < 8:
            chain.append({"role": "via", "name": via})
            seen.add(via.casefold())
            outer = next((o for o in others if (o.get("speaker") or "").casefold() == via.casefold()), None)
            via = outer.get("via") if outer else None
        chain.append(
            {
                "role": "document",
                "name": doc.title or doc.filename,
                "document_id": str(doc.id),
                "url": doc.url or "",
            }
        )
        chains.append(chain)
    return chains


def kinds() -> list[str]:
    return list(KIND_TABLES)
