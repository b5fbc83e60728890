"""Ingest a batch of files: read, extract, store, one transaction per document."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from attest.archive import Archive
from attest.errors import UnreadableFile
from attest.extract import extract, extract_many
from attest.ingest.pipeline import (
    FileResult,
    IngestReport,
    Progress,
    expand_paths,
    read_bytes,
    read_file,
)
from attest.model.document import ReadDocument
from attest.secure.roles import require
from attest.secure.users import User

# Below this many documents a second process costs more (model load) than it saves.
PARALLEL_MIN_DOCS = 24
CHUNK = 128


def interchange(doc: ReadDocument) -> dict:
    """The CONVENTIONS-shaped extraction of one read document (``attest extract``)."""
    result = extract(doc.clean_text).to_interchange()
    result["boilerplate_lines"] = list(doc.boilerplate)
    return result


def _processes(n_docs: int, requested: int | None) -> int:
    if requested:
        return max(1, requested)
    return min(2, os.cpu_count() or 1) if n_docs >= PARALLEL_MIN_DOCS else 1


def ingest_paths(
    archive: Archive,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    processes: int | None = None,
    actor: User | None = None,
) -> IngestReport:
    """Ingest files and folders; every file gets a result, failures included."""
    files = list(expand_paths(paths))
    items = [(str(p), lambda p=p: read_file(p)) for p in files]
    return _ingest(archive, items, progress, processes, actor)


def ingest_uploads(
    archive: Archive,
    uploads: Iterable[tuple[str, bytes]],
    *,
    progress: Progress | None = None,
    processes: int | None = None,
    actor: User | None = None,
) -> IngestReport:
    """Ingest (file name, bytes) pairs, e.g. from a web upload; same rules as files."""
    items = [(name, lambda n=name, d=data: read_bytes(d, n)) for name, data in uploads]
    return _ingest(archive, items, progress, processes, actor)


def _ingest(
    archive: Archive,
    items: list[tuple[str, Callable[[], ReadDocument]]],
    progress: Progress | None,
    processes: int | None,
    actor: User | None = None,
) -> IngestReport:
    acting = actor or archive.current_user()
    require(acting, "ingest")
    report = IngestReport()
    n_proc = _processes(len(items), processes)

    def done(result: FileResult) -> None:
        report.results.append(result)
        if progress:
            progress(result)

    for start in range(0, len(items), CHUNK):
        ready: list[tuple[str, ReadDocument]] = []
        seen: dict[str, str] = {}
        for path, read in items[start : start + CHUNK]:
            try:
                doc = read()
            except UnreadableFile as exc:
                done(FileResult(str(path), "failed", message=exc.reason))
                continue
            existing = archive.documents.find_by_sha256(doc.sha256)
            if existing is not None:
                done(FileResult(str(path), "duplicate", existing, f"already stored as document {existing}"))
            elif doc.sha256 in seen:
                done(FileResult(str(path), "duplicate", message=f"same bytes as {seen[doc.sha256]}"))
            else:
                seen[doc.sha256] = str(path)
                ready.append((path, doc))
        if not ready:
            continue
        extractions = extract_many([d.clean_text for _, d in ready], n_process=n_proc)
        for (path, doc), ex in zip(ready, extractions, strict=True):
            try:
                with archive.engine.begin() as conn:
                    doc_id = archive.documents.insert(conn, doc, user=acting.name)
                    archive.audit.append(
                        conn, actor=acting.name, action="document.ingest", record_type="document",
                        record_id=doc_id, after={"sha256": doc.sha256, "filename": doc.filename},
                    )  # fmt: skip
                    n = archive.proposals.insert_many(conn, doc_id, ex.proposals())
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
                done(FileResult(str(path), "failed", message=f"could not be stored: {exc}"))
                continue
            done(FileResult(str(path), "added", doc_id, proposals=n))
    order = {path: i for i, (path, _) in enumerate(items)}
    report.results.sort(key=lambda r: order.get(r.path, len(order)))  # input order, not finish order
    return report
