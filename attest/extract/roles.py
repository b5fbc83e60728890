"""One main role per named person (CONVENTIONS vocabulary).

Evidence, strongest first: being a victim of an incident; being the subject
of a violating act (perpetrator); a title before the name ("President") or a
noun in apposition ("the organizer of the protest", "her brother"); giving
testimony to someone ("told China Aid") makes a source. Everyone else is
"other" - authors and commentators included.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from attest.extract import vocab
from attest.extract.attribution import Claim
from attest.extract.entities import Entity
from attest.extract.incidents import Incident

_ORDER = ("official", "activist", "witness", "source", "victim")


def _role_word(tok: Token) -> str | None:
    roles = vocab.load("people")["roles"]
    low = tok.lower_
    for role in _ORDER:
        if low in {w.lower() for w in roles[role]}:
            return role
    return None


def _descriptors(doc: Doc, start: int, end: int) -> list[Token]:
    """Title words before a name and the head nouns of its appositions."""
    out: list[Token] = []
    j = start - 1
    while j >= 0 and j >= start - 4 and (doc[j].pos_ in ("PROPN", "NOUN", "ADJ")
                                          and not doc[j].is_punct):
        out.append(doc[j])
        j -= 1
    for t in doc[start:end]:
        for c in t.children:
            if c.dep_ == "appos" and not (start <= c.i < end):
                out.append(c)
        if t.dep_ == "appos" and not (start <= t.head.i < end):
            out.append(t.head)
    return out


def assign_roles(doc: Doc, persons: list[Entity], incidents: list[Incident],
                 claims: list[Claim]) -> None:
    """Set ``label`` (the role) of each person entity in place."""
    victims = {v.name for i in incidents for v in i.victims if v.name}
    perps = {p for i in incidents for p in i.perpetrators}
    told = {c.speaker for c in claims if c.cue.lower() in ("told", "tells", "tell")}
    for e in persons:
        role = None
        if e.name in victims:
            role = "victim"
        elif any(e.name in p or p in e.name for p in perps):
            role = "perpetrator"
        else:
            for m in e.mentions:
                if m.tok_end <= m.tok_start:
                    continue
                for t in _descriptors(doc, m.tok_start, m.tok_end):
                    role = _role_word(t)
                    if role:
                        break
                if role:
                    break
        if role is None and e.name in told:
            role = "source"
        e.label = role or "other"
        e.why = f"role '{e.label}'"
