"""What a document's header says about its case: narrator and case fields.

Testimonies are told in the first person, and the teller is named once, in
the title ("Testimony of X", "X, as told to Y"): "I was detained" is then X's
detention. Court and verdict summaries open with fields ("Defendants: A, B",
"Court: ...", "Verdict date: ...") that name the trial's victims and court
even when the prose says only "the defendants".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from attest.extract.entities import Mention
from attest.extract.nlp import text_of

HEADER_LINES = 8
_TESTIMONY = re.compile(
    r"^\W*(?:(?:witness|victim|personal|first-hand|eyewitness)\s+)?"
    r"(?:testimony|statement|account|story|interview|recollections?|memoir)\s+"
    r"(?:of|by|from|with)\b", re.I)
_POSSESSIVE = re.compile(r"['’]s\s+(?:own\s+)?(?:testimony|story|account|statement)\b", re.I)
_AS_TOLD = re.compile(r",?\s+as told to\b", re.I)
_FIRST = re.compile(r"\b(?:I|me|my)\b")
_FIELD = re.compile(
    r"^(?P<key>defendants?|accused|court|trial court|verdict date|date of (?:the )?verdict|"
    r"date of (?:the )?(?:sentence|judgment|judgement)|sentence|judge)\s*:\s*(?P<value>.+)$",
    re.I | re.M)


def _header(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the first lines of the text."""
    out, pos = [], 0
    for line in text.split("\n")[:HEADER_LINES]:
        out.append((pos, line))
        pos += len(line) + 1
    return out


def header_end(text: str) -> int:
    """Where the header lines end (the offset just past them)."""
    return sum(len(line) + 1 for _, line in _header(text))


_NAME = re.compile(r"(?:[A-Z][\w'’-]+\s+){0,3}[A-Z][\w'’-]+")


def narrator_span(text: str) -> tuple[int, int] | None:
    """Where the header names the teller of a first-person testimony."""
    if not _FIRST.search(text):
        return None
    for pos, line in _header(text)[:3]:
        m = _TESTIMONY.search(line)
        if m:
            name = _NAME.match(line, m.end() + len(line[m.end():]) - len(line[m.end():].lstrip()))
        elif _AS_TOLD.search(line) or _POSSESSIVE.search(line):
            name = _NAME.match(line)
        else:
            continue
        if name:
            return pos + name.start(), pos + name.end()
    return None


def narrator(doc: Doc, mentions: list[Mention]) -> str | None:
    """The person a first-person testimony is by, when its header names them."""
    span = narrator_span(text_of(doc))
    if span is None:
        return None
    found = next((m for m in mentions if m.kind == "person" and m.entity is not None
                  and span[0] <= m.start < span[1]), None)
    return found.entity.name if found is not None and found.entity else None


@dataclass
class CaseFields:
    """The header fields of a verdict or case summary."""

    defendants: list[Mention]
    court: str | None
    date: str | None
    start: int
    end: int


def _fields(text: str) -> dict[str, tuple[str, int, int]]:
    """Header fields by normalised key: (value, start, end)."""
    head_end = sum(len(line) + 1 for _, line in _header(text))
    fields: dict[str, tuple[str, int, int]] = {}
    for m in _FIELD.finditer(text[:head_end]):
        key = m.group("key").lower()
        key = ("defendants" if key.startswith(("defendant", "accused")) else
               "court" if "court" in key else "judge" if key == "judge" else
               "sentence" if key == "sentence" else "date")
        fields.setdefault(key, (m.group("value").strip(), m.start("value"), m.end("value")))
    return fields


def defendant_spans(text: str) -> list[tuple[int, int]]:
    """Where the "Defendants:" line names people: one name per item of its list
    ("A, 33; B, 29", "A (born 1961) and B")."""
    found = _fields(text).get("defendants")
    if found is None:
        return []
    value, lo, _ = found
    out = []
    for item in re.finditer(r"[^;,()]+", value):
        for part in re.split(r"\s+and\s+", item.group()):
            name = _NAME.search(part)
            if name and len(name.group().split()) >= 2:
                at = lo + item.start() + item.group().index(part) + name.start()
                out.append((at, at + len(name.group())))
    return out


def case_fields(doc: Doc, mentions: list[Mention]) -> CaseFields | None:
    """Defendants, court and verdict date from "Key: value" header lines."""
    fields = _fields(text_of(doc))
    if "defendants" not in fields:
        return None
    _, lo, hi = fields["defendants"]
    names = [m for m in mentions if m.kind == "person" and lo <= m.start < hi]
    if not names:
        return None
    court = fields.get("court")
    date = fields.get("date")
    return CaseFields(names, court[0].split(",")[0].strip() if court else None,
                      date[0].split(",")[0].strip() if date else None, lo, hi)
