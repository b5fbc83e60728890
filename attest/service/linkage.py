"""Linkage over the archive: import lists, propose pairs, let people decide.

The whole user actions of linkage, called alike by the CLI, the API and the
web pages: importing a detainee list as person records (one transaction, one
audit event); running :func:`attest.link.link_persons` over every person
record and keeping the pairs it is unsure of as candidates; the review queue
(most useful decision first); judgements (append-only, audited, ``same``
merges); splitting a merge; clusters as a view over merges; and the
judgements as training labels, which the next run of the linker uses.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from attest.archive import Archive
from attest.archive.records import CONFIDENTIALITY, RecordStore, record_mentions, table_for
from attest.archive.search import index_record
from attest.errors import UnknownRecord
from attest.link.lists import ListFileError, read_list
from attest.link.names import name_keys
from attest.link.store import DECISIONS, LinkStore, clusters_of, list_rows
from attest.secure.roles import require
from attest.secure.users import User
from attest.service.records import readable
from attest.service.review import ReviewConflict

records = RecordStore()
store = LinkStore()
#: Pairs below this probability are not worth a reviewer's time.
KEEP_ABOVE = 0.05
PERSON_FIELDS = ("birth_year", "sex", "ethnicity", "place", "facility", "date", "id_number")


class LinkConflict(ReviewConflict):
    """A judgement or split that does not fit the current state (e.g. a merge already split)."""


@dataclass
class ImportResult:
    list_id: int
    name: str
    rows: int
    person_ids: list[int]
    columns: dict[str, str]


@dataclass
class LinkRun:
    records: int
    candidates: int
    kept_decided: int
    labels: int
    timings: dict[str, float] = field(default_factory=dict)


# -- lists ---------------------------------------------------------------------------
def import_list(
    archive: Archive,
    user: User,
    path: Path,
    *,
    config: Path | None = None,
    name: str | None = None,
    confidentiality: str = "public",
) -> ImportResult:
    """Import a detainee list: one person record per row, all in one transaction.

    The file is read and checked whole before anything is written, so a bad
    row leaves the archive as it was. The same file (by SHA-256) or list
    name is refused a second time: counting a list twice would double its
    people in any estimate.
    """
    require(user, "ingest")
    if confidentiality not in CONFIDENTIALITY:
        raise ListFileError(f"confidentiality must be one of {', '.join(CONFIDENTIALITY)}")
    parsed = read_list(Path(path), config)
    list_name = (name or Path(path).stem).strip()[:200]
    if not list_name:
        raise ListFileError(f"{path}: give the list a name (--name)")
    with archive.engine.begin() as conn:
        seen = store.find_list(conn, name=list_name, sha256=parsed.sha256)
        if seen:
            why = "this file" if seen["sha256"] == parsed.sha256 else "a list of that name"
            raise ListFileError(
                f"{path}: {why} was already imported as list {seen['id']} "
                f"({seen['name']!r}, {seen['imported_at']:%Y-%m-%d} by {seen['imported_by']})"
            )
        list_id = store.add_list(
            conn,
            name=list_name,
            filename=Path(path).name,
            sha256=parsed.sha256,
            row_count=len(parsed.rows),
            columns=parsed.columns,
            user=user.name,
        )
        person_ids = []
        for row in parsed.rows:
            data = {"name": row.fields["name"], "role": parsed.role, **row.fields}
            data.update(source_list=list_name, list_row=row.line)
            pid = records.insert(
                conn,
                "person",
                {"name": row.fields["name"], "category": parsed.role, "aliases": [], "data": data,
                 "confidentiality": confidentiality},
                user=user.name,
            )  # fmt: skip
            store.add_row(conn, list_id, row.line, pid, {"fields": row.fields, "raw": row.raw})
            body = " ".join(str(v) for k, v in row.fields.items() if k != "name" and v)
            index_record(conn, "person", pid, row.fields["name"], f"{body} list:{list_name}")
            person_ids.append(pid)
        archive.audit.append(
            conn,
            actor=user.name,
            action="link.import_list",
            record_type="source_list",
            record_id=list_id,
            after={"name": list_name, "sha256": parsed.sha256, "rows": len(person_ids)},
        )
    return ImportResult(list_id, list_name, len(person_ids), person_ids, parsed.columns)


def lists(archive: Archive, user: User) -> list[dict[str, Any]]:
    require(user, "read")
    with archive.engine.connect() as conn:
        return store.lists(conn)


# -- running the linker --------------------------------------------------------------
def _persons(conn: Connection) -> list[dict[str, Any]]:
    table = table_for("person")
    return [r._asdict() for r in conn.execute(select(table).order_by(table.c.id))]


def _mention_counts(conn: Connection) -> dict[int, int]:
    """Mentions per person record: document spans plus list rows."""
    counts: dict[int, int] = {}
    query = (
        select(record_mentions.c.record_id, func.count())
        .where(record_mentions.c.record_type == "person")
        .group_by(record_mentions.c.record_id)
    )
    for rid, n in conn.execute(query):
        counts[rid] = counts.get(rid, 0) + n
    for rid, n in conn.execute(select(list_rows.c.person_id, func.count()).group_by(list_rows.c.person_id)):
        counts[rid] = counts.get(rid, 0) + n
    return counts


def linkage_records(persons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Person records as :func:`link_persons` reads them (record_id = the person id)."""
    out = []
    for p in persons:
        data = p["data"] if isinstance(p["data"], dict) else {}
        rec = {"record_id": str(p["id"]), "name": p["name"]}
        rec.update({f: data.get(f) for f in PERSON_FIELDS})
        rec["source_list"] = data.get("source_list")
        out.append(rec)
    return out


