"""Unnamed groups of people with a count: "20 Kazakh citizens", "hundreds of
Uyghur women". Victims are often only counted, never named, and the count is
the figure monitors aggregate, so it is parsed carefully: "more than a
hundred" is 100, "hundreds" is unknown (None) by the conventions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from attest.extract import vocab

_QUANTIFIER_WORDS = {"more", "than", "at", "least", "about", "around", "over", "nearly",
                     "almost", "approximately", "some", "roughly", "up", "to", "as", "many",
                     "estimated", "an", "a", "another", "fewer", "less", "only", "just"}
_DEFINITE = {"the", "these", "those", "this", "that", "their", "its", "his", "her", "our",
             "such", "both"}


@dataclass
class Group:
    """A set of people referred to by a description and maybe a count."""

    gid: int
    label: str
    count: int | None
    start: int
    end: int
    words: frozenset[str]
    definite: bool
    vague: bool
    place: str | None = None

    @property
    def key(self) -> str:
        return f"group:{self.gid}"


def _stem(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def is_people_word(tok: Token) -> bool:
    """A noun that names people: 'citizens', 'protesters', 'Uyghurs'."""
    low = tok.lower_
    return (low in vocab.words("people", "group_nouns")
            or (tok.tag_ in ("NNS", "NNPS") and low in vocab.words("people", "demonyms")))


def parse_count(tokens: list[Token]) -> tuple[int | None, bool]:
    """(count, vague) from the quantity words before a noun.

    Digits and number words multiply out ("a hundred" = 100, "two thousand" =
    2000); "hundreds", "dozens", "several" make the count vague (None).
    """
    numbers = vocab.load("people")["number_words"]
    vague_words = vocab.words("people", "vague_counts")
    total, current, seen = 0, 0, False
    for t in tokens:
        low = t.lower_.replace(",", "")
        if low in vague_words:
            return None, True
        if re.fullmatch(r"\d+(\.\d+)?", low):
            current += int(float(low))
            seen = True
        elif low in numbers and (low not in ("a", "an") or _next_is_number(t, numbers)):
            value = int(numbers[low])
            if value in (100, 1000, 1000000):
                current = max(current, 1) * value
                if value > 100:
                    total, current = total + current, 0
            else:
                current += value
            seen = True
    if not seen:
        return None, False
    return total + current, False


def _next_is_number(tok: Token, numbers: dict) -> bool:
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.lower_ in numbers and nxt.lower_ not in ("a", "an")


def describe(head: Token) -> tuple[str, list[Token], Token]:
    """(label, quantity tokens, people head) for a noun phrase about people.

    "hundreds of Uyghur women" -> ("Uyghur women", [hundreds], women).
    """
    vague_words = vocab.words("people", "vague_counts")
    numbers = vocab.load("people")["number_words"]
    quantity: list[Token] = []
    people = head
    if head.lower_ in vague_words or head.like_num or head.lower_ in numbers:
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        quantity = list(head.subtree)[: head.i - head.left_edge.i + 1]
        if pobj is not None:
            people = pobj
    left = [t for t in people.lefts if t.dep_ in ("amod", "compound", "nummod", "quantmod",
                                                   "det", "poss", "nmod", "advmod")]
    mods: list[Token] = []
    for t in left:
        sub = list(t.subtree)
        if t.dep_ in ("nummod", "quantmod") or t.like_num or t.lower_ in numbers:
            quantity.extend(sub)
        elif t.dep_ in ("det", "poss") or t.lower_ in _QUANTIFIER_WORDS:
            continue
        else:
            mods.extend(x for x in sub if x.lower_ not in _QUANTIFIER_WORDS
                        and not x.like_num and x.lower_ not in numbers)
    words = [t for t in sorted(mods, key=lambda t: t.i) if not t.is_punct] + [people]
    label = " ".join(t.text for t in words)
    return label, quantity, people


def is_definite(head: Token) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in head.children)
