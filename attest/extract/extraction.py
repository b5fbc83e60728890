"""The result of extracting one document, and its two outward shapes.

``to_interchange()`` is the public JSON shape of CONVENTIONS.md (scored
against gold files); ``proposals()`` is what the archive stores for review,
each proposal tied to a span of the clean text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from attest.extract.amounts import Amount
from attest.extract.attribution import Claim
from attest.extract.entities import Entity
from attest.extract.incidents import Incident
from attest.model.proposal import Proposal


@dataclass
class Extraction:
    """Entities, claims, incidents and amounts proposed for one clean text."""

    text: str
    persons: list[Entity] = field(default_factory=list)
    organizations: list[Entity] = field(default_factory=list)
    places: list[Entity] = field(default_factory=list)
    facilities: list[Entity] = field(default_factory=list)
    groups: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)

    # -- interchange ------------------------------------------------------

    def _person(self, e: Entity) -> dict[str, Any]:
        return {"name": e.name, "role": e.label or "other", "aliases": list(e.aliases),
                "start": e.start, "end": e.end}

    def _place(self, e: Entity) -> dict[str, Any]:
        return {"name": e.name, "kind": e.label or "other", **e.info,
                "start": e.start, "end": e.end}

    def _facility(self, e: Entity) -> dict[str, Any]:
        return {"name": e.name, "kind": e.label or "other", "place": e.info.get("place"),
                "start": e.start, "end": e.end}

    def _claim(self, c: Claim) -> dict[str, Any]:
        return {"speaker": c.speaker, "via": c.via, "cue": c.cue,
                "quote_start": c.quote_start(self.text), "kind": c.kind,
                "parent": c.parent, "start": c.start, "end": c.end,
                "confidence": c.confidence}

    def to_interchange(self) -> dict[str, Any]:
        """The CONVENTIONS shape; ``boilerplate_lines`` is the caller's to fill."""
        return {
            "persons": [self._person(e) for e in self.persons],
            "organizations": [e.name for e in self.organizations],
            "places": [self._place(e) for e in self.places],
            "facilities": [self._facility(e) for e in self.facilities],
            "incidents": [i.to_dict() for i in self.incidents],
            "claims": [self._claim(c) for c in self.claims],
            "amounts": [a.to_dict() for a in self.amounts],
        }

    # -- proposals ----------------------------------------------------------

    def proposals(self) -> list[Proposal]:
        """One proposal per entity, group, claim, incident and amount."""
        out: list[Proposal] = []

        def add(kind: str, label: str | None, start: int, end: int, data: dict,
                confidence: float) -> None:
            out.append(Proposal(kind, label, start, end, self.text[start:end], data,
                                confidence))

        for e in self.persons:
            add("person", e.label, e.start, e.end, self._person(e), 0.8)
        for e in self.organizations:
            add("organization", None, e.start, e.end,
                {"name": e.name, "start": e.start, "end": e.end}, 0.7)
        for e in self.places:
            add("place", e.label, e.start, e.end, self._place(e), 0.8)
        for e in self.facilities:
            add("facility", e.label, e.start, e.end, self._facility(e), 0.6)
        for e in self.groups:
            add("group", None, e.start, e.end,
                {"name": None, "group": e.name, "count": e.info.get("count"),
                 "start": e.start, "end": e.end}, 0.6)
        for c in self.claims:
            add("claim", c.cue_kind, c.start, c.end, self._claim(c), c.confidence)
        for i in self.incidents:
            add("incident", i.type, i.start, i.end, i.to_dict(), i.confidence)
        for a in self.amounts:
            add("amount", a.currency, a.start, a.end, a.to_dict(), 0.9)
        return out
