"""From files on disk to documents and proposals in the archive.

Reading and extraction happen outside any transaction; each document is then
written in one transaction of its own (original, record, proposals), so a
failure in one file never loses or half-writes another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from attest.errors import UnreadableFile
from attest.ingest.boilerplate import split_boilerplate
from attest.ingest.readers import reader_for
from attest.model.document import ReadDocument

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_bytes(data: bytes, name: str) -> ReadDocument:
    """Turn one file's bytes into a document ready to store (no archive needed)."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(name, f"file too large ({len(data)} bytes; limit {MAX_FILE_BYTES})")
    reader = reader_for(name, data)
    read = reader.read(data, name)
    clean, removed = split_boilerplate(read.text)
    if not clean.strip():
        raise UnreadableFile(name, "no report text left after removing boilerplate")
    boilerplate = list(dict.fromkeys([*read.removed, *removed]))
    return ReadDocument(
        filename=Path(name).name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=reader.media_type,
        original=data,
        title=read.title,
        url=read.url,
        published=read.published,
        language=read.language,
        clean_text=clean,
        boilerplate=boilerplate,
    )


def read_file(path: str | Path) -> ReadDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise UnreadableFile(str(path), "is a folder, not a file") from exc
    except FileNotFoundError as exc:
        raise UnreadableFile(str(path), "no such file") from exc
    except PermissionError as exc:
        raise UnreadableFile(str(path), "permission denied") from exc
    return read_bytes(data, str(path))


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and files inside folders named (recursively, sorted, hidden skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield child
        else:
            yield path


@dataclass
class FileResult:
    """The outcome for one file: added, duplicate or failed (with the reason)."""

    path: str
    status: str
    document_id: int | None = None
    message: str = ""
    proposals: int = 0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


Progress = Callable[[FileResult], None]
