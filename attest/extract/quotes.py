"""Quotation spans, found by scanning characters paragraph by paragraph.

The tagger's opening/closing quote tags are unreliable for straight quotes,
and news quotes run over sentence (and paragraph) boundaries, so quotation
marks are paired here on the raw text. By newspaper convention a quote left
open at the end of a paragraph continues in the next one, which re-opens it.
Only double quotes count: single quotes are mostly apostrophes.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN = "\u201c\u201e"
CLOSE = "\u201d"
STRAIGHT = '"'
MARKS = OPEN + CLOSE + STRAIGHT


@dataclass(frozen=True)
class Quote:
    """Text between quotation marks: [start, end) excludes the marks."""

    start: int
    end: int
    para: int  # index of the paragraph
    closed: bool  # False when the paragraph ends inside the quote
    at_para_start: bool  # the paragraph opens with this quote


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line: clean text has one paragraph a line."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, end - (len(line) - len(line.rstrip()))))
        pos = end + 1
    return out


def find_quotes(text: str, paras: list[tuple[int, int]] | None = None) -> list[Quote]:
    """Every double-quoted span, in text order."""
    out: list[Quote] = []
    for p, (start, end) in enumerate(paras if paras is not None else paragraphs(text)):
        open_at: int | None = None
        for i in range(start, end):
            ch = text[i]
            if ch not in MARKS:
                continue
            if open_at is None:
                if ch != CLOSE:
                    open_at = i
            elif ch not in OPEN:
                out.append(Quote(open_at + 1, i, p, True, open_at == start))
                open_at = None
        if open_at is not None and end - open_at > 1:
            out.append(Quote(open_at + 1, end, p, False, open_at == start))
    return out
