"""The records the incident rules build: victims, sites and incidents.

Kept apart from the rules so that triggers, victims and sites can share them
without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from attest.extract import cases, vocab
from attest.extract import groups as grp
from attest.extract.amounts import Amount
from attest.extract.entities import Entity, Mention


@dataclass
class Victim:
    """A named person or an unnamed group as the interchange lists them."""

    name: str | None
    count: int | None
    group: str | None
    key: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count, "group": self.group}


@dataclass
class Incident:
    """One act against one set of victims."""

    type: str
    start: int  # the sentence of the (first) trigger
    end: int
    trigger: str = ""
    victims: list[Victim] = field(default_factory=list)
    place: str | None = None
    facility: str | None = None
    facility_kind: str | None = None
    date: str | None = None
    duration: str | None = None
    perpetrators: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    confidence: float = 0.6
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "victims": [v.to_dict() for v in self.victims],
                "place": self.place, "facility": self.facility, "date": self.date,
                "duration": self.duration, "perpetrators": list(self.perpetrators),
                "amounts": list(self.amounts), "trigger": self.trigger,
                "start": self.start, "end": self.end, "confidence": self.confidence}


@dataclass
class Site:
    """Where one incident happened: a place, a facility, or both."""

    place: str | None = None
    place_kind: str | None = None
    facility: str | None = None
    facility_kind: str | None = None
    tokens: set[int] = field(default_factory=set)


@dataclass
class Found:
    """Everything the incident pass proposes: incidents and their groups/facilities."""

    incidents: list[Incident]
    groups: list[grp.Group]
    facilities: list[Entity]


class FinderState:
    """The state of one incident finder, declared once for the rule mixins that read it.

    TriggerRules, VictimRules and SiteRules are mixed into one finder; this
    base gives them (and type checkers) the shared attributes it sets up.
    """

    doc: Doc
    tok_mention: dict[int, Mention]
    amounts: list[Amount]
    groups: list[grp.Group]
    salient: list[Victim]
    last_site: Site | None
    paras: list[int]
    verbs: dict[str, str]
    nouns: dict[str, str]
    types: dict[str, vocab.ViolationType]
    fac_heads: set[str]
    fac_weak: set[str]
    fac_kinds: list[tuple[str, tuple[str, ...]]]
    place_mentions: list[Mention]
    narrator: str | None
    case: cases.CaseFields | None
    light_verbs: frozenset[str]
    particles: dict[str, frozenset[str]]
