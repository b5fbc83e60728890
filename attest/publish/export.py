"""Exports: every record that leaves the archive passes a redaction policy.

The steps, in order: check the exporter's role against the policy; collect
the rows of each record type the policy names; drop rows above its level;
keep only the listed fields (protected ones only when their level is
allowed); replace pseudonymised fields with per-export pseudonyms; scrub any
protected value that still appears in free text; check k-anonymity; and only
then write. The export itself is an audit event with the digest of what was
written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from attest.archive import Archive
from attest.errors import UsageError
from attest.publish.collect import Candidate, collect
from attest.publish.kanon import check_k
from attest.publish.policy import Policy
from attest.publish.pseudonyms import Pseudonymizer
from attest.secure.roles import PermissionDenied, require, require_level
from attest.secure.users import User

FORMATS = ("json", "csv")
MIN_SUBSTRING = 4  # shorter protected values are scrubbed only as whole words


@dataclass
class Export:
    policy: str
    exported_at: str
    records: dict[str, list[dict]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in self.records.items()}


def build_export(archive: Archive, policy: Policy, *, actor: User | None = None) -> Export:
    """The redacted rows a policy allows; nothing is written and nothing is audited yet."""
    acting = actor or archive.current_user()
    require(acting, "export")
    if acting.role not in policy.roles:
        raise PermissionDenied(
            f"policy {policy.name!r} may be applied by {', '.join(policy.roles)}, not {acting.role}"
        )
    require_level(acting, policy.max_level)
    pseudo = Pseudonymizer()
    hidden = [
        v
        for v, level in archive.protected.values_for_redaction(actor=acting)
        if not policy.level_allows(level)
    ]
    scrubber = _Scrubber(hidden, pseudo)
    out = Export(policy.name, datetime.now(UTC).isoformat(timespec="seconds"))
    for record_type, rule in policy.records.items():
        candidates = [
            c
            for c in collect(archive, record_type)
            if policy.level_allows(c.level) and _matches(c, rule.only_where)
        ]
        wanted = set(rule.fields) | set(rule.pseudonymize)
        protected = _protected(archive, acting, record_type, candidates, wanted)
        rows = []
        for c in candidates:
            row: dict[str, object] = {}
            for name in rule.fields:
                row[name] = scrubber(_visible(c, name, protected.get(c.record_id, {}), policy))
            for name in rule.pseudonymize:
                row[name] = _pseudonym(c, name, protected.get(c.record_id, {}), pseudo)
            rows.append(row)
        check_k(record_type, rows, rule.quasi_identifiers, policy.k)
        out.records[record_type] = rows
    return out


def _matches(c: Candidate, only_where: dict[str, list]) -> bool:
    return all(c.values.get(name) in allowed for name, allowed in only_where.items())


def _protected(
    archive: Archive, acting: User, record_type: str, candidates: list[Candidate], wanted: set[str]
) -> dict[str, dict[str, tuple[str, str | None]]]:
    """(level, value or None) of the wanted protected fields; values only where readable (audited)."""
    ids = [c.record_id for c in candidates]
    infos = archive.protected.infos(record_type, ids, fields=wanted)
    if not infos:
        return {}
    values = archive.protected.for_records(record_type, ids, actor=acting, fields=wanted)
    return {
        rid: {f: (level, values.get(rid, {}).get(f)) for f, level in by_field.items()}
        for rid, by_field in infos.items()
    }


def _visible(c: Candidate, name: str, protected: dict[str, tuple[str, str | None]], policy: Policy) -> object:
    if name in protected:
        level, value = protected[name]
        return value if policy.level_allows(level) else None
    if name in policy.field_levels and not policy.level_allows(policy.field_levels[name]):
        return None
    return _plain(c.values.get(name))


def _pseudonym(
    c: Candidate, name: str, protected: dict[str, tuple[str, str | None]], pseudo: Pseudonymizer
) -> str | None:
    if name == "id":
        return pseudo(f"{c.record_type}:{c.record_id}", prefix=c.record_type)
    value = protected[name][1] if name in protected else c.values.get(name)
    if name in protected and value is None:  # exists but the exporter cannot read it
        value = f"{c.record_type}:{c.record_id}:{name}"
    return None if value is None else pseudo(value)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


class _Scrubber:
    """Replace protected values that appear inside exported text with their pseudonyms.

    Defence in depth: a witness's name typed into a title or a note must not
    leave the archive just because the note field was allowed.
    """

    def __init__(self, values: list[str], pseudo: Pseudonymizer) -> None:
        self._pseudo = pseudo
        values = sorted({v for v in values if v.strip()}, key=len, reverse=True)
        parts = [re.escape(v) if len(v) >= MIN_SUBSTRING else rf"(?<!\w){re.escape(v)}(?!\w)" for v in values]
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def __call__(self, value: object) -> object:
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self._pattern.sub(lambda m: self._pseudo(m.group(0)), value)
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        return value


# -- writing -------------------------------------------------------------------
def render(export: Export, fmt: str) -> bytes:
    if fmt == "json":
        payload = {"policy": export.policy, "exported_at": export.exported_at, "records": export.records}
        return (json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
    if fmt == "csv":
        columns: list[str] = ["record_type"]
        for rows in export.records.values():
            for row in rows:
                columns += [k for k in row if k not in columns]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record_type, rows in export.records.items():
            for row in rows:
                writer.writerow({"record_type": record_type, **{k: _cell(v) for k, v in row.items()}})
        return buf.getvalue().encode("utf-8")
    raise UsageError(f"unknown export format {fmt!r}; formats are {', '.join(FORMATS)}")


def _cell(value: object) -> object:
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, list | dict) else value


def export_to_file(
    archive: Archive, policy: Policy, out: str | Path, fmt: str, *, actor: User | None = None
) -> Export:
    """Build, check and write an export; audited with the digest of the written bytes."""
    acting = actor or archive.current_user()
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; formats are {', '.join(FORMATS)}")
    export = build_export(archive, policy, actor=acting)
    data = render(export, fmt)
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    # The event commits only if the file was written: no unaudited export, no event without a file.
    with archive.engine.begin() as conn:
        archive.audit.append(
            conn,
            actor=acting.name,
            action="export",
            record_type="export",
            record_id=policy.name,
            after={"format": fmt, "counts": export.counts(), "sha256": hashlib.sha256(data).hexdigest()},
        )
        tmp.write_bytes(data)
        tmp.replace(out)
    return export
