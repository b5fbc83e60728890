"""The reader registry: how a file of some type becomes text.

Built-in readers (plain text, Markdown, HTML) register exactly as a
third-party reader would, through ``register``; ``reader_for`` picks one by
file suffix, then by sniffing the bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Protocol

from attest.errors import UnreadableFile


@dataclass
class ReadText:
    """What a reader returns: the document text and what the file says of itself."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    removed: list[str] = field(default_factory=list)


class Reader(Protocol):
    media_type: str
    suffixes: tuple[str, ...]

    def sniff(self, data: bytes) -> bool:
        """True when the bytes look like this reader's format whatever the suffix."""
        ...

    def read(self, data: bytes, name: str) -> ReadText: ...


_READERS: list[Reader] = []


def register(reader: Reader) -> Reader:
    """Add a reader; later registrations win over earlier ones for the same suffix."""
    _READERS.insert(0, reader)
    return reader


def registered() -> list[Reader]:
    _load_builtins()
    return list(_READERS)


def supported_suffixes() -> list[str]:
    return sorted({s for r in registered() for s in r.suffixes})


def reader_for(name: str, data: bytes) -> Reader:
    """The reader for a file, or UnreadableFile naming the supported types."""
    readers = registered()
    suffix = PurePath(name).suffix.lower()
    for reader in readers:
        if suffix in reader.suffixes:
            return reader
    if not suffix:
        for reader in readers:
            if reader.sniff(data):
                return reader
    shown = suffix or "(no suffix)"
    raise UnreadableFile(name, f"unsupported file type {shown}; supported: {', '.join(supported_suffixes())}")


_loaded = False


def _load_builtins() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from attest.ingest import html, markdown, text  # noqa: F401  (they register)