@contextmanager
def _quiet_splink() -> Iterator[None]:
    """Splink warns at length about parameters small archives cannot train; the run is still valid."""
    loggers = [logging.getLogger(n) for n in ("splink", "attest.link.linkage")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def run_linkage(archive: Archive, user: User) -> LinkRun:
    """Score every pair of person records that shares a name key; keep the candidates.

    Earlier candidates nobody has judged are replaced; judged ones are never
    touched, and their judgements train the model (see ``link_persons``).
    """
    require(user, "review")
    from attest.link.linkage import link_persons, pair_weights

    with archive.engine.connect() as conn:
        persons = _persons(conn)
        labels = [
            (str(lab["a_id"]), str(lab["b_id"]), lab["decision"] == "same")
            for lab in store.labels(conn)
            if lab["decision"] in ("same", "different")
        ]
        mentions = _mention_counts(conn)
    pairs: list[dict[str, Any]] = []
    timings: dict[str, float] = {}
    if len(persons) >= 2:
        with _quiet_splink():
            result = link_persons(linkage_records(persons), keep_above=KEEP_ABOVE, labels=labels)
        timings = result.timings
        for row in result.predictions.to_dict("records"):
            if row.get("label") is not None and row.get("label") == row.get("label"):
                continue  # judged: stays as the reviewer left it
            a, b = int(row["unique_id_l"]), int(row["unique_id_r"])
            pairs.append(
                {
                    "a_id": a,
                    "b_id": b,
                    "probability": float(row["match_probability"]),
                    "evidence": row.get("evidence") or "",
                    "weights": pair_weights(row, result.settings),
                    "mentions": mentions.get(a, 0) + mentions.get(b, 0),
                }
            )
    with archive.engine.begin() as conn:
        stored, kept = store.replace_candidates(conn, pairs, user=user.name)
        archive.audit.append(
            conn,
            actor=user.name,
            action="link.run",
            record_type="link_candidates",
            record_id=None,
            after={"records": len(persons), "candidates": stored, "labels": len(labels)},
        )
    return LinkRun(len(persons), stored, kept, len(labels), timings)


# -- the queue -----------------------------------------------------------------------
def _side(conn: Connection, person: dict[str, Any], rows: dict[int, dict[str, Any]]) -> dict[str, Any]:
    keys = name_keys(person["name"])
    data = person["data"] if isinstance(person["data"], dict) else {}
    row = rows.get(person["id"])
    return {
        "id": person["id"],
        "name": person["name"],
        "scripts": list(keys.scripts),
        "latin": " | ".join(" ".join(r) for r in keys.readings),
        "skeleton": keys.skeleton,
        "fields": {f: data.get(f) for f in PERSON_FIELDS if data.get(f) not in (None, "")},
        "list": {"name": row["list_name"], "row": row["row_number"]} if row else None,
        "mentions": len(records.mentions(conn, "person", person["id"])) + (1 if row else 0),
    }


def _view(conn: Connection, cand: dict[str, Any], people: dict[int, dict[str, Any]],
          rows: dict[int, dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    latest = store.latest_judgement(conn, cand["id"])
    return {
        "id": cand["id"],
        "probability": round(cand["probability"], 4),
        "evidence": cand["evidence"],
        "weights": cand["weights"],
        "mentions": cand["mentions"],
        "a": _side(conn, people[cand["a_id"]], rows),
        "b": _side(conn, people[cand["b_id"]], rows),
        "judgement": latest,
    }


def _people(conn: Connection, ids: set[int]) -> dict[int, dict[str, Any]]:
    table = table_for("person")
    if not ids:
        return {}
    return {r.id: r._asdict() for r in conn.execute(select(table).where(table.c.id.in_(ids)))}


def queue(archive: Archive, user: User, *, offset: int = 0, limit: int = 20) -> dict[str, Any]:
    """Undecided candidates, most useful first; pairs already in one cluster are left out.

    Pairs naming a record above the user's level are left out too (and not counted).
    """
    require(user, "read")
    limit = max(1, min(limit, 200))
    with archive.engine.connect() as conn:
        cands = store.undecided(conn)
        joined = clusters_of((m["a_id"], m["b_id"]) for m in store.merges(conn, active_only=True))
        people = _people(conn, {c["a_id"] for c in cands} | {c["b_id"] for c in cands})
        open_ = [
            c
            for c in cands
            if c["a_id"] in people
            and c["b_id"] in people
            and readable({"kind": "person", **people[c["a_id"]]}, user)
            and readable({"kind": "person", **people[c["b_id"]]}, user)
            and not (c["a_id"] in joined and joined.get(c["a_id"]) == joined.get(c["b_id"]))
        ]
        page = open_[offset : offset + limit]
        rows = store.rows_of(conn, {c["a_id"] for c in page} | {c["b_id"] for c in page})
        items = [_view(conn, c, people, rows) for c in page]
    more = offset + limit < len(open_)
    return {"items": items, "total": len(open_), "next_offset": offset + limit if more else None}


def pair(archive: Archive, user: User, pair_id: int) -> dict[str, Any]:
    """One candidate with both records and its whole judgement history."""
    require(user, "read")
    with archive.engine.connect() as conn:
        cand = store.candidate(conn, pair_id)
        if cand is None:
            raise UnknownRecord(f"no candidate pair with id {pair_id}")
        people = _people(conn, {cand["a_id"], cand["b_id"]})
        _check_readable(people, user)
        rows = store.rows_of(conn, people)
        view = _view(conn, cand, people, rows)
        view["history"] = store.judgements(conn, pair_id)
    return view


def _check_readable(people: dict[int, dict[str, Any]], user: User) -> None:
    from attest.secure.roles import PermissionDenied

    for p in people.values():
        if not readable({"kind": "person", **p}, user):
            raise PermissionDenied(f"person {p['id']} is {p['confidentiality']}; your role may not read it")


# -- judgements and merges -----------------------------------------------------------
@dataclass
class JudgementResult:
    pair_id: int
    judgement_id: int
    decision: str
    supersedes: int | None
    merge_id: int | None = None
    split_merge_id: int | None = None


def judge(
    archive: Archive, user: User, pair_id: int, decision: str, *, note: str | None = None
) -> JudgementResult:
    """Record a reviewer's judgement on a pair; ``same`` merges, a later non-same undoes that merge."""
    require(user, "review")
    if decision not in DECISIONS:
        raise LinkConflict(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    note = (note or "").strip()[:2000] or None
    with archive.engine.begin() as conn:
        cand = store.candidate(conn, pair_id)
        if cand is None:
            raise UnknownRecord(f"no candidate pair with id {pair_id}")
        _check_readable(_people(conn, {cand["a_id"], cand["b_id"]}), user)
        jid, before = store.judge(conn, pair_id, decision, note=note, user=user.name)
        result = JudgementResult(pair_id, jid, decision, before["id"] if before else None)
        active = store.active_merge(conn, cand["a_id"], cand["b_id"])
        if decision == "same" and active is None:
            result.merge_id = store.merge(conn, cand["a_id"], cand["b_id"], judgement_id=jid, user=user.name)
        elif decision != "same" and active is not None:
            store.split(conn, active["id"], user=user.name)
            result.split_merge_id = active["id"]
        archive.audit.append(
            conn,
            actor=user.name,
            action=f"link.judge_{decision}",
            record_type="link_candidate",
            record_id=pair_id,
            before={"judgement": before["id"], "decision": before["decision"]} if before else None,
            after={"judgement": jid, "decision": decision, "merge": result.merge_id,
                   "split": result.split_merge_id},
        )  # fmt: skip
    return result


def split(
    archive: Archive, user: User, merge_id: int, *, decision: str = "unsure", note: str | None = None
) -> JudgementResult:
    """Undo a merge; the pair gets a superseding judgement (``unsure`` unless told ``different``).

    Nothing is deleted: the merge stays, marked split, and so do the judgements.
    """
    require(user, "review")
    if decision not in ("unsure", "different"):
        raise LinkConflict("a split is judged 'unsure' or 'different'")
    with archive.engine.begin() as conn:
        merge = store.merge_row(conn, merge_id)
        if merge is None:
            raise UnknownRecord(f"no merge with id {merge_id}")
        if merge["split_at"] is not None:
            raise LinkConflict(f"merge {merge_id} was already split ({merge['split_at']:%Y-%m-%d} by "
                               f"{merge['split_by']})")  # fmt: skip
        store.split(conn, merge_id, user=user.name)
        cand = store.candidate_for(conn, merge["a_id"], merge["b_id"])
        jid, before = (None, None)
        if cand is not None:
            jid, before = store.judge(
                conn, cand["id"], decision, note=note or f"split of merge {merge_id}", user=user.name
            )
        archive.audit.append(
            conn,
            actor=user.name,
            action="link.split",
            record_type="link_merge",
            record_id=merge_id,
            before={"merge": merge_id, "a": merge["a_id"], "b": merge["b_id"]},
            after={"split": True, "judgement": jid, "decision": decision},
        )
    return JudgementResult(
        cand["id"] if cand else 0,
        jid or 0,
        decision,
        before["id"] if before else None,
        split_merge_id=merge_id,
    )


def merges(archive: Archive, user: User, *, active_only: bool = False) -> list[dict[str, Any]]:
    """Merges newest first, with both records' names (split ones too, marked)."""
    require(user, "read")
    with archive.engine.connect() as conn:
        rows = store.merges(conn, active_only=active_only)
        people = _people(conn, {r["a_id"] for r in rows} | {r["b_id"] for r in rows})
    out = []
    for r in rows:
        a, b = people.get(r["a_id"]), people.get(r["b_id"])
        if (
            a is None
            or b is None
            or not (readable({"kind": "person", **a}, user) and readable({"kind": "person", **b}, user))
        ):
            continue  # fmt: skip
        out.append({**r, "a_name": a["name"], "b_name": b["name"], "active": r["split_at"] is None})
    return out


def clusters(archive: Archive, user: User, *, include_single: bool = False) -> list[dict[str, Any]]:
    """Person clusters as a view over active merges; every member keeps its own mentions."""
    require(user, "read")
    with archive.engine.connect() as conn:
        active = store.merges(conn, active_only=True)
        cluster_of = clusters_of((m["a_id"], m["b_id"]) for m in active)
        ids = set(cluster_of)
        if include_single:
            ids |= {p["id"] for p in _persons(conn)}
        people = _people(conn, ids)
        rows = store.rows_of(conn, ids)
        groups: dict[int, list[dict[str, Any]]] = {}
        for pid in sorted(ids):
            p = people.get(pid)
            if p is None or not readable({"kind": "person", **p}, user):
                continue
            member = {
                "id": pid,
                "name": p["name"],
                "mentions": len(records.mentions(conn, "person", pid)),
                "list": {"name": rows[pid]["list_name"], "row": rows[pid]["row_number"]}
                if pid in rows
                else None,
            }
            groups.setdefault(cluster_of.get(pid, pid), []).append(member)
    return [
        {"cluster_id": cid, "size": len(members), "members": members,
         "mentions": sum(m["mentions"] + (1 if m["list"] else 0) for m in members)}
        for cid, members in sorted(groups.items())
    ]  # fmt: skip


def labels(archive: Archive, user: User) -> list[dict[str, Any]]:
    """The current judgement of each judged pair, as training labels (``unsure`` included, marked)."""
    require(user, "read")
    with archive.engine.connect() as conn:
        rows = store.labels(conn)
    return [
        {
            "pair_id": r["candidate_id"],
            "record_id_l": r["a_id"],
            "record_id_r": r["b_id"],
            "decision": r["decision"],
            "clerical_match_score": {"same": 1.0, "different": 0.0}.get(r["decision"]),
            "model_probability": round(r["probability"], 4),
            "judged_by": r["actor"],
            "judged_at": r["at"].isoformat() if r["at"] else None,
            "note": r["note"],
            "supersedes": r["supersedes"],
        }
        for r in rows
    ]
