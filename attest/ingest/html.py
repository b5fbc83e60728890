"""HTML pages: the article text by trafilatura, the rest recorded as removed.

trafilatura decides what the article is. Every other visible block of the
page (menus, teasers, footers) is kept as a removed line, so the record shows
what was cut.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from attest.errors import UnreadableFile
from attest.ingest.decode import decode_text, looks_binary
from attest.ingest.readers import ReadText, register

_BLOCKS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th",
    "dt", "dd", "figcaption", "caption", "div", "section", "article", "header",
    "footer", "nav", "aside", "main", "form", "ul", "ol", "table", "tr", "address",
    "button", "label",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe"}
_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(text.split())


def block_lines(tree: lxml_html.HtmlElement) -> list[str]:
    """Visible text of each innermost block element, in document order."""
    lines: list[str] = []

    def walk(el: etree._Element) -> bool:
        """Emit lines below ``el``; True when ``el`` contains a block element."""
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            return False
        has_block = False
        for child in el:
            has_block = walk(child) or has_block
        if el.tag in _BLOCKS and not has_block:
            text = _norm(el.text_content())
            if text:
                lines.append(text)
            return True
        return has_block or el.tag in _BLOCKS

    walk(tree)
    return lines


class HtmlReader:
    media_type = "text/html"
    suffixes = (".html", ".htm", ".xhtml")

    def sniff(self, data: bytes) -> bool:
        return bool(_SNIFF.match(data[:1024]))

    def read(self, data: bytes, name: str) -> ReadText:
        if looks_binary(data):
            raise UnreadableFile(name, "binary content, not HTML")
        source = decode_text(data, name)
        try:
            tree = lxml_html.fromstring(source)
        except (etree.ParserError, ValueError) as exc:
            raise UnreadableFile(name, f"malformed HTML ({exc})") from exc
        result = trafilatura.bare_extraction(
            source, with_metadata=True, include_comments=False, include_tables=True
        )
        text = (result.text if result is not None else "") or ""
        if not text.strip():
            raise UnreadableFile(name, "no article text found in the HTML page")
        title = (result.title or "").strip() or None
        if title and not _norm(text).startswith(_norm(title)):
            text = f"{title}\n{text}"  # the headline is document text, not noise
        kept = _norm(text)
        removed = [line for line in block_lines(tree) if line not in kept]
        lang = tree.get("lang") or None
        return ReadText(
            text=text,
            title=title,
            url=result.url,
            published=result.date,
            language=lang.split("-")[0].lower() if lang else None,
            removed=list(dict.fromkeys(removed)),
        )


register(HtmlReader())
