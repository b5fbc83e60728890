"""Where exportable rows come from: one collector per record type.

A collector yields ``Candidate`` rows: the record's identity, its
confidentiality level and its plain values (columns, with the keys of a JSON
``data``/``attributes`` column folded in). Protected fields are not read
here; the exporter asks the protected store only for the ones a policy needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Table, select

from attest.archive import Archive
from attest.archive.schema import documents
from attest.errors import UsageError
from attest.secure.schema import sources


@dataclass
class Candidate:
    record_type: str
    record_id: str
    level: str
    values: dict[str, object] = field(default_factory=dict)


Collector = Callable[[Archive], Iterator[Candidate]]
COLLECTORS: dict[str, Collector] = {}


def collector(record_type: str) -> Callable[[Collector], Collector]:
    """Register a collector; other areas add their record types the same way."""

    def register(fn: Collector) -> Collector:
        COLLECTORS[record_type] = fn
        return fn

    return register


def collect(archive: Archive, record_type: str) -> Iterator[Candidate]:
    _load_record_kinds()
    if record_type not in COLLECTORS:
        raise UsageError(f"cannot export record type {record_type!r}; known: {', '.join(sorted(COLLECTORS))}")
    return COLLECTORS[record_type](archive)


def _rows(archive: Archive, table: Table, record_type: str, level_column: str | None, nested: str | None):
    with archive.engine.connect() as conn:
        for row in conn.execute(select(table).order_by(table.c.id)):
            values = row._asdict()
            extra = values.get(nested) if nested else None
            if isinstance(extra, dict):
                values = {**{str(k): v for k, v in extra.items()}, **values}
            level = values.get(level_column) if level_column else "public"
            yield Candidate(record_type, str(values["id"]), level or "public", values)


@collector("document")
def _documents(archive: Archive) -> Iterator[Candidate]:
    yield from _rows(archive, documents, "document", None, None)


@collector("source")
def _sources(archive: Archive) -> Iterator[Candidate]:
    yield from _rows(archive, sources, "source", "level", "attributes")


_kinds_loaded = False


def _load_record_kinds() -> None:
    """Confirmed records (persons, incidents, ...) from the review area, when it is installed."""
    global _kinds_loaded
    if _kinds_loaded:
        return
    _kinds_loaded = True
    try:
        from attest.archive.records import KIND_TABLES, table_for
    except ImportError:  # pragma: no cover - the review area is optional to this module
        return
    for kind in KIND_TABLES:
        if kind in COLLECTORS:
            continue

        def gather(archive: Archive, kind: str = kind) -> Iterator[Candidate]:
            yield from _rows(archive, table_for(kind), kind, "confidentiality", "data")

        COLLECTORS[kind] = gather
