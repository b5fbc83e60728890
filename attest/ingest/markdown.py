"""Markdown reports: rendered with markdown-it, then read block by block as text."""

from __future__ import annotations

import re

import yaml
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from attest.errors import UnreadableFile
from attest.ingest.decode import decode_text
from attest.ingest.html import block_lines
from attest.ingest.readers import ReadText, register

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_md = MarkdownIt("commonmark")


class MarkdownReader:
    media_type = "text/markdown"
    suffixes = (".md", ".markdown")

    def sniff(self, data: bytes) -> bool:
        return False  # plain text is the safer guess for suffix-less files

    def read(self, data: bytes, name: str) -> ReadText:
        source = decode_text(data, name)
        meta: dict = {}
        match = _FRONT_MATTER.match(source)
        if match:
            try:
                loaded = yaml.safe_load(match.group(1))
            except yaml.YAMLError as exc:
                raise UnreadableFile(name, f"malformed front matter ({exc.__class__.__name__})") from exc
            meta = loaded if isinstance(loaded, dict) else {}
            source = source[match.end() :]
        tree = lxml_html.fromstring(f"<div>{_md.render(source)}</div>")
        lines = block_lines(tree)
        if not lines:
            raise UnreadableFile(name, "no text in Markdown file")
        h1 = tree.find(".//h1")
        title = meta.get("title") or (h1.text_content().strip() if h1 is not None else lines[0])
        return ReadText(
            text="\n".join(lines),
            title=str(title) if title else None,
            url=str(meta["url"]) if meta.get("url") else None,
            published=str(meta["date"]) if meta.get("date") else None,
        )


register(MarkdownReader())
