"""Plain-text reports, with optional ``Title:``/``URL:``/``Date:`` header lines."""

from __future__ import annotations

import re

from attest.ingest.decode import decode_text, looks_binary
from attest.ingest.readers import ReadText, register

_HEADER = re.compile(r"^(title|url|source|date|published)\s*:\s*(\S.*)$", re.IGNORECASE)


def header_metadata(text: str) -> dict[str, str]:
    """Metadata from ``Key: value`` lines at the very top of a text file."""
    found: dict[str, str] = {}
    for line in text.splitlines()[:6]:
        match = _HEADER.match(line.strip())
        if not match:
            break
        key = match.group(1).lower()
        key = {"source": "url", "date": "published"}.get(key, key)
        found.setdefault(key, match.group(2).strip())
    return found


class TextReader:
    media_type = "text/plain"
    suffixes = (".txt", ".text")

    def sniff(self, data: bytes) -> bool:
        return bool(data.strip()) and not looks_binary(data)

    def read(self, data: bytes, name: str) -> ReadText:
        text = decode_text(data, name)
        meta = header_metadata(text)
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
        title = meta.get("title") or (first if first and len(first) <= 200 else None)
        return ReadText(text=text, title=title, url=meta.get("url"), published=meta.get("published"))


register(TextReader())
